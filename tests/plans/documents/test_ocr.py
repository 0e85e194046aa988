"""Reading scanned PDFs with Tesseract: the fixture scan against its golden, and small pages drawn here.

OCR is slow, so the fixture scan is read once per session (its body page 1 and appendix pages 6–8) and
the drawn pages are small. The OCR tests are skipped when Tesseract or its Vietnamese model is missing.
"""

import datetime
import io
import json
import random
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from agencies.catalog import read_catalog_csv
from agencies.matching import AgencyMatcher
from plans.appendix.parsing import parse_appendix
from plans.appendix.preview import build_preview
from plans.appendix.sheet import AppendixError, Budget, Limits
from plans.documents.model import Paragraph, Table
from plans.documents.ocr import (
    OCR_UNAVAILABLE,
    GridCell,
    PageTable,
    _TableBuilder,
    clean_text,
    fix_number_cell,
    ocr_available,
    read_scanned_pdf,
)
from tasks.deadlines import parse_deadline

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[2] / "plans" / "demo_data"
SCAN = HERE / "dongthap-115-2024.scanned.pdf"
FONTS = Path("/usr/share/fonts/truetype")
# DejaVu has every precomposed Vietnamese letter (the Liberation fonts installed here lack some).
FONT = next((path for path in (FONTS / "dejavu/DejaVuSans.ttf",) if path.exists()), None)

needs_ocr = pytest.mark.skipif(
    not ocr_available(), reason="Tesseract OCR with the Vietnamese model (tesseract-ocr-vie) is not installed"
)
needs_font = pytest.mark.skipif(FONT is None, reason="no DejaVu font (fonts-dejavu-core) to draw pages with")

DPI = 200


def limits(**changes):
    """Limits with some changed; ``max_scanned_pages`` too, whether ``Limits`` has it or not."""
    return SimpleNamespace(**{**vars(Limits()), **changes})


def read(data, **kwargs):
    limit = kwargs.pop("limits", None) or Limits()
    return read_scanned_pdf(data, limit, Budget(limit), **kwargs)


# --- Post-correction (no OCR needed) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("read_as", "fixed"),
    [("l", "I"), ("1I", "II"), ("Il", "II"), ("H", "II"), ("IH", "III"), ("VH", "VII"), ("V1", "VI"),
     ("VỊ", "VI"), ("IV.", "IV."), ("1", "1"), ("11", "11"), ("4", "4"), ("a", "a"), ("Ặ", "Ặ"),
     ("đi", "đi")],
)
def test_roman_numerals_of_the_number_column_are_mended(read_as, fixed):
    assert fix_number_cell(read_as) == fixed


def test_cell_text_is_nfc_with_blanks_collapsed_and_word_ellipsis():
    assert clean_text("  Sở  Tư\u0323   pháp ") == "Sở Tự pháp"
    assert clean_text("các cơ quan báo, đài,...") == "các cơ quan báo, đài,…"
    assert clean_text("a....") == "a...."


def _page_table(rows):
    """A page's grid as the line finder gives it: rows of 3 cells, None = merged into the cell before."""
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            last = c
            while last + 1 < len(row) and row[last + 1] is None:
                last += 1
            cells.append(GridCell(r, c, r, last, (0, 0, 1, 1), text, [95.0]))
    return PageTable(0, 1, 0, 1, (0, 0.1, 0.6, 1), len(rows), 3, cells)


def test_section_numbers_misread_by_ocr_are_put_back_in_sequence():
    rows = [["SIT", "Nhiệm vụ", "Đơn vị chủ trì"], ["1", "MỘT", None], ["1", "Việc", "Sở A"],
            ["H", "HAI", None], ["1", "Việc", "Sở B"], ["II", "BA", None], ["1", "Việc", "Sở C"],
            ["M", "BỐN", None], ["2", "Việc", "Sở D"]]
    builder = _TableBuilder(_page_table(rows), 1)
    table = builder.build(1, Limits(), Budget(Limits()))
    numbers = [row.cells[0].text for row in table.sheet.rows]
    assert numbers == ["STT", "I", "1", "II", "1", "III", "1", "IV", "2"]
    assert table.sheet.rows[1].cells[2].merged


