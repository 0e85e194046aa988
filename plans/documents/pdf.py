"""A PDF with a text layer as a ``Document``: its paragraphs and tables in reading order.

Words come from pdfplumber with their positions and fonts. On each page:

* ruled tables (``find_tables``) become ``Table``s; their words are left out of the text. A table that
  goes on at the top of the next page with the same columns is one table: the header row printed again
  is dropped, and a row broken by the page (its part on the new page has an empty first cell) is
  joined back cell by cell. Merged cells (pdfplumber gives ``None`` under and beside a spanning cell)
  are merged ranges of the sheet.
* the other words make lines: words on the same baseline, cut where a gap is far wider than a space,
  so the two columns of a layout table without borders (national header, signature block) are
  separate lines. A band of such two-column rows is read column by column, as the Word table is.
* a table typeset without ruling lines (columns aligned with spaces or tabs) is found from its header
  line ("Nhiệm vụ" … "Đơn vị chủ trì" …) and read from the header's column positions into a
  ``Table(bordered=False)``.
* the page number printed at the top centre or at the bottom, footnote references (superscript digits)
  and footnotes (below the short rule at the foot of the page) are not part of the body text;
  footnotes are paragraphs of their own after the page's text.

Lines become paragraphs with ``model.paragraphs_from_lines`` (a paragraph may run over a page break).
A page with (almost) no text layer is listed in ``properties["pages_without_text"]`` for OCR; nothing
is recognised here.
"""

import contextlib
import datetime
import io
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from agencies.names import fold_name
from plans.appendix.sheet import PROTECTED, AppendixError, SheetBuilder, clean_cell_text, number
from plans.documents.model import (
    OPENS_PARAGRAPH,
    Document,
    Line,
    Table,
    group_lines,
    make_paragraph,
    page_margins,
)

DEFAULT_MAX_PAGES = 300
# A page with fewer characters than this and an image is a scan: it needs OCR.
MIN_TEXT_CHARS = 20

DAMAGED = (
    "Không đọc được tệp PDF: tệp bị hỏng hoặc không đúng định dạng PDF. Vui lòng kiểm tra rồi tải lên lại."
)

_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*-)?$", re.IGNORECASE)
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|\*{1,3}|\(\d{1,3}\))$")
_WORD_OPTIONS = {"keep_blank_chars": False, "use_text_flow": True, "extra_attrs": ["fontname", "size"]}


@dataclass
class _Piece:
    """The part of a ruled table printed on one page."""

    page: int
    top: float
    bottom: float
    rows: list  # list of lists of str ("" for an empty cell or one covered by a span)
    spans: list  # (row, col, last row, last col), 0-based, inclusive
    edges: tuple  # x positions of the column boundaries
    bordered: bool = True

    @property
    def width(self):
        return len(self.edges) - 1


@dataclass
class _PageContent:
    number: int
    height: float
    items: list = field(default_factory=list)  # (top, kind, payload): "lines" | "band" | "table"
    footnotes: list = field(default_factory=list)  # Lines
    margins: tuple | None = None  # of the body text, for ``group_lines``


# --- Opening ----------------------------------------------------------------------------------------


def read_pdf(data, limits, budget, progress=None):
    """Read a PDF (bytes) into a ``Document``; ``AppendixError`` for an encrypted or damaged file or
    one with too many pages. ``progress(pages_done, pages)`` is called after each page."""
    import pdfplumber

    max_pages = getattr(limits, "max_pages", DEFAULT_MAX_PAGES)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises many kinds on a broken file
        raise _refusal(error) from error
    with pdf:
        try:
            pages = pdf.pages
        except Exception as error:
            raise _refusal(error) from error
        if len(pages) > max_pages:
            raise AppendixError(
                f"Tệp PDF có quá nhiều trang: {number(len(pages))} trang; tối đa {number(max_pages)} trang. "
                "Vui lòng chỉ tải lên phần kế hoạch và phụ lục."
            )
        contents, without_text = [], []
        for index, page in enumerate(pages, 1):
            try:
                content = _read_page(page, index, budget)
            except AppendixError:
                raise
            except Exception as error:
                raise _refusal(error) from error
            finally:
                page.close()
            if content is None:
                without_text.append(index)
            else:
                contents.append(content)
            if progress:
                progress(index, len(pages))
        properties = _properties(pdf.metadata)
    properties["pages_without_text"] = without_text
    blocks = _blocks(contents, limits, budget)
    return Document(blocks=blocks, pages=len(pages), from_ocr=False, properties=properties)


