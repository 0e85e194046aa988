"""Read the appendix table of an uploaded file into a grid of cell strings.

Formats: .xlsx (openpyxl), .xls (xlrd), .ods (odfpy), .csv (UTF-8, comma or semicolon) and .docx
(python-docx, the table of the document).  Every problem with the file itself raises ``AppendixError``
with a Vietnamese message for the user; nothing here evaluates formulas or macros.

Merged cells are expanded so the parser can treat every row on its own:

* the first column of a merged range keeps the value, filled down over the rows of the range
  (a lead agency spanning two tasks belongs to both);
* the other columns of the range are marked ``merged`` (continuation) and carry no text, so a section
  title merged across the table is seen as one cell.
"""

import csv
import datetime
import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
MAX_COLUMNS = 200
# Zip containers (xlsx, docx, ods): refuse before any library inflates them.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # only checked above RATIO_CHECK_FROM: small files may compress very well
RATIO_CHECK_FROM = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# An encrypted OOXML file is an OLE2 compound file holding an "EncryptedPackage" stream.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

SUPPORTED = (".xlsx", ".xls", ".ods", ".csv", ".docx")
_FORMAT_NAMES = {
    ".xlsx": "Excel (.xlsx)",
    ".xls": "Excel 97-2003 (.xls)",
    ".ods": "OpenDocument (.ods)",
    ".csv": "CSV",
    ".docx": "Word (.docx)",
}


