"""The grid every reader produces, the limits it is read within, and the building of a sheet.

Readers stream their file and hand each cell with text and each merged range to a ``SheetBuilder``,
which refuses the file as soon as it passes a limit: nothing is allocated for what lies beyond.
Merged cells are expanded once the sheet is read, so the parser can treat every row on its own:

* the first column of a merged range keeps the value, filled down over the rows of the range
  (a lead agency spanning two tasks belongs to both);
* the other columns of the range are marked ``merged`` (continuation) and carry no text, so a section
  title merged across the table is seen as one cell.

Ranges are clipped to the row and column limits as they come, and to the sheet's real extent (its
last column with text, its last row with text or filled down) before anything is expanded: a merge
over the whole sheet costs what the table costs.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from agencies.names import remove_invisible

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_COLUMNS = 200
# Cells a file writes out, empty formatted ones included: a 20,000-row appendix with borders over 25
# columns has 500,000. Reading one costs a few microseconds, even empty.
DEFAULT_MAX_CELLS = 500_000
# Cells covered by merged ranges once clipped to the table: a column merged down the whole of a
# 20,000-row table, section titles merged across, with room to spare.
DEFAULT_MAX_MERGED_CELLS = 200_000
# Decompressed content of a zip container (xlsx, ods, docx), checked before anything is inflated.
DEFAULT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Tags and character references of the XML parts read: what parsing costs, up to 4 µs each on a busy
# 2-core server, so reading stays within 10 s. A 20,000-row appendix written by openpyxl has 1,300,000;
# Word spends 2,000,000 on a plain table of 20,000 rows.
DEFAULT_MAX_ELEMENTS = 2_000_000
# A plan as a PDF: a scan of a long plan with its appendix runs to a few dozen pages, 0,5 MB a page.
DEFAULT_MAX_DOCUMENT_BYTES = 40 * 1024 * 1024
DEFAULT_MAX_PAGES = 300
# OCR takes seconds a page on a 2-core server: a 60-page scan is read in a few minutes.
DEFAULT_MAX_SCANNED_PAGES = 60

_LINE_BREAKS = re.compile("[\n\r\x0b\x0c]")

PROTECTED = "Tệp đang được bảo vệ bằng mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại."


class AppendixError(Exception):
    """The file cannot be read as an appendix; ``message`` is shown to the user (Vietnamese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """What an appendix file may hold (each one a setting, see ``plans.importing.limits``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cells: int = DEFAULT_MAX_CELLS
    max_merged_cells: int = DEFAULT_MAX_MERGED_CELLS
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES
    max_elements: int = DEFAULT_MAX_ELEMENTS
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES  # a PDF's size
    max_pages: int = DEFAULT_MAX_PAGES
    max_scanned_pages: int = DEFAULT_MAX_SCANNED_PAGES


@dataclass(frozen=True)
class Cell:
    text: str = ""
    value: object = None  # typed source value when there is one (datetime.date for date cells)
    merged: bool = False  # continuation of a merged range: its value is in the range's first column
    filled_down: bool = False  # copied from the top cell of a vertically merged range


# Cells are immutable: the grid shares these two instead of holding one object per empty cell.
EMPTY = Cell()
MERGED = Cell(merged=True)


@dataclass(frozen=True)
class SheetRow:
    number: int  # 1-based row number in the source sheet (or table, for Word)
    cells: tuple[Cell, ...]

    def text(self, column):
        """Text of the cell in 0-based ``column`` ("" beyond the row)."""
        return self.cells[column].text if column is not None and 0 <= column < len(self.cells) else ""

    def cell(self, column):
        return self.cells[column] if column is not None and 0 <= column < len(self.cells) else EMPTY

    @property
    def is_blank(self):
        return not any(cell.text for cell in self.cells)


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: tuple[SheetRow, ...]
    width: int
    # Rows some of whose text lost invisible or control characters (``agencies.names.remove_invisible``).
    cleaned_rows: tuple[int, ...] = ()

    @property
    def is_empty(self):
        return all(row.is_blank for row in self.rows)


def number(value):
    """A count as Vietnamese text prints it: 1.000.000."""
    return f"{value:,}".replace(",", ".")


def megabytes(size):
    """A size in MB as Vietnamese text prints it, to three figures: 0,01; 9,5; 100."""
    return f"{size / (1024 * 1024):.3g}".replace(".", ",")


# --- Cell text ---------------------------------------------------------------------------------------


def clean_cell_text(text):
    """``(text, invisible characters removed)``: NFC, no invisible or control characters, unified line
    breaks (a vertical tab is the line break Word leaves in pasted text), no outer blanks; inner line
    breaks are kept."""
    if text.isascii() and text.isprintable():  # most numbers and codes: nothing to clean but the ends
        return text.strip(), 0
    text, removed = remove_invisible(unicodedata.normalize("NFC", text))
    if not _LINE_BREAKS.search(text):  # one line: nothing to strip but its ends
        return text.strip(), removed
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip(), removed


def format_value(value, number_format=""):
    """``(text, typed value, invisible characters removed)`` of a source value; dates print as
    dd/mm/yyyy."""
    if value is None:
        return "", None, 0
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y"), value, 0
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), value, 0
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return f"{value * 100:.15g}%", value, 0
        if isinstance(value, float) and value.is_integer():
            return str(int(value)), value, 0
        return f"{value:.15g}", value, 0
    text, removed = clean_cell_text(str(value))
    return text, text, removed


# --- Limits ------------------------------------------------------------------------------------------


def too_many_rows(row, limits):
    return AppendixError(
        f"Bảng có quá nhiều dòng: có dữ liệu ở dòng {number(row)}; tối đa {number(limits.max_rows)} dòng."
    )


def too_many_columns(column, limits):
    return AppendixError(
        f"Bảng có quá nhiều cột: có dữ liệu ở cột thứ {number(column)}; "
        f"tối đa {number(limits.max_columns)} cột."
    )


class Budget:
    """What reading a file costs, counted across its sheets and parts before each is read: the cells
    it writes (empty formatted ones included) and the markup of its XML parts. Past a limit the file
    is refused before any more is read."""

    def __init__(self, limits):
        self.limits = limits
        self.cells = self.markup = 0

    def add_cells(self, count):
        self.cells += count
        if self.cells > self.limits.max_cells:
            limit = number(self.limits.max_cells)
            raise AppendixError(
                f"Tệp có quá nhiều ô (hơn {limit} ô, kể cả các ô trống đã được định dạng); tối đa {limit} ô. "
                "Vui lòng xóa các dòng, cột thừa rồi lưu và tải lên lại."
            )

    def add_markup(self, count):
        self.markup += count
        if self.markup > self.limits.max_elements:
            limit = number(self.limits.max_elements)
            raise AppendixError(
                f"Nội dung tệp quá lớn để xử lý (hơn {limit} thẻ XML); tối đa {limit} thẻ. Vui lòng xóa "
                "các dòng, cột và định dạng thừa hoặc chia nhỏ tệp rồi tải lên lại."
            )


class SheetBuilder:
    """One sheet as its reader finds it: cells with text by (row, column), 1-based, and merged ranges."""

    def __init__(self, name, limits, budget):
        self.name = clean_cell_text(name or "")[0]
        self.limits = limits
        self.budget = budget
        self.cells = {}
        self.merges = []
        self.cleaned_rows = set()
        self.last_row = self.last_col = 0

    def check_extent(self, row, col):
        """Refuse text at (row, col) before it is stored, or before a repeat copies it there."""
        if row > self.limits.max_rows:
            raise too_many_rows(row, self.limits)
        if col > self.limits.max_columns:
            raise too_many_columns(col, self.limits)

    def put(self, row, col, text, value, removed=0):
        """A cell with its ``format_value`` result; cells without text are not kept."""
        if not text:
            return
        self.check_extent(row, col)
        self.cells[(row, col)] = Cell(text, value)
        self.last_row = max(self.last_row, row)
        self.last_col = max(self.last_col, col)
        if removed:
            self.cleaned_rows.add(row)

    def put_row(self, row, cells, cleaned=False):
        """The cells with text of one row, ``(column, Cell)`` in column order, as ``put`` would store them
        one by one; ``cleaned``: some of their text lost invisible characters."""
        if not cells:
            return
        last_col = cells[-1][0]
        self.check_extent(row, last_col)
        stored = self.cells
        for col, cell in cells:
            stored[(row, col)] = cell
        self.last_row = max(self.last_row, row)
        self.last_col = max(self.last_col, last_col)
        if cleaned:
            self.cleaned_rows.add(row)

    def merge(self, r1, c1, r2, c2):
        """A merged range, corners in any order. The part beyond the row and column limits can hold no
        text (that would be refused): it is dropped at once."""
        r1, r2 = max(min(r1, r2), 1), max(r1, r2, 1)
        c1, c2 = max(min(c1, c2), 1), max(c1, c2, 1)
        if (r1, c1) == (r2, c2) or r1 > self.limits.max_rows or c1 > self.limits.max_columns:
            return
        if len(self.merges) >= self.limits.max_merged_cells:  # every range covers at least one cell
            raise self._merged_area_error()
        self.merges.append((r1, c1, min(r2, self.limits.max_rows), min(c2, self.limits.max_columns)))

    def build(self):
        if not self.cells:
            return Sheet(self.name, (), 0)
        last_row = self._expand_merges()
        width = self.last_col
        grid = [[EMPTY] * width for _row in range(last_row)]
        for (row, col), cell in self.cells.items():
            if row <= last_row and col <= width:  # always: merges are cut to the sheet's extent
                grid[row - 1][col - 1] = cell
        rows = tuple(SheetRow(number, tuple(cells)) for number, cells in enumerate(grid, 1))
        return Sheet(self.name, rows, width, tuple(sorted(self.cleaned_rows)))

    def _expand_merges(self):
        """Expand the ranges, in the file's order, cut to the sheet's extent: the last column with text,
        the last row with text or filled down from a range's top cell. Refused when together they cover
        more than the merged-area limit (overlapping ranges count each time). Returns the last row."""
        cells, last_row, area = self.cells, self.last_row, 0
        for r1, c1, r2, c2 in self.merges:
            if r1 > last_row or c1 > self.last_col:
                continue
            top = cells.get((r1, c1), EMPTY)
            r2, c2 = (r2 if top.text else min(r2, last_row)), min(c2, self.last_col)
            area += (r2 - r1 + 1) * (c2 - c1 + 1)
            if area > self.limits.max_merged_cells:
                raise self._merged_area_error()
            below = Cell(top.text, top.value, filled_down=True) if top.text else EMPTY
            for row in range(r1, r2 + 1):
                if row != r1:
                    cells[(row, c1)] = below
                for col in range(c1 + 1, c2 + 1):
                    cells[(row, col)] = MERGED
            if top.text:
                last_row = max(last_row, r2)
        return last_row

    def _merged_area_error(self):
        limit = number(self.limits.max_merged_cells)
        return AppendixError(
            f"Trang tính «{self.name}» có vùng ô gộp quá lớn (hơn {limit} ô); tối đa {limit} ô. "
            "Vui lòng bỏ gộp các ô thừa rồi tải lên lại."
        )