def _refusal(error):
    """The ``AppendixError`` for what pdfminer raised (pdfplumber wraps it in ``PdfminerException``)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(error, MemoryError):
        raise error
    causes = [error, *getattr(error, "args", ())]
    if any(isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) for cause in causes):
        return AppendixError(PROTECTED)
    return AppendixError(DAMAGED)


def _properties(metadata):
    properties = {}
    title = metadata.get("Title") if metadata else None
    if isinstance(title, bytes):
        title = title.decode("utf-8", "replace")
    properties["title"] = clean_cell_text(title)[0] if isinstance(title, str) else ""
    created = metadata.get("CreationDate") if metadata else None
    if isinstance(created, bytes):
        created = created.decode("latin-1")
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})(\d{2})", created) if isinstance(created, str) else None
    if match:
        with contextlib.suppress(ValueError):
            properties["created"] = datetime.date(*map(int, match.groups())).isoformat()
    return properties


# --- One page ---------------------------------------------------------------------------------------


def _read_page(page, number, budget):
    """The page's items, or None when it has (almost) no text layer but an image: a scan."""
    text_chars = sum(1 for char in page.chars if not char["text"].isspace())
    if text_chars < MIN_TEXT_CHARS and _has_large_image(page):
        return None
    content = _PageContent(number, float(page.height))
    tables = [table for table in page.find_tables() if _is_real_table(table)]
    pieces = [_piece(table, number, budget) for table in tables]
    boxes = [table.bbox for table in tables]
    words = [
        word for word in page.extract_words(**_WORD_OPTIONS) if not any(_inside(word, box) for box in boxes)
    ]
    budget.add_cells(len(words) // 50)  # words cost what cells do; a page of prose holds ~500
    rows = _rows(words, number)
    rows = _without_page_number(rows, page)
    rows, footnotes = _split_footnotes(rows, page, boxes)
    content.footnotes = [line for row in footnotes for line in _row_lines(row, number, keep_marks=True)]
    for piece in pieces:
        content.items.append((piece.top, "table", piece))
    for top, kind, payload in _layout(rows, number, float(page.width)):
        content.items.append((top, kind, payload))
    content.items.sort(key=lambda item: item[0])
    body = [line for _, kind, payload in content.items if kind == "lines" for line in payload]
    if body:
        content.margins = page_margins(body)
    return content


def _has_large_image(page):
    area = float(page.width) * float(page.height)
    return any(
        (float(image["x1"]) - float(image["x0"])) * (float(image["bottom"]) - float(image["top"]))
        > 0.1 * area
        for image in page.images
    )


def _is_real_table(table):
    """At least two columns and some text: a box drawn around a paragraph is not a table."""
    if len(table.rows) < 1 or max((len(row.cells) for row in table.rows), default=0) < 2:
        return False
    columns = {cell[0] for cell in table.cells}
    return len(columns) >= 2


def _inside(word, box):
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _cell_text(text):
    if not text:
        return ""
    return " ".join(clean_cell_text(text)[0].split())


def _piece(table, page_number, budget):
    """The rows of a ruled table with its merged ranges, from the cells' boxes."""
    cells = table.cells
    xs = sorted({round(cell[0], 1) for cell in cells} | {round(max(cell[2] for cell in cells), 1)})
    ys = sorted({round(cell[1], 1) for cell in cells} | {round(max(cell[3] for cell in cells), 1)})
    texts = table.extract()
    budget.add_cells(len(texts) * (len(xs) - 1))
    rows = [[_cell_text(text) for text in row] for row in texts]
    width = len(xs) - 1
    rows = [(row + [""] * width)[:width] for row in rows]
    spans = []
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells[:width]):
            if box is None:
                continue
            last_col = _last_index(xs, box[2]) - 1
            last_row = _last_index(ys, box[3]) - 1
            if last_col > c or last_row > r:
                spans.append((r, c, max(last_row, r), max(last_col, c)))
    return _Piece(page_number, float(table.bbox[1]), float(table.bbox[3]), rows, spans, tuple(xs))