def test_arabic_headings_are_not_made_roman():
    rows = [["STT", "Nhiệm vụ", "Đơn vị chủ trì"], ["1", "MỘT", None], ["1.1", "Việc", "Sở A"],
            ["2", "HAI", None], ["2.1", "Việc", "Sở B"]]
    table = _TableBuilder(_page_table(rows), 1).build(1, Limits(), Budget(Limits()))
    assert [row.cells[0].text for row in table.sheet.rows] == ["STT", "1", "1.1", "2", "2.1"]


def test_message_when_tesseract_is_missing_is_vietnamese():
    assert "Tesseract" in OCR_UNAVAILABLE and "bản quét" in OCR_UNAVAILABLE


# --- Drawn pages --------------------------------------------------------------------------------------


def pdf_of(*images):
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=DPI, save_all=True, append_images=list(images[1:]))
    return buffer.getvalue()


def scanned(image, angle=0.5, seed=1):
    """The page as a scanner gives it: turned a little, paper tone, noise, a touch of blur."""
    image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255, expand=False)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(image.width * image.height // 60):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        pixels[x, y] = max(0, min(255, pixels[x, y] + rng.choice((-70, 70))))
    return Image.eval(image, lambda value: 40 + value * 200 // 255)


TABLE_ROWS = [
    ["STT", "Nhiệm vụ", "Đơn vị chủ trì"],
    ["I", "XÂY DỰNG KẾ HOẠCH NĂM", None],  # title merged over the last two columns
    ["1", "Rà soát văn bản pháp luật", "Sở Tư pháp"],
    ["2", "Tổ chức tập huấn", "Sở Nội vụ"],
    ["3", "Kiểm tra định kỳ", "Sở Tài chính"],
]
SMUDGED = (5, 1)  # the cell "Kiểm tra định kỳ"


def table_page(smudge=True):
    font = ImageFont.truetype(str(FONT), 34)
    image = Image.new("L", (1700, 1000), 255)
    draw = ImageDraw.Draw(image)
    draw.text((500, 60), "DANH MỤC NHIỆM VỤ", font=font, fill=0)
    xs, ys = [100, 230, 1050, 1550], [160, 250, 340, 430, 520, 610]
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    for row, (top, bottom) in enumerate(zip(ys, ys[1:], strict=False)):
        cells = TABLE_ROWS[row]
        for col, x in enumerate(xs):
            if not (cells[2] is None and col == 2):
                draw.line([(x, top), (x, bottom)], fill=0, width=2)
        for col, text in enumerate(cells):
            if text:
                draw.text((xs[col] + 18, top + 25), text, font=font, fill=0)
    if smudge:
        left, top = xs[1] + 5, ys[4] + 5
        box = (left, top, xs[2] - 5, ys[5] - 5)
        blurred = image.crop(box).filter(ImageFilter.GaussianBlur(4.5))
        image.paste(blurred, box[:2])
    draw.text((100, 700), "Nơi nhận: các sở, ngành.", font=font, fill=0)
    return scanned(image)


PROSE = [
    "KẾ HOẠCH",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích: Kiện toàn tổ chức bộ máy, nâng cao năng lực quản lý nhà nước và thực thi pháp luật "
    "về chuyển đổi số trên địa bàn tỉnh.",
    "2. Yêu cầu: Tổ chức bộ máy sau khi sắp xếp phải tinh gọn, hiệu quả và trong phạm vi biên chế được "
    "giao của Tỉnh.",
]


def prose_page():
    font = ImageFont.truetype(str(FONT), 34)
    image = Image.new("L", (1654, 1200), 255)
    draw = ImageDraw.Draw(image)
    y, right = 120, 1500
    for paragraph in PROSE:
        words, line, x0 = paragraph.split(), "", 230 if paragraph[0].isdigit() else 150
        for word in words:
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) > right - x0 and line:
                draw.text((x0, y), line, font=font, fill=0)
                y, line, x0 = y + 50, word, 150
            else:
                line = trial
        draw.text((x0, y), line, font=font, fill=0)
        y += 80
    return scanned(image, angle=-0.4, seed=2)


@pytest.fixture(scope="module")
def drawn_table():
    if FONT is None or not ocr_available():
        pytest.skip("needs Tesseract and a font")
    calls = []
    document = read(pdf_of(table_page()), progress=lambda done, total: calls.append((done, total)))
    return document, calls


@needs_ocr
@needs_font
def test_drawn_table_cells_come_out_right(drawn_table):
    document, _ = drawn_table
    assert document.from_ocr and document.pages == 1
    [table] = document.tables
    assert table.from_ocr and table.page == 1
    rows = [[cell.text for cell in row.cells] for row in table.sheet.rows]
    assert rows[0] == TABLE_ROWS[0]
    assert rows[1][:2] == ["I", "XÂY DỰNG KẾ HOẠCH NĂM"]
    assert table.sheet.rows[1].cells[2].merged  # no line between the last two columns in that row
    assert rows[2] == TABLE_ROWS[2]
    assert rows[3] == TABLE_ROWS[3]
    assert rows[4][0] == "3" and rows[4][2] == "Sở Tài chính"


@needs_ocr
@needs_font
def test_smudged_cell_is_marked_low_confidence(drawn_table):
    document, _ = drawn_table
    [table] = document.tables
    assert SMUDGED in table.low_confidence  # read as garbage or not at all
    assert (3, 1) not in table.low_confidence and (1, 0) not in table.low_confidence


@needs_ocr
@needs_font
def test_text_around_the_table_is_paragraphs_in_reading_order(drawn_table):
    document, _ = drawn_table
    kinds = [type(block) for block in document.blocks]
    assert kinds == [Paragraph, Table, Paragraph]
    assert document.blocks[0].text == "DANH MỤC NHIỆM VỤ"
    assert document.blocks[0].from_ocr and document.blocks[0].confidence > 70
    assert document.blocks[2].text.startswith("Nơi nhận")


@needs_ocr
@needs_font
def test_progress_is_reported_after_each_page(drawn_table):
    _, calls = drawn_table
    assert calls == [(1, 1)]


@needs_ocr
@needs_font
def test_prose_page_gives_paragraphs():
    calls = []
    document = read(pdf_of(Image.new("L", (400, 300), 255), prose_page()), pages=[2],
                    progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)]
    assert document.pages == 2 and document.tables == []
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert len(texts) == len(PROSE)
    assert texts[:2] == PROSE[:2]
    assert all(paragraph.page == 2 and paragraph.from_ocr for paragraph in document.paragraphs)
    assert texts[2].startswith("1. Mục đích:") and texts[3].startswith("2. Yêu cầu:")


