"""Reading a PDF with a text layer into a ``Document`` (``plans.documents.pdf``).

The fixture PDFs are LibreOffice exports of the fixture Word files (see ``/work/shared/fixtures/documents``);
the other PDFs are built here from Word files made with python-docx, converted once per session.
"""

import datetime
import io
import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.shared import Pt

from agencies.catalog import read_catalog_csv
from agencies.matching import AgencyMatcher
from plans.appendix.parsing import parse_appendix
from plans.appendix.preview import build_preview
from plans.appendix.sheet import PROTECTED, AppendixError, Budget, Limits
from plans.documents.model import Line, paragraphs_from_lines
from plans.documents.pdf import DAMAGED, read_pdf
from tasks.deadlines import parse_deadline

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[2] / "plans" / "demo_data"


def read(data, limits=None, progress=None):
    limits = limits or Limits()
    return read_pdf(data, limits, Budget(limits), progress)


def fixture_pdf(name):
    return (HERE / f"{name}.pdf").read_bytes()


def normalise(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.fixture(scope="module")
def plan_115():
    return read(fixture_pdf("dongthap-115-2024"))


# --- The fixture PDFs --------------------------------------------------------------------------------


def test_115_appendix_is_one_table_with_the_golden_tasks(plan_115):
    tables = [table for table in plan_115.tables if table.bordered]
    assert len(tables) == 1
    table = tables[0]
    assert table.page == 6

    parsed = parse_appendix(table.sheet)

    assert [issue for issue in parsed.issues if issue.level == "error"] == []
    manifest = json.loads((DEMO / "appendix" / "manifest.json").read_text(encoding="utf-8"))
    plan = next(
        plan
        for plan in json.loads((DEMO / "plans.json").read_text(encoding="utf-8"))["plans"]
        if plan["appendix"] == "appendix/dongthap-115-2024.xlsx"
    )
    province = manifest["dongthap-115-2024.xlsx"]["province"]
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / f"{province}.csv"))
    reference = datetime.date.fromisoformat(plan["deadline_reference_date"])
    preview = build_preview(parsed, matcher, reference, parse_deadline)
    expected = json.loads((DEMO / "appendix" / "dongthap-115-2024.expected.json").read_text(encoding="utf-8"))
    for task in preview["tasks"]:
        for role in ("lead", "coordinators"):
            task[role] = [{k: v for k, v in item.items() if k != "suggestions"} for item in task[role]]
    assert preview["tasks"] == expected["tasks"]


def test_115_rows_broken_by_a_page_are_one_task_each(plan_115):
    tasks = {task.code: task for task in parse_appendix(plan_115.tables[0].sheet).tasks}

    assert tasks["II.4"].title.endswith("Phòng Văn hoá và Thông tin, không kiêm nhiệm các lĩnh vực khác")
    assert tasks["V.2"].title.endswith("cho đội ngũ chuyên trách chuyển đổi số")
    assert tasks["V.2"].lead == "Sở Thông tin và Truyền thông"
    assert len(tasks) == 16


def test_115_repeated_header_is_dropped_and_cells_are_one_line(plan_115):
    sheet = plan_115.tables[0].sheet
    headers = [row for row in sheet.rows if row.text(0) == "STT"]
    assert len(headers) == 1
    assert headers[0].text(5) == "Thời gian hoàn thành"
    assert not any("\n" in cell.text for row in sheet.rows for cell in row.cells)


def test_115_section_rows_are_merged_across(plan_115):
    row = plan_115.tables[0].sheet.rows[1]
    assert row.text(0) == "I"
    assert [cell.merged for cell in row.cells] == [False, False, True, True, True, True]


def test_115_properties(plan_115):
    assert plan_115.pages == 8
    assert plan_115.from_ocr is False
    assert plan_115.properties["title"].startswith("Kế hoạch thực hiện Đề án “Kiện toàn tổ chức bộ máy")
    assert plan_115.properties["created"] == "2026-12-01"
    assert plan_115.properties["pages_without_text"] == []