def _last_index(edges, value):
    """Index of the edge ``value`` falls on (within 1 pt)."""
    best = min(range(len(edges)), key=lambda i: abs(edges[i] - value))
    return best


# --- Words into lines -------------------------------------------------------------------------------


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _Row:
    """Words on one baseline, cut into segments (the columns a wide gap separates)."""

    top: float
    bottom: float
    segments: list  # lists of _Word, left to right

    @property
    def x0(self):
        return self.segments[0][0].x0

    @property
    def x1(self):
        return self.segments[-1][-1].x1

    @property
    def text(self):
        return " ".join(word.text for segment in self.segments for word in segment)

    @property
    def size(self):
        return max(word.size for segment in self.segments for word in segment)


def _rows(words, page):
    words = [
        _Word(
            unicodedata.normalize("NFC", word["text"]),
            float(word["x0"]),
            float(word["x1"]),
            float(word["top"]),
            float(word["bottom"]),
            float(word.get("size") or (word["bottom"] - word["top"])),
            "bold" in str(word.get("fontname", "")).lower(),
        )
        for word in words
        if word["text"].strip()
    ]
    words.sort(key=lambda word: (word.top, word.x0))
    groups = []  # [top, bottom, words]
    for word in words:
        height = max(word.bottom - word.top, 1)
        for group in reversed(groups[-4:]):
            overlap = min(group[1], word.bottom) - max(group[0], word.top)
            if overlap >= 0.5 * min(height, group[1] - group[0]):
                group[2].append(word)
                group[0], group[1] = min(group[0], word.top), max(group[1], word.bottom)
                break
        else:
            groups.append([word.top, word.bottom, [word]])
    rows = []
    for top, bottom, members in groups:
        members.sort(key=lambda word: word.x0)
        rows.append(_Row(top, bottom, _segments(members)))
    rows.sort(key=lambda row: row.top)
    return rows


def _segments(words):
    """Cut a row where a gap is much wider than a space: another column."""
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)]
    usual = statistics.median(gaps) if len(gaps) >= 3 else 0
    segments, current = [], [words[0]]
    for gap, word in zip(gaps, words[1:], strict=False):
        size = max(word.size, current[-1].size)
        if gap > 2 * size or (gap > size and gap > 3 * max(usual, 1)):
            segments.append(current)
            current = []
        current.append(word)
    segments.append(current)
    return segments


def _without_page_number(rows, page):
    """Drop the page number: a lone number centred at the top or at the bottom of the page."""
    if not rows:
        return rows
    width, height = float(page.width), float(page.height)
    drop = set()
    for index in (0, len(rows) - 1):
        row = rows[index]
        if len(row.segments) != 1 or not _PAGE_NUMBER.match(row.text):
            continue
        centre = (row.x0 + row.x1) / 2
        near_edge = row.bottom < 0.15 * height or row.top > 0.85 * height
        centred = abs(centre - width / 2) < 0.12 * width
        at_side = row.top > 0.85 * height  # bottom corners too
        if near_edge and (centred or at_side):
            drop.add(index)
    return [row for index, row in enumerate(rows) if index not in drop]