def test_too_many_pages_are_refused_before_any_reading():
    blank = Image.new("L", (60, 80), 255)
    limit = getattr(Limits(), "max_scanned_pages", 50)
    with pytest.raises(AppendixError, match=f"tối đa {limit} trang"):
        read(pdf_of(*[blank] * (limit + 1)))
    with pytest.raises(AppendixError, match="3 trang.*tối đa 2 trang"):
        read(pdf_of(blank, blank, blank), limits=limits(max_scanned_pages=2))


def test_a_file_that_is_no_pdf_is_refused():
    with pytest.raises(AppendixError, match="PDF"):
        read(b"not a pdf")


@needs_ocr
def test_blank_page_reads_as_nothing():
    document = read(pdf_of(Image.new("L", (800, 600), 255)))
    assert document.blocks == [] and document.pages == 1


# --- The fixture scan ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fixture_scan():
    if not ocr_available():
        pytest.skip("Tesseract OCR with the Vietnamese model is not installed")
    calls = []
    document = read(SCAN.read_bytes(), pages=[1, 6, 7, 8], progress=lambda done, total: calls.append(done))
    return document, calls


def _fields(task):
    def norm(text):
        return re.sub(r"\s+", " ", text or "").strip()

    return {
        "code": task["code"],
        "title": norm(task["title"]),
        "lead": "; ".join(norm(item["mention"]) for item in task["lead"]),
        "coordinators": "; ".join(norm(item["mention"]) for item in task["coordinators"]),
        "deliverable": norm(task["deliverable"]),
        "deadline": norm(task["deadline"]["text"]),
    }