class AppendixError(Exception):
    """The file cannot be read as an appendix; ``message`` is shown to the user (Vietnamese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Cell:
    text: str = ""
    value: object = None  # typed source value when there is one (datetime.date for date cells)
    merged: bool = False  # continuation of a merged range: its value is in the range's first column
    filled_down: bool = False  # copied from the top cell of a vertically merged range


@dataclass(frozen=True)
class SheetRow:
    number: int  # 1-based row number in the source sheet (or table, for Word)
    cells: tuple[Cell, ...]

    def text(self, column):
        """Text of the cell in 0-based ``column`` ("" beyond the row)."""
        return self.cells[column].text if column is not None and 0 <= column < len(self.cells) else ""

    def cell(self, column):
        return self.cells[column] if column is not None and 0 <= column < len(self.cells) else Cell()

    @property
    def is_blank(self):
        return not any(cell.text for cell in self.cells)


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: tuple[SheetRow, ...]
    width: int

    @property
    def is_empty(self):
        return all(row.is_blank for row in self.rows)


# --- Public entry points ---------------------------------------------------------------------------


def check_file(file, filename, *, max_bytes=DEFAULT_MAX_BYTES):
    """The file's bytes once the checks that need no parsing pass: a supported extension, the size
    limit, content that agrees with the extension, no password, no zip bomb."""
    extension = Path(filename or "").suffix.lower()
    if extension not in SUPPORTED:
        shown = extension or "(không có phần mở rộng)"
        raise AppendixError(
            f"Định dạng tệp {shown} không được hỗ trợ. "
            "Vui lòng tải lên tệp .xlsx, .xls, .ods, .csv hoặc .docx."
        )
    data = _read_bytes(file, max_bytes)
    _check_signature(data, extension)
    return data


def read_sheets(file, filename, *, max_bytes=DEFAULT_MAX_BYTES, max_rows=DEFAULT_MAX_ROWS):
    """Every sheet of the file (for Word: the appendix table, see ``_read_docx``), empty ones included."""
    data = check_file(file, filename, max_bytes=max_bytes)
    extension = Path(filename).suffix.lower()
    reader = {
        ".xlsx": _read_xlsx,
        ".xls": _read_xls,
        ".ods": _read_ods,
        ".csv": _read_csv,
        ".docx": _read_docx,
    }[extension]
    try:
        sheets = reader(data, max_rows)
    except AppendixError:
        raise
    except Exception as exc:  # third-party parsers raise many kinds of errors on damaged files
        raise AppendixError(
            f"Không đọc được tệp {_FORMAT_NAMES[extension]}: tệp bị hỏng hoặc không đúng định dạng."
        ) from exc
    if not sheets or all(sheet.is_empty for sheet in sheets):
        raise AppendixError("Tệp không có dữ liệu: bảng tính trống.")
    return sheets


def read_rows(file, filename, *, sheet=None, max_bytes=DEFAULT_MAX_BYTES, max_rows=DEFAULT_MAX_ROWS):
    """The sheet to import: ``sheet`` (name or 0-based index) or else the first non-empty one.

    ``file`` is bytes, a path or a binary file object (e.g. a Django ``UploadedFile``); ``filename``
    gives the format by its extension, which must agree with the content.
    """
    sheets = read_sheets(file, filename, max_bytes=max_bytes, max_rows=max_rows)
    if sheet is None:
        return next(s for s in sheets if not s.is_empty)
    chosen = sheets[sheet] if isinstance(sheet, int) and -len(sheets) <= sheet < len(sheets) else None
    chosen = chosen or next((s for s in sheets if s.name == sheet), None)
    if chosen is None:
        raise AppendixError(f"Không tìm thấy trang tính «{sheet}» trong tệp.")
    if chosen.is_empty:
        raise AppendixError(f"Trang tính «{chosen.name}» không có dữ liệu.")
    return chosen


# --- Input checks -----------------------------------------------------------------------------------


def _read_bytes(file, max_bytes):
    if getattr(file, "size", 0) > max_bytes:  # an upload past every limit arrives empty (config.uploads)
        raise _too_large(max_bytes)
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    elif isinstance(file, (str, Path)):
        with open(file, "rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data:
        raise AppendixError("Tệp rỗng, không có dữ liệu.")
    return data


def _too_large(max_bytes):
    return AppendixError(f"Tệp vượt quá dung lượng cho phép ({_megabytes(max_bytes)} MB).")


def _megabytes(size):
    return f"{round(size / (1024 * 1024), 2):g}"


def _check_signature(data, extension):
    """Check that the content is what the extension says (magic bytes), refuse encrypted files."""
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise AppendixError("Tệp đang được bảo vệ bằng mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại.")
        if extension == ".xls":
            return
        raise _mismatch(extension)
    if extension == ".xls":
        raise _mismatch(extension)
    if extension == ".csv":
        if data.startswith(ZIP_MAGIC) or b"\x00" in data[:8192]:
            raise _mismatch(extension)
        return
    if not data.startswith(ZIP_MAGIC):
        raise _mismatch(extension)
    archive = _open_zip(data)
    names = set(archive.namelist())
    if extension == ".xlsx":
        ok = "[Content_Types].xml" in names and "xl/workbook.xml" in names
    elif extension == ".docx":
        ok = "[Content_Types].xml" in names and "word/document.xml" in names
    else:
        ok = "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE
        manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        if ok and b"encryption-data" in manifest:
            raise AppendixError("Tệp đang được bảo vệ bằng mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại.")
    if not ok:
        raise _mismatch(extension)


def _mismatch(extension):
    return AppendixError(
        f"Nội dung tệp không phải định dạng {_FORMAT_NAMES[extension]} như phần mở rộng {extension} của tên "
        "tệp. Có thể tệp đã bị đổi tên hoặc bị hỏng; vui lòng mở và lưu lại đúng định dạng."
    )


def _open_zip(data):
    """Open a zip container after checking its declared sizes (zip bomb guard).

    Python's zipfile never inflates an entry beyond its declared size, so the declared sizes bound the
    memory that openpyxl, python-docx or odfpy can use.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise AppendixError("Tệp bị hỏng: không giải nén được nội dung.") from exc
    total = sum(info.file_size for info in infos)
    compressed = max(1, sum(info.compress_size for info in infos))
    too_big = total > MAX_UNCOMPRESSED_BYTES
    too_dense = total > RATIO_CHECK_FROM and total / compressed > MAX_COMPRESSION_RATIO
    if len(infos) > MAX_ZIP_ENTRIES or too_big or too_dense:
        raise AppendixError(
            "Tệp có dung lượng sau giải nén bất thường (nghi là tệp nén độc hại), hệ thống từ chối xử lý."
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise AppendixError("Tệp đang được bảo vệ bằng mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại.")
    return archive


# --- Building a sheet -------------------------------------------------------------------------------


def _clean_cell_text(text):
    """NFC, unified line breaks, no outer blanks; inner line breaks are kept."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _format_value(value, number_format=""):
    """(text, typed value) of a source value; dates print as dd/mm/yyyy."""
    if value is None:
        return "", None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y"), value
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), value
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return f"{value * 100:.15g}%", value
        if isinstance(value, float) and value.is_integer():
            return str(int(value)), value
        return f"{value:.15g}", value
    return _clean_cell_text(str(value)), value


def _build_sheet(name, values, merges, max_rows):
    """Sheet from ``values`` {(row, col) 1-based: (text, value)} and merged ranges (r1, c1, r2, c2)."""
    cells = {key: Cell(text, value) for key, (text, value) in values.items() if text}
    for r1, c1, r2, c2 in merges:
        top = cells.get((r1, c1), Cell())
        for row in range(r1, r2 + 1):
            for col in range(c1, min(c2, MAX_COLUMNS) + 1):
                if (row, col) == (r1, c1):
                    continue
                if col == c1:
                    cells[(row, col)] = Cell(top.text, top.value, filled_down=True) if top.text else Cell()
                else:
                    cells[(row, col)] = Cell(merged=True)
    filled = [key for key, cell in cells.items() if cell.text]
    if not filled:
        return Sheet(name, (), 0)
    last_row = max(row for row, _ in filled)
    if last_row > max_rows:
        raise AppendixError(f"Bảng có quá nhiều dòng ({last_row}); tối đa {max_rows} dòng.")
    # Merges reaching past the last column with text (a title merged across the whole row) add nothing.
    width = max(col for _, col in filled)
    if width > MAX_COLUMNS:
        raise AppendixError(f"Bảng có quá nhiều cột; tối đa {MAX_COLUMNS} cột.")
    rows = tuple(
        SheetRow(row, tuple(cells.get((row, col), Cell()) for col in range(1, width + 1)))
        for row in range(1, last_row + 1)
    )
    return Sheet(name, rows, width)


def _check_extent(row, col, max_rows):
    if row > max_rows:
        raise AppendixError(f"Bảng có quá nhiều dòng; tối đa {max_rows} dòng.")
    if col > MAX_COLUMNS:
        raise AppendixError(f"Bảng có quá nhiều cột; tối đa {MAX_COLUMNS} cột.")


# --- Formats ----------------------------------------------------------------------------------------


def _read_xlsx(data, max_rows):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unsupported extensions (data validation …) are irrelevant here
        # data_only: formula cells give the value cached by the spreadsheet program, never evaluated.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    for worksheet in workbook.worksheets:
        values = {}
        # _cells holds only the cells present in the file; iter_rows would create every empty cell up to
        # max_row, which a stray format in row 1,048,576 makes huge.
        for (row, col), cell in getattr(worksheet, "_cells", {}).items():
            if cell.value is None or cell.value == "":
                continue
            _check_extent(row, col, max_rows)
            values[(row, col)] = _format_value(cell.value, cell.number_format)
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in worksheet.merged_cells.ranges]
        sheets.append(_build_sheet(worksheet.title, values, merges, max_rows))
    return sheets


def _read_xls(data, max_rows):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise AppendixError(
                "Tệp đang được bảo vệ bằng mật khẩu. Vui lòng gỡ mật khẩu rồi tải lên lại."
            ) from exc
        raise
    sheets = []
    for worksheet in book.sheets():
        values = {}
        for row in range(worksheet.nrows):
            for col in range(worksheet.ncols):
                cell = worksheet.cell(row, col)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    continue
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                if value == "":
                    continue
                _check_extent(row + 1, col + 1, max_rows)
                values[(row + 1, col + 1)] = _format_value(value)
        merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in worksheet.merged_cells]
        sheets.append(_build_sheet(worksheet.name, values, merges, max_rows))
    return sheets


def _odf_text(element):
    """Visible text of an ODF element: paragraphs on separate lines, <text:s/> as spaces."""
    parts = []
    for node in element.childNodes:
        if node.nodeType == node.TEXT_NODE:
            parts.append(node.data)
            continue
        local = node.qname[1]
        if local == "s":
            parts.append(" " * int(node.attributes.get((node.qname[0], "c"), 1)))
        elif local == "tab":
            parts.append("\t")
        elif local == "line-break":
            parts.append("\n")
        elif local != "annotation":  # comments are not cell content
            parts.append(_odf_text(node))
    return "".join(parts)


def _read_ods(data, max_rows):
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    def attr(element, namespace, name, default=None):
        return element.attributes.get((namespace, name), default)

    document = load(io.BytesIO(data))
    sheets = []
    for table in document.spreadsheet.getElementsByType(Table):
        values, merges = {}, []
        row_number = 0
        for table_row in table.getElementsByType(TableRow):
            repeat_rows = int(attr(table_row, TABLENS, "number-rows-repeated", 1))
            row_values, col = {}, 0
            for cell in table_row.childNodes:
                if cell.qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                    continue
                repeat_cols = int(attr(cell, TABLENS, "number-columns-repeated", 1))
                paragraphs = [_odf_text(p) for p in cell.childNodes if p.qname[1] in ("p", "h")]
                text = "\n".join(paragraphs)
                kind = attr(cell, OFFICENS, "value-type")
                value = text
                if kind == "date":
                    value = datetime.date.fromisoformat(attr(cell, OFFICENS, "date-value")[:10])
                elif kind in ("float", "percentage", "currency") and not text:
                    value = float(attr(cell, OFFICENS, "value"))
                if value not in ("", None):
                    _check_extent(row_number + 1, col + repeat_cols, max_rows)
                    for offset in range(repeat_cols):
                        row_values[col + 1 + offset] = _format_value(value)
                span_cols = int(attr(cell, TABLENS, "number-columns-spanned", 1))
                span_rows = int(attr(cell, TABLENS, "number-rows-spanned", 1))
                if span_cols > 1 or span_rows > 1:
                    merges.append((row_number + 1, col + 1, row_number + span_rows, col + span_cols))
                col += repeat_cols
            if row_values:
                _check_extent(row_number + repeat_rows, 1, max_rows)
                for offset in range(repeat_rows):
                    for column, item in row_values.items():
                        values[(row_number + 1 + offset, column)] = item
            row_number += repeat_rows
        sheets.append(_build_sheet(attr(table, TABLENS, "name", ""), values, merges, max_rows))
    return sheets


def _read_csv(data, max_rows):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AppendixError("Tệp CSV phải được lưu với bảng mã UTF-8.") from exc
    sample = text[:16384]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:  # e.g. a single column: count separators on the first line instead
        first_line = sample.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    values = {}
    for row, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        for col, raw in enumerate(record, start=1):
            if raw.strip():
                _check_extent(row, col, max_rows)
                values[(row, col)] = _format_value(raw)
    return [_build_sheet("CSV", values, [], max_rows)]


def _read_docx(data, max_rows):
    """The appendix table of a Word file.

    Plans put the national header and the signature block in tables too, so the appendix is taken as
    the largest table together with the adjacent tables of the same column count (a table split over
    pages).  Rows are numbered across those tables.
    """
    import docx
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    tables = []
    for table in document.tables:
        values, merges, open_vertical = {}, [], {}
        width = 0
        for row_index, tr in enumerate(table._tbl.tr_lst, start=1):
            col = tr.grid_before + 1
            for tc in tr.tc_lst:
                span = tc.grid_span
                vmerge = tc.vMerge
                if vmerge == "continue" and col in open_vertical:
                    merges[open_vertical[col]][2] = row_index  # extend the range down
                else:
                    text = _clean_cell_text("\n".join(Paragraph(p, table).text for p in tc.p_lst))
                    if text:
                        values[(row_index, col)] = (text, text)
                    merges.append([row_index, col, row_index, col + span - 1])
                    if vmerge == "restart":
                        open_vertical[col] = len(merges) - 1
                    else:
                        open_vertical.pop(col, None)
                col += span
            width = max(width, col - 1)
        merges = [tuple(m) for m in merges if (m[0], m[1]) != (m[2], m[3])]
        tables.append((values, merges, len(table._tbl.tr_lst), width))
    if not tables:
        raise AppendixError("Không tìm thấy bảng nào trong tệp Word.")
    main = max(range(len(tables)), key=lambda i: tables[i][2])
    first = last = main
    while first > 0 and tables[first - 1][3] == tables[main][3]:
        first -= 1
    while last + 1 < len(tables) and tables[last + 1][3] == tables[main][3]:
        last += 1
    values, merges, offset = {}, [], 0
    for part_values, part_merges, row_count, _width in tables[first : last + 1]:
        if offset + row_count > max_rows:
            raise AppendixError(f"Bảng có quá nhiều dòng; tối đa {max_rows} dòng.")
        values.update({(row + offset, col): item for (row, col), item in part_values.items()})
        merges.extend((r1 + offset, c1, r2 + offset, c2) for r1, c1, r2, c2 in part_merges)
        offset += row_count
    name = f"Bảng {first + 1}" if first == last else f"Bảng {first + 1}–{last + 1}"
    return [_build_sheet(name, values, merges, max_rows)]