def _split_footnotes(rows, page, boxes):
    """(body rows, footnote rows): footnotes are the small-print rows under the short rule drawn at
    the foot of the page (Word and LibreOffice draw one above the footnotes)."""
    width, height = float(page.width), float(page.height)
    rules = []
    for shape in list(page.lines) + list(page.rects):
        length = float(shape["x1"]) - float(shape["x0"])
        thin = float(shape["bottom"]) - float(shape["top"]) < 1.5
        top = float(shape["top"])
        in_table = any(box[1] - 1 <= top <= box[3] + 1 for box in boxes)
        if thin and 0.08 * width < length < 0.45 * width and top > 0.5 * height and not in_table:
            rules.append(top)
    if not rules or not rows:
        return rows, []
    rule = max(rules)
    below = [row for row in rows if row.top > rule]
    if not below:
        return rows, []
    body_sizes = [row.size for row in rows if row.top < rule]
    body_size = statistics.median(body_sizes) if body_sizes else 0
    if body_size and any(row.size > body_size + 0.5 for row in below):
        return rows, []
    return [row for row in rows if row.top <= rule], below


def _row_lines(row, page, keep_marks=False):
    """A Line per segment of a row."""
    size = row.size
    lines = []
    for segment in row.segments:
        words, text, glue = [], "", False
        for word in segment:
            if not keep_marks and _is_reference(word, size, row):
                glue = bool(words)  # "HC" ¹ "," reads "HC,"
                continue
            gap = word.x0 - words[-1].x1 if words else 0
            # pdfplumber cuts a word where the font changes: no gap, no space
            together = glue and gap < 0.5 * word.size or words and gap < 0.1 * word.size
            text = f"{text}{word.text}" if together or not words else f"{text} {word.text}"
            words.append(word)
            glue = False
        if not words:
            continue
        lines.append(
            Line(
                text=text,
                x0=words[0].x0,
                x1=words[-1].x1,
                top=min(word.top for word in words),
                bottom=max(word.bottom for word in words),
                page=page,
                bold=all(word.bold for word in words),
            )
        )
    return lines


def _column_groups(lines):
    """Paragraphs of a column of a layout table: each line is one (centred lines of a signature
    block), unless it wraps a left-aligned line above that reached the column's right edge."""
    if not lines:
        return []
    right = max(line.x1 for line in lines)
    width = max(right - min(line.x0 for line in lines), 1)
    groups = []
    for line in lines:
        previous = groups[-1][-1] if groups else None
        wraps = (
            previous is not None
            and not OPENS_PARAGRAPH.match(line.text)
            and abs(line.x0 - previous.x0) <= 0.6  # left-aligned: the same edge; centred lines differ
            and previous.x1 >= right - 0.15 * width
            and line.top - previous.bottom < (previous.bottom - previous.top)
        )
        if wraps:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _is_reference(word, size, row):
    """A footnote reference: a small raised number after a word."""
    return word.size < 0.75 * size and word.bottom < row.bottom - 1 and bool(_FOOTNOTE_MARK.match(word.text))


# --- Layout: prose, two-column bands, unruled tables ------------------------------------------------


def _layout(rows, page, page_width):
    """(top, kind, payload) of the page's rows: "lines" runs, "band"s of columns, unruled tables."""
    items, index = [], 0
    run = []

    def flush():
        if run:
            items.append((run[0].top, "lines", list(run)))
            run.clear()

    while index < len(rows):
        row = rows[index]
        table = _unruled_table(rows, index, page)
        if table is not None:
            piece, index = table
            flush()
            items.append((piece.top, "table", piece))
            continue
        if len(row.segments) >= 2:
            band, index = _band(rows, index)
            flush()
            columns = [[line for row_ in column for line in _row_lines(row_, page)] for column in band]
            items.append((row.top, "band", [column for column in columns if column]))
            continue
        run.extend(_row_lines(row, page))
        index += 1
    flush()
    return items