def test_115_layout_columns_are_separate_paragraphs(plan_115):
    texts = [paragraph.text for paragraph in plan_115.paragraphs]

    assert texts[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH ĐỒNG THÁP",
        "Số: 115/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đồng Tháp, ngày 08 tháng 04 năm 2024",
    ]
    signature = texts.index("TM. ỦY BAN NHÂN DÂN")
    assert texts[signature : signature + 4] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Huỳnh Minh Tuấn",
    ]
    assert "- Lưu: VT, VX. Thg." in texts
    assert texts[7].startswith("THỰC HIỆN ĐỀ ÁN “KIỆN TOÀN") and texts[7].endswith(
        "TRÊN ĐỊA BÀN TỈNH ĐỒNG THÁP"
    )
    assert plan_115.paragraphs[7].bold


def test_115_page_numbers_and_footnote_marks_are_not_text(plan_115):
    texts = [paragraph.text for paragraph in plan_115.paragraphs]
    assert not any(re.fullmatch(r"\d+", text) for text in texts)
    assert any("861/QĐ-UBND-HC, phấn đấu" in text for text in texts)
    # the footnote is a paragraph of its own, after the page's text
    footnote = next(p for p in plan_115.paragraphs if p.text.startswith("1 Nghị quyết số 04-NQ/TU"))
    assert footnote.page == 1


def test_115_blocks_are_in_reading_order(plan_115):
    kinds = ["table" if block in plan_115.tables else block.text for block in plan_115.blocks]
    table = kinds.index("table")
    assert kinds[table - 3 : table] == [
        "PHỤ LỤC",
        "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM",
        "(Kèm theo Kế hoạch số 115/KH-UBND ngày 08/4/2024 của UBND Tỉnh)",
    ]
    pages = [block.page for block in plan_115.blocks]
    assert pages == sorted(pages)


def identical_share(name):
    document = read(fixture_pdf(name))
    pdf_paragraphs = {normalise(paragraph.text) for paragraph in document.paragraphs}
    word_paragraphs = [
        normalise(paragraph.text)
        for paragraph in docx.Document(HERE / f"{name}.docx").paragraphs
        if normalise(paragraph.text)
    ]
    found = sum(1 for text in word_paragraphs if text in pdf_paragraphs)
    return found / len(word_paragraphs)


@pytest.mark.parametrize("name", ["quangnam-2024", "dongnai-53-2024", "dongthap-115-2024"])
def test_prose_paragraphs_are_the_word_files(name):
    share = identical_share(name)
    print(f"{name}: {share:.1%} of the Word paragraphs read identically")  # noqa: T201
    assert share >= 0.98


def test_quang_nam_task_items_are_paragraphs_of_their_own():
    texts = [paragraph.text for paragraph in read(fixture_pdf("quangnam-2024")).paragraphs]
    heading = texts.index("6. Đẩy mạnh hoạt động của Mạng lưới CĐS từ cấp tỉnh đến cơ sở")
    assert texts[heading + 1].startswith("Thiết lập, phê duyệt danh sách thành viên Mạng lưới CĐS")
    assert (
        "5.4) Tuyên truyền, giới thiệu, hướng dẫn sử dụng nền tảng học trực tuyến mở đại trà (MOOCs)"
        in " ".join(texts)
        or any(text.startswith("5.4)") for text in texts)
    )


def test_a_scan_is_listed_for_ocr():
    document = read(fixture_pdf("dongthap-115-2024.scanned"))
    assert document.properties["pages_without_text"] == list(range(1, 9))
    assert document.blocks == []
    assert document.pages == 8
    assert document.from_ocr is False


def test_progress_is_reported_after_each_page():
    calls = []
    read(fixture_pdf("dongthap-115-2024"), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(page, 8) for page in range(1, 9)]


# --- Refused files -----------------------------------------------------------------------------------


def test_an_encrypted_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(fixture_pdf("dongnai-53-2024"))).pages[:2]:
        writer.add_page(page)
    writer.encrypt("mật-khẩu")
    out = io.BytesIO()
    writer.write(out)

    with pytest.raises(AppendixError) as error:
        read(out.getvalue())
    assert error.value.message == PROTECTED


