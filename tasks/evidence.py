"""What evidence files the portal accepts, judged by their first bytes and not by their name.

Pure functions over a file-like object: no database, no settings. A file whose content does not
match its extension (a script renamed ``.pdf``, a PDF renamed ``.docx``) is refused.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls (Office 97–2003)
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", (".pdf",))
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
DOC = FileKind("application/msword", (".doc",))
XLS = FileKind("application/vnd.ms-excel", (".xls",))
PNG = FileKind("image/png", (".png",))
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"))
GIF = FileKind("image/gif", (".gif",))
WEBP = FileKind("image/webp", (".webp",))

ACCEPTED_EXTENSIONS = tuple(
    ext for kind in (PDF, DOCX, XLSX, DOC, XLS, PNG, JPEG, GIF, WEBP) for ext in kind.extensions
)
HEAD_BYTES = 16


class UnacceptableFile(ValueError):
    """The file is not one the portal keeps as evidence."""


def _ooxml_kind(file):
    """DOCX or XLSX by the part every such package has; None for any other zip."""
    try:
        names = set(zipfile.ZipFile(file).namelist())
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(file, extension=""):
    """The :class:`FileKind` of ``file`` (a seekable binary file) from its content, or None.

    An Office 97–2003 container does not say whether it holds a document or a workbook: the
    ``extension`` decides between the two."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(ZIP):
        kind = _ooxml_kind(file)
        file.seek(0)
        return kind
    if head.startswith(OLE2):
        return XLS if extension == ".xls" else DOC
    return None


def check_file(file, name, size, max_bytes):
    """The content type to store for an uploaded evidence file; raises :class:`UnacceptableFile`
    when it is too large, of a kind the portal does not keep, or not what its extension says."""
    if size > max_bytes:
        raise UnacceptableFile("too_large")
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise UnacceptableFile("kind")
    kind = sniff(file, extension)
    if kind is None or extension not in kind.extensions:
        raise UnacceptableFile("mismatch")
    return kind.content_type