def _band(rows, start):
    """Rows from ``start`` laid out in the columns of its first row (a layout table without borders):
    (rows per column, next index). A row joins while each of its segments lines up with one column
    (same left edge or same centre) and stays clear of the columns beside it."""
    first = rows[start]
    extents = [[(segment[0].x0, segment[-1].x1)] for segment in first.segments]
    members = [[] for _ in extents]
    index = start
    while index < len(rows):
        row = rows[index]
        placed = {}
        for segment in row.segments:
            column = _band_column(extents, segment[0].x0, segment[-1].x1)
            if column is None:
                placed = None
                break
            placed.setdefault(column, []).extend(segment)
        if placed and index > start:
            for column, words in placed.items():
                if not _aligned(extents[column], words[0].x0, words[-1].x1):
                    placed = None
                    break
        if not placed:
            break
        for column, words in placed.items():
            extents[column].append((words[0].x0, words[-1].x1))
            members[column].append(_Row(row.top, row.bottom, [words]))
        index += 1
    return members, index


def _band_column(extents, x0, x1):
    """The column of a band a segment from ``x0`` to ``x1`` fits in (clear of the columns beside it),
    the nearest one when it fits in several; None when it fits in none."""
    fits = []
    for column in range(len(extents)):
        left_limit = max(b for _, b in extents[column - 1]) + 2 if column else float("-inf")
        right_limit = (
            min(a for a, _ in extents[column + 1]) - 2 if column + 1 < len(extents) else float("inf")
        )
        if x0 >= left_limit and x1 <= right_limit:
            low, high = min(a for a, _ in extents[column]), max(b for _, b in extents[column])
            fits.append((max(low - x1, x0 - high, 0), column))
    return min(fits)[1] if fits else None


def _aligned(extents, x0, x1, tolerance=6):
    centre = (x0 + x1) / 2
    return any(abs(a - x0) <= tolerance or abs((a + b) / 2 - centre) <= tolerance for a, b in extents)


# Appendix header labels (accent-free): the title column and one of the agency / deadline columns.
_TITLE_LABEL = re.compile(r"\b(nhiem vu|noi dung|cong viec)\b")
_DATA_LABEL = re.compile(r"\b(chu tri|phoi hop|thoi gian|thoi han|san pham|ket qua)\b")
_ROW_MARKER = re.compile(r"^(?:[IVXLC]+|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]?$")
_END_LABEL = re.compile(r"^(noi nhan|tm\.|kt\.|t/m|k/t)")


def _unruled_table(rows, start, page):
    """A table typeset without ruling lines whose header starts at ``rows[start]``: (piece, next index),
    or None. Its columns are the header's labels; the boundary between two columns is the widest
    blank strip between their labels in the rows below. A row starts where the number column holds a
    marker (1, I, a) …) or after a blank gap; the lines in between wrap its cells."""
    header_rows = _header_rows(rows, start)
    if not header_rows:
        return None
    header_words = [word for row in header_rows for segment in row.segments for word in segment]
    labels = _header_columns(header_words)
    if len(labels) < 3:
        return None
    bounds = [(a[1] + b[0]) / 2 for a, b in zip(labels, labels[1:], strict=False)]
    # the labels' wrapped lines ("Đơn vị chủ" / "trì"): under the labels, nothing in the number column
    while start + len(header_rows) < len(rows):
        row = rows[start + len(header_rows)]
        words = [word for segment in row.segments for word in segment]
        under = all(any(a - 5 <= word.x0 and word.x1 <= b + 5 for a, b in labels) for word in words)
        if not under or words[0].x0 < bounds[0] or row.top - header_rows[-1].bottom > row.bottom - row.top:
            break
        header_rows = [*header_rows, row]
        header_words.extend(words)
    left, right = labels[0][0], labels[-1][1]
    spacing = _spacing(rows[start:])
    end, previous_bottom = start + len(header_rows), header_rows[-1].bottom
    while end < len(rows):
        row = rows[end]
        if _END_LABEL.match(fold_name(row.text)) or row.top - previous_bottom > 3 * spacing:
            break
        across = row.x0 < left + 0.05 * (right - left) and row.x1 > right - 0.1 * (right - left)
        if len(row.segments) == 1 and across and not _ROW_MARKER.match(row.text.split()[0]):
            break  # a line across the table that no number opens: prose again
        previous_bottom = row.bottom
        end += 1
    body_rows = rows[start + len(header_rows) : end]
    if not body_rows:
        return None
    body_words = [word for row in body_rows for segment in row.segments for word in segment]
    bounds = [
        _blank_strip(body_words, a[1], b[0], bound)
        for a, b, bound in zip(labels, labels[1:], bounds, strict=False)
    ]
    count = len(labels)
    body = [[" ".join(w.text for w in cell) for cell in _assign(header_words, bounds, count)]]
    previous_bottom = header_rows[-1].bottom
    for row in body_rows:
        cells = [[] for _ in range(count)]
        for segment in row.segments:
            if any(w.x0 < bound - 1 < w.x1 for w in segment for bound in bounds):
                cells[_column(segment[0].x0, bounds)].extend(segment)  # a cell merged across
            else:
                for column, words in enumerate(_assign(segment, bounds, count)):
                    cells[column].extend(words)
        texts = [" ".join(w.text for w in cell) for cell in cells]
        starts_row = bool(texts[0]) and _ROW_MARKER.match(texts[0])
        gap = row.top - previous_bottom > 0.6 * spacing
        if len(body) == 1 or starts_row or (gap and not texts[0]):
            body.append(texts)
        else:
            last = body[-1]
            for column, text in enumerate(texts):
                if text:
                    last[column] = f"{last[column]} {text}".strip()
        previous_bottom = row.bottom
    edges = (labels[0][0], *bounds, labels[-1][1])
    rows_text = [[_cell_text(text) for text in row] for row in body]
    piece = _Piece(page, header_rows[0].top, previous_bottom, rows_text, [], edges, bordered=False)
    return piece, end


