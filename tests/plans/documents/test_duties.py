"""Per-agency duties ("Tổ chức thực hiện", "Nhiệm vụ trọng tâm của các sở, ban, ngành") as tasks."""

import datetime

import docx
import pytest

from agencies.catalog import read_catalog_csv
from agencies.matching import AgencyMatcher
from plans.appendix.preview import build_preview
from plans.documents.duties import deadline_in, parse_duties, period_from_title
from plans.documents.model import Document, Paragraph
from tasks.deadlines import parse_deadline
from tests.plans.documents.test_prose import DEMO, HERE, fields, golden, golden_fields, word_paragraphs


def doc(*texts):
    return Document(blocks=[Paragraph(text) for text in texts])


def title_of(name):
    return docx.Document(HERE / name).core_properties.title


# --- The Đồng Nai fixture --------------------------------------------------------------------------


def test_dong_nai_duties_equal_the_golden_field_by_field():
    period = period_from_title(title_of("dongnai-53-2024.docx"))
    parsed = parse_duties(word_paragraphs("dongnai-53-2024.docx"), period)

    assert period == "Năm 2024"
    assert [fields(task) for task in parsed.tasks] == [
        golden_fields(task) for task in golden("dongnai-53-2024")
    ]


def test_dong_nai_preview_equals_the_golden():
    parsed = parse_duties(word_paragraphs("dongnai-53-2024.docx"), "Năm 2024")
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / "dong-nai.csv"))

    preview = build_preview(parsed, matcher, datetime.date(2024, 2, 15), parse_deadline)

    tasks = [
        {
            **task,
            **{
                role: [{k: v for k, v in item.items() if k != "suggestions"} for item in task[role]]
                for role in ("lead", "coordinators")
            },
        }
        for task in preview["tasks"]
    ]
    assert tasks == golden("dongnai-53-2024")


def test_dong_nai_sections_are_the_list_and_its_agencies():
    parsed = parse_duties(word_paragraphs("dongnai-53-2024.docx"), "Năm 2024")

    assert [(s.code, s.parent) for s in parsed.sections][:3] == [("7", ""), ("7.1", "7"), ("7.2", "7")]
    assert parsed.sections[0].title == "Nhiệm vụ trọng tâm của các sở, ban, ngành"
    assert [s.title for s in parsed.sections][-1] == "Cục Thuế tỉnh"
    paragraphs = word_paragraphs("dongnai-53-2024.docx").paragraphs
    assert all(task.title in paragraphs[task.row - 1].text for task in parsed.tasks)


def test_dong_thap_duties_come_from_to_chuc_thuc_hien_and_stop_before_the_closing():
    parsed = parse_duties(word_paragraphs("dongthap-115-2024.docx"))

    assert [(t.code, t.lead) for t in parsed.tasks][:5] == [
        ("1.1", "Sở Thông tin và Truyền thông"),
        ("1.2", "Sở Thông tin và Truyền thông"),
        ("1.3", "Sở Thông tin và Truyền thông"),
        ("2.1", "Sở Nội vụ"),
        ("3.1", "Sở Tài chính"),
    ]
    assert parsed.tasks[3].title.startswith("Theo dõi, hướng dẫn việc bố trí")
    assert len(parsed.tasks) == 9
    assert parsed.tasks[5].deadline_text == "trước ngày 15 tháng 5 năm 2024"
    assert not any("Trong quá trình" in t.title or "PHỤ LỤC" in t.title for t in parsed.tasks)


# --- Variants --------------------------------------------------------------------------------------