def field_accuracy(tasks, golden):
    """Share of the golden's fields (code, title, lead, coordinators, deliverable, deadline text) read
    exactly, blanks collapsed; tasks are paired by code."""
    read_tasks = {task["code"]: _fields(task) for task in tasks}
    right = total = 0
    misses = []
    for task in golden:
        expected, got = _fields(task), read_tasks.get(task["code"], {})
        for name, value in expected.items():
            total += 1
            if got.get(name) == value:
                right += 1
            else:
                misses.append((task["code"], name, got.get(name), value))
    return right / total, misses


@needs_ocr
def test_fixture_scan_tasks_match_the_golden(fixture_scan):
    document, calls = fixture_scan
    assert calls == [1, 2, 3, 4]
    assert document.from_ocr and document.pages == 8
    tables = document.tables
    assert len(tables) == 1  # pages 6–8: one table, the header printed again on 7 and 8 dropped
    table = tables[0]
    assert table.page == 6 and table.from_ocr
    parsed = parse_appendix(table.sheet)
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / "dong-thap.csv"))
    preview = build_preview(parsed, matcher, datetime.date(2024, 4, 8), parse_deadline)
    golden = json.loads((DEMO / "appendix" / "dongthap-115-2024.expected.json").read_text(encoding="utf-8"))
    accuracy, misses = field_accuracy(preview["tasks"], golden["tasks"])
    print(f"\nOCR field accuracy on the fixture scan: {accuracy:.1%}; misses: {misses}")
    assert [task["code"] for task in preview["tasks"]] == [task["code"] for task in golden["tasks"]]
    assert accuracy >= 0.9, misses


@needs_ocr
def test_fixture_rows_split_by_a_page_break_are_joined(fixture_scan):
    document, _ = fixture_scan
    titles = {
        row.cells[1].text for row in document.tables[0].sheet.rows if len(row.cells) > 1 and row.cells[1].text
    }
    assert any(title.endswith("không kiêm nhiệm các lĩnh vực khác") for title in titles)  # II.4, pages 6–7
    assert any(title.endswith("chuyên trách chuyển đổi số") for title in titles)  # V.2, pages 7–8
    assert not any(row.cells[0].text == "STT" for row in document.tables[0].sheet.rows[1:])


@needs_ocr
def test_fixture_body_page_is_paragraphs(fixture_scan):
    document, _ = fixture_scan
    first_page = [block.text for block in document.paragraphs if block.page == 1]
    assert "KẾ HOẠCH" in first_page
    # the header's two columns (a layout table without borders) are separate paragraphs
    assert {"ỦY BAN NHÂN DÂN", "Số: 115/KH-UBND", "Đồng Tháp, ngày 08 tháng 04 năm 2024"} <= set(first_page)
    assert any(text.startswith("Căn cứ Quyết định số 1690/QĐ-TTg") for text in first_page)
    assert any(text.startswith("I. MỤC ĐÍCH, YÊU CẦU") for text in first_page)
    appendix = [block.text for block in document.paragraphs if block.page == 6]
    assert appendix[0] == "PHỤ LỤC"
    assert not any(block.text in ("7", "8") for block in document.paragraphs)  # page numbers dropped