def _blank_strip(words, low, high, default):
    """The middle of the widest strip between ``low`` and ``high`` that no word covers."""
    if high <= low:
        return default
    covered = sorted((max(w.x0, low), min(w.x1, high)) for w in words if w.x1 > low and w.x0 < high)
    best, position = (0, default), low
    for x0, x1 in covered:
        if x0 - position > best[0]:
            best = (x0 - position, (position + x0) / 2)
        position = max(position, x1)
    if high - position > best[0]:
        best = (high - position, (position + high) / 2)
    return best[1]


def _column(x, bounds):
    return sum(1 for bound in bounds if x > bound)


def _header_rows(rows, start):
    """The one to three rows of an appendix header starting at ``start`` (labels may wrap)."""
    for count in (1, 2, 3):
        chunk = rows[start : start + count]
        if len(chunk) < count:
            return None
        if any(len(row.segments) < 2 for row in chunk[:1]):
            return None
        text = fold_name(" ".join(row.text for row in chunk))
        if len(text) > 200:
            return None
        if _TITLE_LABEL.search(text) and _DATA_LABEL.search(text):
            segments = sum(len(row.segments) for row in chunk[:1])
            return chunk if segments >= 3 else None
    return None


def _header_columns(words):
    """x ranges of the header's columns: words that overlap horizontally belong to one column."""
    ranges = []
    for word in sorted(words, key=lambda w: w.x0):
        if ranges and word.x0 <= ranges[-1][1] + 0.6 * word.size:
            ranges[-1][1] = max(ranges[-1][1], word.x1)
        else:
            ranges.append([word.x0, word.x1])
    return [tuple(r) for r in ranges]


def _assign(words, bounds, count):
    cells = [[] for _ in range(count)]
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        cells[_column(word.x0, bounds)].append(word)
    return cells


def _spacing(rows):
    gaps = [b.top - a.top for a, b in zip(rows, rows[1:], strict=False) if 0 < b.top - a.top < 40]
    return statistics.median(gaps) if gaps else 14


# --- The document's blocks --------------------------------------------------------------------------


