"""The Công văn đôn đốc (reports.documents.urging_letter), read back with python-docx: the Decree
30/2020 layout — number left blank, national title and motto, "Kính gửi" the agencies, the table of
tasks with their deadlines and days overdue, "Nơi nhận" and the signer. No database."""

import datetime
import io
import re

import pytest
from docx import Document

from reports.documents.urging_letter import (
    LetterPlan,
    LetterRow,
    UrgingLetter,
    default_subject,
    render_urging_letter,
)

SENT = datetime.date(2026, 12, 2)
ROWS = (
    LetterRow("I.1", "Ban hành quy chế quản lý", "Sở Nội vụ", datetime.date(2024, 12, 31), 701),
    LetterRow("II.3", "Tổ chức họp Ban chỉ đạo", "Sở Nội vụ; Sở Tài chính", datetime.date(2026, 9, 30), 63,
              "Quý III/2026"),
    LetterRow("III.2", "Xây dựng kho dữ liệu", "Sở Tài chính", datetime.date(2026, 12, 5)),
)


def _letter(**fields):
    plan = LetterPlan("115/KH-UBND", datetime.date(2024, 4, 8), "Ủy ban nhân dân tỉnh Đồng Tháp",
                      "Thực hiện Đề án chuyển đổi số", ROWS)
    return UrgingLetter(**{
        "place": "Đồng Tháp", "authority": "UBND tỉnh Đồng Tháp", "committee": "UBND tỉnh",
        "issuer": "Sở Khoa học và Công nghệ", "subject": default_subject(["115/KH-UBND"]), "sent_on": SENT,
        "addressees": ("Sở Nội vụ", "Sở Tài chính"), "plans": (plan,),
        "report_by": datetime.date(2026, 12, 9),
        "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "signer_name": "Nguyễn Văn An", **fields,
    })


@pytest.fixture
def word():
    return Document(io.BytesIO(render_urging_letter(_letter())))


def _lines(cell):
    return [paragraph.text for paragraph in cell.paragraphs]


def _text(word):
    return "\n".join(paragraph.text for paragraph in word.paragraphs)


def test_the_number_is_left_blank_for_the_e_office_system(word):
    issuer_cell = word.tables[0].rows[0].cells[0]

    assert any(re.fullmatch(r"Số: {4,}/SKHCN-…", line) for line in _lines(issuer_cell))