@pytest.mark.parametrize(
    "data",
    [b"not a pdf at all", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF", b""],
    ids=["garbage", "no-pages", "empty"],
)
def test_a_damaged_pdf_is_refused(data):
    with pytest.raises(AppendixError) as error:
        read(data)
    assert error.value.message == DAMAGED


def test_a_truncated_pdf_is_refused_or_read_without_crashing():
    data = fixture_pdf("dongthap-115-2024")
    try:
        read(data[: len(data) // 2])
    except AppendixError as error:
        assert error.message == DAMAGED


@dataclass(frozen=True)
class PageLimits(Limits):
    max_pages: int = 300


def test_too_many_pages_are_refused():
    with pytest.raises(AppendixError) as error:
        read(fixture_pdf("dongthap-115-2024"), PageLimits(max_pages=5))
    assert "8 trang" in error.value.message and "tối đa 5 trang" in error.value.message
    assert len(read(fixture_pdf("dongthap-115-2024"), PageLimits(max_pages=8)).tables) == 1


def test_a_tight_row_limit_holds_for_pdf_tables():
    with pytest.raises(AppendixError, match="quá nhiều dòng"):
        read(fixture_pdf("dongthap-115-2024"), Limits(max_rows=10))


# --- Lines into paragraphs ---------------------------------------------------------------------------


def line(text, x0, x1, top, page=1, bold=False):
    return Line(text, x0, x1, top, top + 14, page, bold)


def test_paragraphs_from_lines_joins_wrapped_lines_and_splits_at_markers():
    lines = [
        line("1. Mục tiêu: xây dựng đội ngũ", 113, 538, 100),
        line("đủ về số lượng.", 85, 200, 116),
        line("Thực hiện tốt nhiệm vụ chuyển đổi số trong các", 113, 538, 132),
        line("cơ quan nhà nước, 36/2020/QĐ-", 85, 538, 148),
        line("UBND ngày 31/8/2020", 85, 300, 164),
        line("- Cơ quan chủ trì: Sở Nội vụ", 113, 400, 180),
    ]
    texts = [paragraph.text for paragraph in paragraphs_from_lines(lines)]
    assert texts == [
        "1. Mục tiêu: xây dựng đội ngũ đủ về số lượng.",
        "Thực hiện tốt nhiệm vụ chuyển đổi số trong các cơ quan nhà nước, 36/2020/QĐ-UBND ngày 31/8/2020",
        "- Cơ quan chủ trì: Sở Nội vụ",
    ]


def test_paragraphs_from_lines_keeps_a_wrapped_centred_title_together():
    lines = [
        line("KẾ HOẠCH", 274, 350, 100, bold=True),
        line("THỰC HIỆN ĐỀ ÁN KIỆN TOÀN TỔ CHỨC BỘ MÁY, NÂNG CAO", 97, 527, 116, bold=True),
        line("TRÊN ĐỊA BÀN TỈNH ĐỒNG THÁP", 220, 403, 132, bold=True),
        line("Căn cứ Luật Tổ chức chính quyền địa phương", 113, 538, 160),
        line("ngày 19 tháng 6 năm 2015;", 85, 250, 176),
    ]
    paragraphs = paragraphs_from_lines(lines)
    assert [p.text for p in paragraphs] == [
        "KẾ HOẠCH",
        "THỰC HIỆN ĐỀ ÁN KIỆN TOÀN TỔ CHỨC BỘ MÁY, NÂNG CAO TRÊN ĐỊA BÀN TỈNH ĐỒNG THÁP",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    ]
    assert [p.bold for p in paragraphs] == [True, True, False]


def test_paragraphs_from_lines_runs_over_a_page_break():
    lines = [
        line("Các sở, ngành tổ chức triển khai thực hiện nhiệm vụ", 113, 538, 700, page=1),
        line("được giao đúng thời hạn.", 85, 300, 716, page=1),
        line("Đồng thời bố trí kinh phí cho các nhiệm vụ chuyển đổi", 113, 538, 760, page=1),
        line("số năm 2024.", 85, 200, 56, page=2),
        line("Thực hiện chế độ báo cáo định kỳ theo quy định, gửi", 113, 538, 72, page=2),
    ]
    assert [p.page for p in paragraphs_from_lines(lines)] == [1, 1, 2]
    assert paragraphs_from_lines(lines)[1].text.endswith("chuyển đổi số năm 2024.")


# --- PDFs made here from Word files ------------------------------------------------------------------

LONG = (
    "Rà soát, cập nhật và hoàn thiện các quy định về chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của "
    "cơ quan chuyên môn về chuyển đổi số, bảo đảm thống nhất, đồng bộ với hệ thống văn bản quy phạm pháp "
    "luật hiện hành và yêu cầu thực tiễn của địa phương trong giai đoạn mới"
)
SPLIT_TASKS = [
    (
        f"{LONG} (nhiệm vụ {n}). "
        + " ".join([f"Nội dung bổ sung số {k} của nhiệm vụ {n}." for k in range(1, 4 * n + 2)]),
        "Sở Thông tin và Truyền thông" if n % 2 else "Sở Nội vụ",
        "Các sở, ngành tỉnh; UBND cấp huyện",
        f"Quý {n % 4 + 1} năm 2024",
    )
    for n in range(1, 9)
]
UNRULED_TASKS = [
    (
        "Xây dựng kế hoạch chuyển đổi số năm 2024 của tỉnh và các huyện",
        "Sở Thông tin và Truyền thông",
        "Các sở, ngành",
        "Tháng 3/2024",
    ),
    (
        "Tập huấn kỹ năng số cho cán bộ, công chức cấp xã trên địa bàn tỉnh",
        "Sở Nội vụ",
        "UBND cấp huyện",
        "Năm 2024",
    ),
    (
        "Triển khai nền tảng học trực tuyến mở đại trà",
        "Sở Giáo dục và Đào tạo",
        "Sở Thông tin và Truyền thông",
        "Quý II/2024",
    ),
]


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


def _layout_header(document):
    table = document.add_table(rows=1, cols=2)  # no style: no borders
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("TỈNH THỬ NGHIỆM")
    # short enough not to wrap in python-docx's half-page column (a wrapped centred line of a layout
    # column is read as two paragraphs)
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI"
    right.add_paragraph("Độc lập - Tự do")
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = 1
            for run in paragraph.runs:
                run.bold = True


def _signature(document):
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "Nơi nhận:"
    left.add_paragraph("- Như trên;")
    left.add_paragraph("- Lưu: VT.")
    right.paragraphs[0].text = "TM. ỦY BAN NHÂN DÂN"
    right.add_paragraph("CHỦ TỊCH")
    right.add_paragraph("Nguyễn Văn A")
    for paragraph in right.paragraphs:
        paragraph.alignment = 1


def _landscape(section):
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def build_split_table(path):
    """A ruled appendix in a landscape section, header repeated on each page, rows long enough to break
    over pages, a section row merged across and a lead cell merged over two rows."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(13)
    _layout_header(document)
    document.add_paragraph("KẾ HOẠCH THỬ NGHIỆM").alignment = 1
    document.add_paragraph("Kế hoạch này có phụ lục kèm theo.")
    section = document.add_section()
    _landscape(section)
    document.add_paragraph("PHỤ LỤC").alignment = 1
    table = document.add_table(rows=2, cols=5)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells,
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
        strict=True,
    ):
        cell.text = label
    _repeat_header(table.rows[0])
    table.rows[1].cells[0].text = "I"
    merged = table.rows[1].cells[1].merge(table.rows[1].cells[4])
    merged.text = "NHIỆM VỤ CHUNG"
    short = [
        ("Ban hành quy chế hoạt động", "Ban Chỉ đạo tỉnh", "Các sở", "Năm 2024"),
        ("Kiện toàn tổ công nghệ số", "", "UBND cấp xã", "Năm 2025"),
    ]
    for number, (title, lead, coordinators, deadline) in enumerate(short + SPLIT_TASKS, 1):
        cells = table.add_row().cells
        for cell, text in zip(cells, [str(number), title, lead, coordinators, deadline], strict=True):
            cell.text = text
    lead_top = table.rows[2].cells[2]
    lead_top.merge(table.rows[3].cells[2]).text = "Ban Chỉ đạo tỉnh"
    document.add_paragraph("")
    _signature(document)
    document.save(path)


def build_unruled_table(path):
    """An appendix typeset in a table without any border: a PDF shows it as aligned text."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(12)
    document.add_paragraph("PHỤ LỤC NHIỆM VỤ").alignment = 1
    table = document.add_table(rows=1, cols=5)
    widths = [Pt(36), Pt(190), Pt(110), Pt(110), Pt(70)]
    for cell, label, width in zip(
        table.rows[0].cells,
        ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        widths,
        strict=True,
    ):
        cell.text = label
        cell.width = width
    for number, (title, lead, coordinators, deadline) in enumerate(UNRULED_TASKS, 1):
        cells = table.add_row().cells
        for cell, text, width in zip(
            cells, [f"{number}.", title, lead, coordinators, deadline], widths, strict=True
        ):
            cell.text = text
            cell.width = width
    document.add_paragraph("")
    document.add_paragraph(
        "Các cơ quan, đơn vị căn cứ nhiệm vụ được giao tổ chức triển khai thực hiện, định kỳ báo cáo kết quả "
        "về Sở Thông tin và Truyền thông trước ngày 15 tháng 12 hằng năm để tổng hợp, báo cáo UBND tỉnh."
    )
    _signature(document)
    document.save(path)


@pytest.fixture(scope="session")
def built_pdfs(tmp_path_factory):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not on PATH: the PDFs built from Word files cannot be made")
    folder = tmp_path_factory.mktemp("pdf_from_word")
    builders = {"split": build_split_table, "unruled": build_unruled_table}
    for name, build in builders.items():
        build(folder / f"{name}.docx")
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *[str(folder / f"{name}.docx") for name in builders],
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {name: (folder / f"{name}.pdf").read_bytes() for name in builders}


def test_a_ruled_table_over_pages_is_one_table(built_pdfs):
    document = read(built_pdfs["split"])
    assert document.pages >= 3
    tables = document.tables
    assert len(tables) == 1 and tables[0].bordered
    assert tables[0].page == 2  # the landscape section

    parsed = parse_appendix(tables[0].sheet)

    assert [task.code for task in parsed.tasks] == [f"I.{n}" for n in range(1, 11)]
    expected_titles = ["Ban hành quy chế hoạt động", "Kiện toàn tổ công nghệ số"] + [
        t[0] for t in SPLIT_TASKS
    ]
    assert [task.title for task in parsed.tasks] == expected_titles
    assert [task.deadline_text for task in parsed.tasks][2:] == [t[3] for t in SPLIT_TASKS]
    assert [task.lead for task in parsed.tasks][2:] == [t[1] for t in SPLIT_TASKS]
    assert [task.coordinators for task in parsed.tasks][:2] == ["Các sở", "UBND cấp xã"]
    assert parsed.sections[0].title == "NHIỆM VỤ CHUNG"


def test_a_cell_merged_down_fills_the_rows_below(built_pdfs):
    sheet = read(built_pdfs["split"]).tables[0].sheet
    tasks = parse_appendix(sheet).tasks
    assert [task.lead for task in tasks[:2]] == ["Ban Chỉ đạo tỉnh", "Ban Chỉ đạo tỉnh"]
    assert sheet.rows[3].cells[2].filled_down


def test_layout_tables_of_a_built_pdf_read_as_paragraphs(built_pdfs):
    document = read(built_pdfs["split"])
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:4] == ["ỦY BAN NHÂN DÂN", "TỈNH THỬ NGHIỆM", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do"]
    assert texts[-6:] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn A",
    ]
    assert isinstance(document.blocks[-7], type(document.tables[0]))


def test_a_table_without_ruling_lines_is_read_from_its_header_columns(built_pdfs):
    document = read(built_pdfs["unruled"])
    tables = document.tables
    assert len(tables) == 1 and not tables[0].bordered

    parsed = parse_appendix(tables[0].sheet)

    rows = [
        (task.code, task.title, task.lead, task.coordinators, task.deadline_text) for task in parsed.tasks
    ]
    assert rows == [(str(n), *task) for n, task in enumerate(UNRULED_TASKS, 1)]
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "PHỤ LỤC NHIỆM VỤ"
    assert any(text.startswith("Các cơ quan, đơn vị căn cứ nhiệm vụ được giao") for text in texts)
    assert "Nơi nhận:" in texts
