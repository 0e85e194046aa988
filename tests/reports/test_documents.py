"""The exported files: .docx opened with python-docx, .xlsx with openpyxl, the PDF with pypdf."""

import csv
import datetime
import io
import shutil

import pytest
from docx import Document
from openpyxl import load_workbook

from reports.documents.content import document, symbol, vietnamese_date
from reports.documents.docx import render_docx
from reports.documents.pdf import render_pdf
from reports.documents.tables import render_csv, render_xlsx
from reports.periods import parse_period
from reports.services import plan_document
from reports.summary import build_summary
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(province, plan, lead_agency):
    plan.report_recipient = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông")
    plan.save()
    AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Quý I năm 2024"), agency=lead_agency)
    AssignmentFactory(task=TaskFactory(plan=plan, title="=HYPERLINK(\"http://x\")"), agency=lead_agency)
    return build_summary(province, parse_period("2024"), plan=plan, with_tasks=True)


@pytest.fixture
def doc(summary, plan, province):
    return plan_document(summary, plan, province, datetime.date(2024, 12, 31))


def test_vietnamese_date_pads_small_days_and_january_february():
    assert vietnamese_date(datetime.date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert vietnamese_date(datetime.date(2024, 12, 31)) == "ngày 31 tháng 12 năm 2024"


def test_symbol_prefers_an_alias_in_capitals():
    assert symbol("Sở Khoa học và Công nghệ") == "SKHCN"
    assert symbol("Sở Nội vụ", ["Sở NV", "SNV"]) == "SNV"


def test_docx_has_the_decree_30_header(doc):
    word = Document(io.BytesIO(render_docx(doc)))

    header = word.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "UBND TỈNH ĐỒNG THÁP" in left and "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in left and "Số:" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "Đồng Tháp, ngày 31 tháng 12 năm 2024" in right
    texts = [p.text for p in word.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện Kế hoạch số 115/KH-UBND – Năm 2024" in texts


def test_docx_uses_times_new_roman_on_a4_with_decree_margins(doc):
    word = Document(io.BytesIO(render_docx(doc)))

    section = word.sections[0]
    assert word.styles["Normal"].font.name == "Times New Roman"
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 3.0
    assert round(section.right_margin.cm, 1) == 1.5 and round(section.top_margin.cm, 1) == 2.0


def test_docx_has_recipients_signature_and_appendix_table(doc, summary):
    word = Document(io.BytesIO(render_docx(doc)))

    closing, appendix = word.tables[1], word.tables[2]
    assert closing.rows[0].cells[0].text.startswith("Nơi nhận:")
    assert closing.rows[0].cells[1].text.startswith("GIÁM ĐỐC")
    assert appendix.rows[0].cells[1].text == "Đơn vị chủ trì"
    assert [appendix.rows[1].cells[1].text, appendix.rows[1].cells[2].text] == ["Sở Nội vụ", "2"]
    assert appendix.rows[-1].cells[1].text == "Tổng cộng"
    assert len(appendix.rows) == 1 + len(summary["agencies"]) + 1


def test_xlsx_sheets_have_frozen_filtered_headers(summary):
    book = load_workbook(io.BytesIO(render_xlsx(summary)))

    sheet = book["Theo đơn vị"]
    assert [c.value for c in sheet[1]][:3] == ["STT", "Đơn vị chủ trì", "Số nhiệm vụ chủ trì"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    assert sheet.cell(row=2, column=2).value == "Sở Nội vụ"
    assert sheet.column_dimensions["B"].width >= len("Đơn vị chủ trì")
    assert book.sheetnames == ["Tổng hợp", "Theo đơn vị", "Quá hạn", "Nhiệm vụ"]


def test_xlsx_totals_sheet_compares_periods(summary):
    sheet = load_workbook(io.BytesIO(render_xlsx(summary)))["Tổng hợp"]

    assert [c.value for c in sheet[1]] == ["Chỉ tiêu", "Năm 2024", "Năm 2023"]  # the year before, once
    assert [c.value for c in sheet[2]][:2] == ["Tổng số nhiệm vụ", 2]


def test_csv_neutralises_formulas(summary):
    rows = list(csv.reader(io.StringIO(render_csv(summary).decode("utf-8-sig"))))

    assert rows[0][:3] == ["Kế hoạch", "Nhiệm vụ", "Nội dung"]
    assert any(row[2] == "'=HYPERLINK(\"http://x\")" for row in rows[1:])
    assert len(rows) == 3


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (see README)")
def test_pdf_is_produced_with_the_title(doc):
    from pypdf import PdfReader

    data = render_pdf(doc)

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert data.startswith(b"%PDF")
    assert "BÁO CÁO" in text
    assert "115/KH-UBND" in text


def test_agency_document_addresses_the_recipient(summary):
    doc = document(summary, kind="agency", issuer="Sở Nội vụ", parent="UBND tỉnh Đồng Tháp",
                   addressee="Sở Khoa học và Công nghệ", province="Đồng Tháp", number="12/BC-SNV",
                   report_date=datetime.date(2025, 3, 20), difficulties="Thiếu nhân lực.")

    assert doc["number"] == "Số: 12/BC-SNV"
    assert doc["recipients"][0] == "- Sở Khoa học và Công nghệ;"
    assert doc["sections"][3]["paragraphs"] == ["Thiếu nhân lực."]


def test_a_plan_published_without_a_number_is_named_by_its_title(province, plan, lead_agency):
    plan.number, plan.title = "", "Triển khai Đề án 06 năm 2024"
    plan.save()
    AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Quý I năm 2024"), agency=lead_agency)
    summary = build_summary(province, parse_period("2024"), plan=plan, with_tasks=True)

    texts = [p.text for p in Document(io.BytesIO(render_docx(plan_document(
        summary, plan, province, datetime.date(2024, 12, 31))))).paragraphs]
    rows = list(csv.reader(io.StringIO(render_csv(summary).decode("utf-8-sig"))))

    assert "Kết quả thực hiện Kế hoạch «Triển khai Đề án 06 năm 2024» – Năm 2024" in texts
    assert rows[1][0] == "Kế hoạch (chưa có số): Triển khai Đề án 06 năm 2024"
