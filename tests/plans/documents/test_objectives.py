"""Targets proposed from a plan document's "Mục tiêu cụ thể" (plans.documents.objectives)."""

from pathlib import Path

import docx
import pytest

from agencies.names import fold_name
from plans.appendix import read_sheets
from plans.appendix.targets import find_target_sheet, parse_targets
from plans.documents.model import Document, Paragraph
from plans.documents.objectives import propose_targets

HERE = Path(__file__).resolve().parent
WORKBOOK = HERE.parents[2] / "plans" / "demo_data" / "appendix" / "dongnai-53-2024.xlsx"


def word_document(path):
    return Document([Paragraph(paragraph.text) for paragraph in docx.Document(str(path)).paragraphs])


def document(*texts):
    return Document([Paragraph(text) for text in texts])


@pytest.fixture(scope="module")
def proposed():
    return propose_targets(word_document(HERE / "dongnai-53-2024.docx"))


@pytest.fixture(scope="module")
def sheet_targets():
    return parse_targets(find_target_sheet(read_sheets(str(WORKBOOK), WORKBOOK.name))).targets


def test_dongnai_plan_against_its_targets_sheet(proposed, sheet_targets):
    assert len(proposed) == len(sheet_targets) == 23
    pairs = list(zip(proposed, sheet_targets, strict=True))
    figures = sum((p.comparator, p.value, p.unit) == (s.comparator, s.value, s.unit) for p, s in pairs)
    levels = sum(p.level == s.level for p, s in pairs)
    groups = sum(p.group == s.group for p, s in pairs)
    names = sum(fold_name(p.name) == fold_name(s.name) for p, s in pairs)
    exact = sum(
        (p.comparator, p.value, p.unit, p.level, p.group, fold_name(p.name))
        == (s.comparator, s.value, s.unit, s.level, s.group, fold_name(s.name))
        for p, s in pairs
    )
    print(
        f"value+unit+comparator {figures}/23, level {levels}/23, group {groups}/23, name {names}/23, "
        f"all {exact}/23"
    )
    assert figures == 23
    assert levels == 23
    assert groups == 23
    assert names >= 22  # the sheet shortens target 8's name ("… của địa phương để phục vụ …" left out)
    assert exact >= 22


def test_dongnai_details(proposed):
    by_code = {target.code: target for target in proposed}
    assert [(t.level, t.comparator_text) for t in proposed[1:4]] == [
        ("cấp sở", "đạt tối thiểu"),
        ("cấp huyện", "đạt tối thiểu"),
        ("cấp xã", "đạt tối thiểu"),
    ]
    assert {t.row for t in proposed[1:4]} == {31}  # one bullet, paragraph 31
    assert by_code["8"].level == "cấp tỉnh, huyện, xã"
    assert by_code["11"].value == 99.8
    # Nothing from "2.1. Dữ liệu số" (no figure), "1. Mục tiêu chung" ("top 10") or "III. NHIỆM VỤ"
    assert {t.group for t in proposed} == {
        "2.2. Chính quyền số",
        "2.3. Kinh tế số",
        "2.4. Xã hội số",
        "2.5. An toàn thông tin",
    }


def test_several_figures_in_one_bullet():
    targets = propose_targets(
        document(
            "II. MỤC TIÊU",
            "2. Mục tiêu cụ thể",
            "a) Chính quyền số",
            "- Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ: tối thiểu 80% đối với cấp sở, 40% cấp "
            "huyện, 30% cấp xã.",
            "- Phấn đấu 03–05 dự án chuyển đổi số được triển khai.",
            "- Hình thành kho dữ liệu dùng chung.",
            "III. NHIỆM VỤ",
            "- 100% hồ sơ được số hóa.",
        )
    )
    assert [(t.group, t.comparator, t.value, t.value_max, t.unit, t.level) for t in targets] == [
        ("a) Chính quyền số", ">=", 80, None, "%", "cấp sở"),
        ("a) Chính quyền số", ">=", 40, None, "%", "cấp huyện"),
        ("a) Chính quyền số", ">=", 30, None, "%", "cấp xã"),
        ("a) Chính quyền số", "range", 3, 5, "dự án", ""),
    ]
    assert targets[0].name == "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ"
    assert targets[3].name == "Dự án chuyển đổi số được triển khai"
    assert [t.code for t in targets] == ["1", "2", "3", "4"]


def test_chi_tieu_heading_and_plain_heading():
    targets = propose_targets(
        document(
            "I. MỤC ĐÍCH, YÊU CẦU",
            "- Bảo đảm 100% cơ quan tham gia.",
            "II. MỤC TIÊU",
            "Mục tiêu chung:",
            "- Đến năm 2025 tỉnh đạt top 10.",
            "Chỉ tiêu cụ thể:",
            "- Tỷ lệ dân số có hồ sơ sức khỏe điện tử đạt 80% vào năm 2026.",
            "III. NHIỆM VỤ",
        )
    )
    assert [(t.name, t.comparator, t.value, t.deadline_text) for t in targets] == [
        ("Tỷ lệ dân số có hồ sơ sức khỏe điện tử", ">=", 80, "Năm 2026"),
    ]


def test_goals_section_without_specific_heading():
    targets = propose_targets(
        document(
            "II. MỤC TIÊU",
            "1. Mục tiêu chung",
            "- 100% cơ quan kết nối mạng.",
            "2. Năm 2026",
            "- Trên 60% cán bộ được tập huấn kỹ năng số.",
            "III. NHIỆM VỤ",
        )
    )
    assert [(t.group, t.comparator, t.value, t.name) for t in targets] == [
        ("2. Năm 2026", ">", 60, "Cán bộ được tập huấn kỹ năng số"),
    ]


def test_a_plan_without_targets():
    assert propose_targets(document("I. CĂN CỨ", "- Nghị quyết số 52-NQ/TW", "II. NHIỆM VỤ")) == []
    assert propose_targets(Document()) == []


def test_the_year_of_a_heading_is_the_deadline_of_the_bullets_under_it():
    found = propose_targets(document(
        "II. MỤC TIÊU",
        "2. Mục tiêu cụ thể",
        "a) Phấn đấu đến năm 2025",
        "- 100% sở, ngành kiện toàn tổ chức bộ máy chuyên trách;",
        "- Tối thiểu 80% hồ sơ được giải quyết trực tuyến trong năm 2024;",
        "b) Đến năm 2026",
        "- 90% người dân có tài khoản định danh điện tử.",
        "III. NHIỆM VỤ",
    ))
    assert [(target.value, target.deadline_text) for target in found] == [
        (100, "Năm 2025"), (80, "Năm 2024"), (90, "Năm 2026"),
    ]
