"""Tasks written in prose (numbered items with labelled fields) read from a document's paragraphs."""

import datetime
import json
from pathlib import Path

import docx
import pytest

from agencies.catalog import read_catalog_csv
from agencies.matching import AgencyMatcher
from agencies.names import split_mentions
from plans.appendix.preview import build_preview
from plans.documents.model import Document, Paragraph
from plans.documents.prose import parse_prose
from tasks.deadlines import parse_deadline

HERE = Path(__file__).resolve().parent
DEMO = Path(__file__).resolve().parents[3] / "plans" / "demo_data"


def word_paragraphs(name):
    return Document(
        blocks=[Paragraph(p.text) for p in docx.Document(HERE / name).paragraphs if p.text.strip()]
    )


def doc(*texts):
    return Document(blocks=[Paragraph(text) for text in texts])


def golden(name):
    return json.loads((DEMO / "appendix" / f"{name}.expected.json").read_text(encoding="utf-8"))["tasks"]


def fields(task):
    return {
        "code": task.code,
        "section": task.section,
        "section_title": task.section_title,
        "title": task.title,
        "lead": split_mentions(task.lead),
        "coordinators": split_mentions(task.coordinators),
        "deliverable": task.deliverable,
        "deadline": task.deadline_text,
    }


def golden_fields(task):
    return {
        "code": task["code"],
        "section": task["section"],
        "section_title": task["section_title"],
        "title": task["title"],
        "lead": [item["mention"] for item in task["lead"]],
        "coordinators": [item["mention"] for item in task["coordinators"]],
        "deliverable": task["deliverable"],
        "deadline": task["deadline"]["text"],
    }


# --- The Quảng Nam fixture ------------------------------------------------------------------------


def test_quang_nam_prose_tasks_equal_the_golden_field_by_field():
    parsed = parse_prose(word_paragraphs("quangnam-2024.docx"))

    assert [fields(task) for task in parsed.tasks] == [
        golden_fields(task) for task in golden("quangnam-2024")
    ]


def test_quang_nam_preview_equals_the_golden():
    parsed = parse_prose(word_paragraphs("quangnam-2024.docx"))
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / "quang-nam.csv"))

    preview = build_preview(parsed, matcher, datetime.date(2024, 6, 13), parse_deadline)

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
    assert tasks == golden("quangnam-2024")


def test_quang_nam_group_five_is_a_section_and_rows_are_paragraph_indexes():
    parsed = parse_prose(word_paragraphs("quangnam-2024.docx"))

    assert [(s.code, s.parent) for s in parsed.sections] == [("5", "")]
    assert parsed.sections[0].title.startswith("Phát triển lực lượng")
    paragraphs = word_paragraphs("quangnam-2024.docx").paragraphs
    for task in parsed.tasks:
        heading = paragraphs[task.row - 1].text
        assert heading.startswith(task.printed_number) and task.title in heading
    assert [t.printed_number for t in parsed.tasks][7] == "5.4)"
    assert parsed.issues == []


@pytest.mark.parametrize("name", ["dongnai-53-2024.docx", "dongthap-115-2024.docx"])
def test_plans_without_prose_fields_have_no_prose_task_list(name):
    assert parse_prose(word_paragraphs(name)) is None


# --- Variants --------------------------------------------------------------------------------------


def test_label_variants_and_markers():
    parsed = parse_prose(
        doc(
            "III. NHIỆM VỤ CỤ THỂ",
            "1. Xây dựng kho dữ liệu dùng chung",
            "+ Đơn vị chủ trì: Sở Thông tin và Truyền thông",
            "+ Đơn vị phối hợp: Sở Tài chính; Sở Nội vụ",
            "+ Tiến độ: Quý II/2025",
            "+ Sản phẩm đầu ra: Kho dữ liệu",
            "2. Tập huấn kỹ năng số",
            "Chủ trì: Sở Nội vụ",
            "Phối hợp: UBND các huyện",
            "Thời hạn: Năm 2025",
            "Kết quả/Sản phẩm: Lớp tập huấn",
            "3. Ban hành quy chế",
            "- CƠ QUAN/ĐƠN VỊ CHỦ TRÌ: VĂN PHÒNG UBND TỈNH",
            "- THỜI GIAN HOÀN THÀNH/THỰC HIỆN: THÁNG 6/2025",
        )
    )

    assert [
        (t.code, t.title, t.lead, t.coordinators, t.deadline_text, t.deliverable) for t in parsed.tasks
    ] == [
        (
            "1",
            "Xây dựng kho dữ liệu dùng chung",
            "Sở Thông tin và Truyền thông",
            "Sở Tài chính; Sở Nội vụ",
            "Quý II/2025",
            "Kho dữ liệu",
        ),
        ("2", "Tập huấn kỹ năng số", "Sở Nội vụ", "UBND các huyện", "Năm 2025", "Lớp tập huấn"),
        ("3", "Ban hành quy chế", "VĂN PHÒNG UBND TỈNH", "", "THÁNG 6/2025", ""),
    ]
    assert [t.row for t in parsed.tasks] == [2, 7, 12]