def _blocks(contents, limits, budget):
    """Paragraphs and tables in reading order over the pages."""
    keyed = []  # ((page, top, sequence), block)
    run = []
    tables = []  # lists of _Piece: one list per table
    last_was_table = False
    sequence = 0
    margins = {content.number: content.margins for content in contents if content.margins}

    def key(page, top):
        nonlocal sequence
        sequence += 1
        return (page, top, sequence)

    def flush_run():
        if run:
            for group in group_lines(run, margins):
                keyed.append((key(group[0].page, group[0].top), make_paragraph(group, False)))
            run.clear()

    for content in contents:
        for position, (top, kind, payload) in enumerate(content.items):
            if kind == "table":
                flush_run()
                previous = tables[-1][-1] if tables and last_was_table else None
                if previous is not None and position == 0 and _continues_table(previous, payload):
                    tables[-1].append(payload)
                else:
                    tables.append([payload])
                    keyed.append((key(payload.page, payload.top), len(tables) - 1))
                last_was_table = True
                continue
            last_was_table = False
            if kind == "lines":
                run.extend(payload)
            else:  # a band: each column on its own, column after column
                flush_run()
                band_top = top
                for column in payload:
                    for group in _column_groups(column):
                        keyed.append((key(content.number, band_top), make_paragraph(group, False)))
        if content.footnotes:
            for group in group_lines(content.footnotes):
                keyed.append(
                    (key(content.number, content.height + group[0].top), make_paragraph(group, False))
                )
    flush_run()
    keyed.sort(key=lambda item: item[0])
    blocks = []
    for _, block in keyed:
        if isinstance(block, int):
            blocks.append(_table(tables[block], block + 1, limits, budget))
        elif block.text:
            blocks.append(block)
    return blocks


def _continues_table(previous, piece):
    """Does ``piece`` (first on its page) go on with ``previous`` (last on the page before)?"""
    if (
        piece.page != previous.page + 1
        or piece.width != previous.width
        or piece.bordered != previous.bordered
    ):
        return False
    span = max(previous.edges[-1] - previous.edges[0], 1)
    return all(abs(a - b) <= 0.02 * span for a, b in zip(previous.edges, piece.edges, strict=True))


def _table(pieces, index, limits, budget):
    """One ``Table`` from the pieces of a table over consecutive pages."""
    rows, spans = [], []
    first_rows = pieces[0].rows
    for position, piece in enumerate(pieces):
        piece_rows = piece.rows
        skip = 0
        if position:
            # the header printed again on the new page
            while skip < min(3, len(piece_rows), len(first_rows)) and piece_rows[skip] == first_rows[skip]:
                skip += 1
        offset = len(rows) - skip
        joined = False
        if (
            position
            and skip < len(piece_rows)
            and rows
            and _is_broken_row(rows[-1], piece_rows[skip], spans, len(rows) - 1)
        ):
            previous = rows[-1]
            for column, text in enumerate(piece_rows[skip]):
                if text:
                    previous[column] = f"{previous[column]} {text}".strip()
            offset -= 1
            joined = True
        for r, row in enumerate(piece_rows):
            if r < skip or (joined and r == skip):
                continue
            rows.append(list(row))
        for r1, c1, r2, c2 in piece.spans:
            if r2 < skip:
                continue
            spans.append((max(r1, skip) + offset, c1, r2 + offset, c2))
    builder = SheetBuilder(f"Bảng {index}", limits, budget)
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row, 1):
            if text:
                cleaned, removed = clean_cell_text(text)
                builder.put(r, c, cleaned, cleaned, removed)
    for r1, c1, r2, c2 in spans:
        builder.merge(r1 + 1, c1 + 1, r2 + 1, c2 + 1)
    return Table(sheet=builder.build(), page=pieces[0].page, bordered=pieces[0].bordered)


def _is_broken_row(last, first, spans, last_index):
    """The first row on the new page is the rest of the last row on the page before: its first cell is
    empty while the row before had one, and the row before is not a heading merged across."""
    if first[0] or not any(first[1:]) or not last[0]:
        return False
    merged_across = any(r1 <= last_index <= r2 and c2 > c1 for r1, c1, r2, c2 in spans)
    return not merged_across