def test_lettered_agencies_bullets_and_deadlines():
    parsed = parse_duties(
        doc(
            "IV. TỔ CHỨC THỰC HIỆN",
            "1. Trách nhiệm của các cơ quan",
            "a) Sở Nội vụ:",
            "- Hướng dẫn bố trí vị trí việc làm, hoàn thành trong Quý III/2024.",
            "+ Tổ chức tập huấn trước ngày 30/6/2024.",
            "b) Sở Tài chính: Bố trí kinh phí thực hiện Kế hoạch.",
            "c) UBND các huyện, thành phố",
            "Triển khai Kế hoạch tại địa phương, hoàn thành trong năm 2024.",
        ),
        "Năm 2024",
    )

    assert [(t.code, t.section, t.lead, t.title, t.deadline_text) for t in parsed.tasks] == [
        (
            "1.a.1",
            "1.a",
            "Sở Nội vụ",
            "Hướng dẫn bố trí vị trí việc làm, hoàn thành trong Quý III/2024.",
            "hoàn thành trong Quý III/2024",
        ),
        ("1.a.2", "1.a", "Sở Nội vụ", "Tổ chức tập huấn trước ngày 30/6/2024.", "trước ngày 30/6/2024"),
        ("1.b.1", "1.b", "Sở Tài chính", "Bố trí kinh phí thực hiện Kế hoạch.", "Năm 2024"),
        (
            "1.c.1",
            "1.c",
            "UBND các huyện, thành phố",
            "Triển khai Kế hoạch tại địa phương, hoàn thành trong năm 2024.",
            "hoàn thành trong năm 2024",
        ),
    ]
    assert [t.row for t in parsed.tasks] == [4, 5, 6, 8]


def test_an_introduction_and_sub_bullets_belong_to_their_duty():
    parsed = parse_duties(
        doc(
            "V. TỔ CHỨC THỰC HIỆN",
            "1. Sở Thông tin và Truyền thông",
            "Có trách nhiệm như sau:",
            "- Xây dựng các cơ sở dữ liệu sau:",
            "+ CSDL đất đai;",
            "+ CSDL dân cư.",
            "- Tổng hợp báo cáo UBND tỉnh.",
        )
    )

    assert [t.title for t in parsed.tasks] == [
        "Xây dựng các cơ sở dữ liệu sau: CSDL đất đai; CSDL dân cư.",
        "Tổng hợp báo cáo UBND tỉnh.",
    ]
    assert [t.deadline_text for t in parsed.tasks] == ["", ""]


def test_a_focused_duty_list_wins_over_the_whole_section():
    parsed = parse_duties(
        doc(
            "V. TỔ CHỨC THỰC HIỆN",
            "1. Sở Tài chính",
            "Bố trí kinh phí.",
            "2. Nhiệm vụ cụ thể của các cơ quan, đơn vị",
            "2.1. Sở Y tế",
            "Triển khai hồ sơ sức khỏe điện tử.",
        )
    )

    assert [(t.code, t.lead) for t in parsed.tasks] == [("2.1.1", "Sở Y tế")]


def test_no_agency_headings_no_duties():
    assert parse_duties(doc("I. MỤC TIÊU", "1. Mục tiêu chung", "- Hoàn thiện hạ tầng.")) is None
    assert parse_duties(Document()) is None


# --- Deadlines and periods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ban hành quy chế trong Quý III/2024.", "trong Quý III/2024"),
        ("Gửi báo cáo trước ngày 30/6/2024.", "trước ngày 30/6/2024"),
        ("Triển khai, hoàn thành trong năm 2024.", "hoàn thành trong năm 2024"),
        ("Lập báo cáo (thời gian hoàn thành: Quý II/2024).", "Quý II/2024"),
        ("Thực hiện chậm nhất là ngày 15 tháng 5 năm 2024.", "chậm nhất là ngày 15 tháng 5 năm 2024"),
        ("Triển khai Kế hoạch số 100/KH-UBND ngày 05/5/2022 của UBND tỉnh.", ""),
        ("Đạt top 10 đến năm 2025.", ""),
        ("Củng cố nhân lực trong thời gian tới.", ""),
    ],
)
def test_deadline_in_a_duty(text, expected):
    assert deadline_in(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kế hoạch chuyển đổi số tỉnh Đồng Nai năm 2024", "Năm 2024"),
        ("CHUYỂN ĐỔI SỐ TỈNH ĐỒNG NAI NĂM 2024", "Năm 2024"),
        ("Kế hoạch ứng dụng CNTT giai đoạn 2024 - 2026", "Giai đoạn 2024-2026"),
        ("Kế hoạch phát triển chính quyền số đến năm 2025, định hướng đến năm 2030", "Đến năm 2025"),
        (
            "Thực hiện Đề án “Kiện toàn tổ chức bộ máy … đến năm 2025, định hướng đến năm 2030” trên "
            "địa bàn tỉnh",
            "",
        ),
        ("Kế hoạch truyền thông", ""),
        ("", ""),
    ],
)
def test_period_from_title(title, expected):
    assert period_from_title(title) == expected