def test_value_on_the_next_paragraphs_and_missing_colon():
    parsed = parse_prose(
        doc(
            "IV. NỘI DUNG",
            "1. Số hóa hồ sơ",
            "- Nội dung thực hiện:",
            "+ Rà soát hồ sơ",
            "- Cơ quan chủ trì thực hiện:",
            "Sở Nội vụ",
            "- Cơ quan phối hợp",
            "+ Sở Tư pháp",
            "+ UBND các huyện, thị xã, thành phố",
            "- Thời gian thực hiện Quý IV/2025.",
            "- Kết quả: Hồ sơ được số hóa.",
        )
    )

    (task,) = parsed.tasks
    assert task.lead == "Sở Nội vụ"
    assert split_mentions(task.coordinators) == ["Sở Tư pháp", "UBND các huyện, thị xã, thành phố"]
    assert task.deadline_text == "Quý IV/2025"
    assert task.deliverable == "Hồ sơ được số hóa."
    assert task.title == "Số hóa hồ sơ"


def test_sentences_opening_like_labels_are_not_fields():
    document = doc(
        "V. TỔ CHỨC THỰC HIỆN",
        "1. Văn phòng UBND tỉnh",
        "Phối hợp Sở Thông tin và Truyền thông tham mưu triển khai Cổng dịch vụ công.",
        "2. Sở Tài chính",
        "- Chủ trì tổ chức triển khai, theo dõi việc thực hiện.",
        "- Chủ trì, phối hợp với các cơ quan bố trí kinh phí.",
        "- Kết quả thực hiện được báo cáo hằng quý.",
    )

    assert parse_prose(document) is None


def test_groups_numbered_afresh_and_lettered_tasks():
    parsed = parse_prose(
        doc(
            "II. NHIỆM VỤ",
            "1. Hạ tầng số",
            "a) Nâng cấp mạng truyền số liệu",
            "- Chủ trì: Sở Thông tin và Truyền thông",
            "- Thời gian: 2025",
            "b) Phủ sóng 5G",
            "- Chủ trì: Các doanh nghiệp viễn thông",
            "2. Dữ liệu số",
            "2.1. Xây dựng CSDL đất đai",
            "- Chủ trì: Sở Tài nguyên và Môi trường",
        )
    )

    assert [(t.code, t.section, t.section_title) for t in parsed.tasks] == [
        ("1.a", "1", "Hạ tầng số"),
        ("1.b", "1", "Hạ tầng số"),
        ("2.1", "2", "Dữ liệu số"),
    ]
    assert [(s.code, s.title) for s in parsed.sections] == [("1", "Hạ tầng số"), ("2", "Dữ liệu số")]


def test_tasks_in_several_roman_sections_get_the_section_in_their_code():
    parsed = parse_prose(
        doc(
            "I. NHIỆM VỤ CHUNG",
            "1. Tuyên truyền",
            "- Chủ trì: Sở Thông tin và Truyền thông",
            "II. NHIỆM VỤ CỤ THỂ",
            "1. Tập huấn",
            "- Chủ trì: Sở Nội vụ",
        )
    )

    assert [(t.code, t.section) for t in parsed.tasks] == [("I.1", "I"), ("II.1", "II")]
    assert [(s.code, s.title) for s in parsed.sections] == [
        ("I", "NHIỆM VỤ CHUNG"),
        ("II", "NHIỆM VỤ CỤ THỂ"),
    ]


def test_unlabelled_content_is_not_the_title_and_the_closing_is_not_a_field():
    parsed = parse_prose(
        doc(
            "III. NHIỆM VỤ",
            "1. Đẩy mạnh Mạng lưới chuyển đổi số",
            "Thiết lập danh sách thành viên Mạng lưới.",
            "a) Cơ quan chủ trì: Sở Thông tin và Truyền thông.",
            "b) Kết quả: Mạng lưới hoạt động hiệu quả.",
            "Trong quá trình triển khai thực hiện, nếu có khó khăn, vướng mắc, các cơ quan báo cáo "
            "UBND tỉnh.",
            "Trên đây là Kế hoạch của UBND tỉnh./.",
        )
    )

    (task,) = parsed.tasks
    assert task.title == "Đẩy mạnh Mạng lưới chuyển đổi số"
    assert task.deliverable == "Mạng lưới hoạt động hiệu quả."


def test_tasks_of_a_prose_appendix_after_the_signature():
    parsed = parse_prose(
        doc(
            "I. MỤC ĐÍCH",
            "1. Mục đích: nâng cao năng lực.",
            "Trên đây là Kế hoạch của UBND tỉnh./.",
            "PHỤ LỤC",
            "DANH MỤC NHIỆM VỤ",
            "1. Xây dựng quy chế",
            "- Chủ trì: Sở Nội vụ",
            "- Thời hạn: Quý I/2025",
        )
    )

    assert [(t.code, t.lead, t.deadline_text, t.row) for t in parsed.tasks] == [
        ("1", "Sở Nội vụ", "Quý I/2025", 6)
    ]


def test_no_paragraphs_no_tasks():
    assert parse_prose(Document()) is None