def test_the_issuing_department_stands_under_its_peoples_committee(word):
    lines = [line for line in _lines(word.tables[0].rows[0].cells[0]) if line]

    assert lines[:2] == ["UBND TỈNH ĐỒNG THÁP", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert lines[-1] == "V/v đôn đốc thực hiện nhiệm vụ theo Kế hoạch số 115/KH-UBND"


def test_the_national_title_and_motto_head_the_right_column(word):
    lines = _lines(word.tables[0].rows[0].cells[1])

    assert lines[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def test_the_date_leaves_the_day_blank_and_is_italic(word):
    date_line = word.tables[0].rows[0].cells[1].paragraphs[-1]

    assert re.fullmatch(r"Đồng Tháp, ngày {3,}tháng 12 năm 2026", date_line.text)
    assert all(run.italic for run in date_line.runs)


def test_kinh_gui_lists_each_agency_on_its_line(word):
    text = _text(word)

    assert "Kính gửi:\n- Sở Nội vụ;\n- Sở Tài chính." in text


def test_one_agency_is_addressed_on_the_kinh_gui_line():
    word = Document(io.BytesIO(render_urging_letter(_letter(addressees=("Sở Nội vụ",)))))

    assert "Kính gửi: Sở Nội vụ." in _text(word)


def test_the_table_rows_are_the_tasks_with_their_deadlines_and_days_overdue(word):
    table = word.tables[1]

    assert [cell.text for cell in table.rows[0].cells] == [
        "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Số ngày quá hạn"
    ]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == [
        ["1", "I.1. Ban hành quy chế quản lý", "Sở Nội vụ", "31/12/2024", "701"],
        ["2", "II.3. Tổ chức họp Ban chỉ đạo", "Sở Nội vụ; Sở Tài chính", "30/09/2026\n(Quý III/2026)", "63"],
        ["3", "III.2. Xây dựng kho dữ liệu", "Sở Tài chính", "05/12/2026", "Còn 3 ngày"],
    ]


def test_the_body_cites_the_plan_and_asks_for_a_report_by_the_date(word):
    text = _text(word)

    assert ("Thực hiện Kế hoạch số 115/KH-UBND ngày 08/04/2024 của Ủy ban nhân dân tỉnh Đồng Tháp về thực "
            "hiện Đề án chuyển đổi số" in text)
    assert "còn 2 nhiệm vụ đã quá hạn và 1 nhiệm vụ sắp đến hạn chưa hoàn thành" in text
    assert "báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 09/12/2026./." in text


def test_without_a_date_to_report_by_it_is_left_to_fill():
    word = Document(io.BytesIO(render_urging_letter(_letter(report_by=None))))

    assert "trước ngày …/…/……./." in _text(word)


def test_the_signer_block_has_the_title_and_the_name(word):
    signer = word.tables[-1].rows[0].cells[1]
    lines = [line for line in _lines(signer) if line.strip()]

    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    assert all(run.bold for paragraph in signer.paragraphs for run in paragraph.runs)


def test_noi_nhan_is_bottom_left_in_bold_italic(word):
    recipients = word.tables[-1].rows[0].cells[0]

    assert _lines(recipients) == ["Nơi nhận:", "- Như trên;", "- UBND tỉnh (b/c);", "- Lưu: VT, …"]
    heading = recipients.paragraphs[0].runs[0]
    assert (heading.bold, heading.italic) == (True, True)


def test_several_plans_get_a_table_each_under_their_reference():
    other = LetterPlan("53/KH-UBND", None, "Ủy ban nhân dân tỉnh Đồng Tháp", "Chuyển đổi số", ROWS[:1])
    letter = _letter()
    word = Document(io.BytesIO(render_urging_letter(_letter(plans=(*letter.plans, other)))))

    assert len(word.tables) == 4  # header, a table per plan, signature
    assert "Kế hoạch số 53/KH-UBND của Ủy ban nhân dân tỉnh Đồng Tháp" in _text(word)


def test_the_page_is_a4_with_the_decree_margins_in_times_new_roman(word):
    section = word.sections[0]

    lengths = (section.page_width, section.page_height, section.left_margin, section.right_margin,
               section.top_margin, section.bottom_margin)
    assert [round(length.cm, 1) for length in lengths] == [21, 29.7, 3, 1.5, 2, 2]
    assert word.styles["Normal"].font.name == "Times New Roman"


def test_a_registered_number_is_printed():
    word = Document(io.BytesIO(render_urging_letter(_letter(number="125/SKHCN-VP"))))

    assert "Số: 125/SKHCN-VP" in _lines(word.tables[0].rows[0].cells[0])


@pytest.mark.parametrize(("numbers", "subject"), [
    (["115/KH-UBND", "115/KH-UBND"], "V/v đôn đốc thực hiện nhiệm vụ theo Kế hoạch số 115/KH-UBND"),
    (["115/KH-UBND", "53/KH-UBND"],
     "V/v đôn đốc thực hiện nhiệm vụ theo các Kế hoạch số 115/KH-UBND, 53/KH-UBND"),
    (["115/KH-UBND", ""], "V/v đôn đốc thực hiện nhiệm vụ theo Kế hoạch số 115/KH-UBND và kế hoạch khác"),
    ([""], "V/v đôn đốc thực hiện nhiệm vụ theo kế hoạch"),
])
def test_the_default_subject_names_the_plans(numbers, subject):
    assert default_subject(numbers) == subject
