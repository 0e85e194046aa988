"""Which evidence files are accepted: judged by content, not by name (tasks.evidence, no database)."""

import io

import pytest

from tasks.evidence import UnacceptableFile, check_file
from tests.tasks.factories import PDF_BYTES, office_file

MAX = 1000


def _check(content, name):
    return check_file(io.BytesIO(content), name, len(content), MAX)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF_BYTES, "QD-123.PDF", "application/pdf"),
        (
            office_file("word/document.xml"),
            "bao-cao.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            office_file("xl/workbook.xml"),
            "so-lieu.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "cong-van.doc", "application/msword"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "bang.xls", "application/vnd.ms-excel"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 8, "anh.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 8, "anh.jpg", "image/jpeg"),
    ],
)
def test_accepted_files_get_the_content_type_of_their_content(content, name, content_type):
    assert _check(content, name) == content_type


def _refusal(content, name):
    with pytest.raises(UnacceptableFile) as error:
        _check(content, name)
    return str(error.value)


def test_a_program_renamed_pdf_is_refused():
    assert _refusal(b"MZ\x90\x00\x03\x00\x00\x00", "quyet-dinh.pdf") == "mismatch"


def test_a_pdf_renamed_docx_is_refused():
    assert _refusal(PDF_BYTES, "bao-cao.docx") == "mismatch"


def test_a_zip_that_is_not_an_office_file_is_refused():
    assert _refusal(office_file("other/part.xml"), "bao-cao.docx") == "mismatch"


def test_html_is_refused_whatever_its_name():
    assert _refusal(b"<html><script>alert(1)</script>", "trang.html") == "kind"


def test_a_file_over_the_limit_is_refused_before_reading_it():
    assert _refusal(PDF_BYTES * 100, "lon.pdf") == "too_large"


def test_reading_leaves_the_file_at_its_start():
    upload = io.BytesIO(office_file("word/document.xml"))

    check_file(upload, "a.docx", len(upload.getvalue()), 10_000)

    assert upload.tell() == 0
