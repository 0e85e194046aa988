"""Read the appendix table of an uploaded file into a grid of cell strings (``sheet.Sheet``).

Formats: .xlsx, .ods and .docx (the table of the document) read as streams of their XML parts, .xls
(xlrd) and .csv (UTF-8, semicolon, comma or tab). Every problem with the file itself raises
``AppendixError`` with a Vietnamese message for the user; nothing here evaluates formulas or macros.

Reading is bounded by ``sheet.Limits``: the file's size; for a zip container, its decompressed size
and each part's compression ratio before anything is inflated, then each XML part's markup and cells,
counted in its raw text before it is parsed (``zipxml.survey``); while reading, the rows and columns
holding text and the area of merged ranges, clipped to the table first. A file is refused when it
passes one, with a message naming the limit, before anything is allocated for what lies beyond it.
Invisible and control characters (NUL, bidirectional marks, zero-width spaces) are removed from every
cell and the rows they were found in are noted (``Sheet.cleaned_rows``).
"""

import zipfile
import zlib
from pathlib import Path

from plans.appendix.delimited import read_csv
from plans.appendix.docx import read_docx
from plans.appendix.ods import read_ods
from plans.appendix.sheet import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    PROTECTED,
    AppendixError,
    Budget,
    Cell,
    Limits,
    Sheet,
    SheetRow,
    megabytes,
)
from plans.appendix.xls import read_xls
from plans.appendix.xlsx import read_xlsx
from plans.appendix.zipxml import open_zip

__all__ = [
    "DEFAULT_MAX_BYTES", "DEFAULT_MAX_ROWS", "AppendixError", "Cell", "Limits", "Sheet", "SheetRow",
    "check_file", "read_rows", "read_sheets",
]

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
# An encrypted OOXML file is an OLE2 compound file holding an "EncryptedPackage" stream.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

PDF_MAGIC = b"%PDF-"

SUPPORTED = (".xlsx", ".xls", ".ods", ".csv", ".docx", ".pdf")
_FORMAT_NAMES = {
    ".pdf": "PDF (.pdf)",
    ".xlsx": "Excel (.xlsx)",
    ".xls": "Excel 97-2003 (.xls)",
    ".ods": "OpenDocument (.ods)",
    ".csv": "CSV",
    ".docx": "Word (.docx)",
}
# Readers of the zip containers take the checked archive, the others the bytes.
_ZIP_READERS = {".xlsx": read_xlsx, ".ods": read_ods, ".docx": read_docx}
_BYTE_READERS = {".xls": read_xls, ".csv": read_csv}


# --- Public entry points ---------------------------------------------------------------------------


def check_file(file, filename, **limits):
    """The file's bytes once the checks that need no parsing pass: a supported extension, the size
    limit, content that agrees with the extension, no password, no zip bomb. ``limits``: the fields
    of ``Limits``."""
    limits = Limits(**limits)
    extension = Path(filename or "").suffix.lower()
    if extension not in SUPPORTED:
        shown = extension or "(không có phần mở rộng)"
        raise AppendixError(
            f"Định dạng tệp {shown} không được hỗ trợ. "
            "Vui lòng tải lên tệp .xlsx, .xls, .ods, .csv, .docx hoặc .pdf."
        )
    data = _read_bytes(file, limits.max_document_bytes if extension == ".pdf" else limits.max_bytes)
    _check_signature(data, extension, limits)
    return data


def read_sheets(file, filename, **limits):
    """Every sheet of the file (for Word: the appendix table, see ``docx``), empty ones included.
    ``limits``: the fields of ``Limits`` (``max_bytes``, ``max_rows`` …), defaults for the others."""
    data = check_file(file, filename, **limits)
    limits = Limits(**limits)
    extension = Path(filename).suffix.lower()
    budget = Budget(limits)
    try:
        if extension in _ZIP_READERS:
            sheets = _ZIP_READERS[extension](open_zip(data, limits), limits, budget)
        else:
            sheets = _BYTE_READERS[extension](data, limits, budget)
    except AppendixError:
        raise
    except Exception as exc:  # third-party parsers raise many kinds of errors on damaged files
        raise AppendixError(
            f"Không đọc được tệp {_FORMAT_NAMES[extension]}: tệp bị hỏng hoặc không đúng định dạng."
        ) from exc
    if not sheets or all(sheet.is_empty for sheet in sheets):
        raise AppendixError("Tệp không có dữ liệu: bảng tính trống.")
    return sheets


def read_rows(file, filename, *, sheet=None, **limits):
    """The sheet to import: ``sheet`` (name or 0-based index) or else the first non-empty one.

    ``file`` is bytes, a path or a binary file object (e.g. a Django ``UploadedFile``); ``filename``
    gives the format by its extension, which must agree with the content.
    """
    sheets = read_sheets(file, filename, **limits)
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
    return AppendixError(f"Tệp vượt quá dung lượng cho phép ({megabytes(max_bytes)} MB).")


def _check_signature(data, extension, limits):
    """Check that the content is what the extension says (magic bytes), refuse encrypted files."""
    if extension == ".pdf":
        # A PDF may have a few bytes before its header; readers look for it in the first kilobyte.
        if PDF_MAGIC not in data[:1024]:
            raise _mismatch(extension)
        return
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise AppendixError(PROTECTED)
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
    archive = open_zip(data, limits)
    names = set(archive.namelist())
    if extension == ".xlsx":
        ok = "[Content_Types].xml" in names and "xl/workbook.xml" in names
    elif extension == ".docx":
        ok = "[Content_Types].xml" in names and "word/document.xml" in names
    else:
        ok = "mimetype" in names and _small_part(archive, "mimetype").strip() == ODS_MIMETYPE
        manifest = _small_part(archive, "META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        if ok and b"encryption-data" in manifest:
            raise AppendixError(PROTECTED)
    if not ok:
        raise _mismatch(extension)


def _small_part(archive, name):
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise AppendixError("Tệp bị hỏng: không giải nén được nội dung.") from exc


def _mismatch(extension):
    return AppendixError(
        f"Nội dung tệp không phải định dạng {_FORMAT_NAMES[extension]} như phần mở rộng {extension} của tên "
        "tệp. Có thể tệp đã bị đổi tên hoặc bị hỏng; vui lòng mở và lưu lại đúng định dạng."
    )
