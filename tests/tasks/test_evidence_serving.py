"""How evidence files are served (tasks:evidence): images and PDFs recognised by their content are
shown in a sandbox; everything else is downloaded; nothing is ever served as HTML or SVG."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import workflow
from tests.tasks.factories import PDF_BYTES, office_file

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def serve(client, task, lead_focal_point):
    """``serve(name, content, content_type)``: the response to the lead downloading the file, stored
    as evidence with ``content_type`` (what the upload form's check said, or anything else)."""
    client.force_login(lead_focal_point)

    def _serve(name, content, content_type):
        upload = SimpleUploadedFile(name, content, content_type=content_type)
        update = workflow.contribute(
            task, author=lead_focal_point, done="x",
            evidence=[{"reference": "", "file": upload, "content_type": content_type}],
        )
        return client.get(reverse("tasks:evidence", args=[update.evidence.get().pk]))

    return _serve


def test_a_pdf_is_shown_in_a_sandbox(serve):
    response = serve("quyet-dinh.pdf", PDF_BYTES, "application/pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"


def test_an_image_is_shown_in_a_sandbox(serve):
    response = serve("anh.png", PNG_BYTES, "image/png")

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_word_document_is_downloaded(serve):
    response = serve("bao-cao.docx", office_file("word/document.xml"), DOCX)

    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment")


def test_a_gif_that_is_also_html_is_served_as_an_image_never_as_html(serve):
    polyglot = b"GIF89a/*<html><script>alert(document.cookie)</script>*/"

    response = serve("anh.gif", polyglot, "image/gif")

    assert response["Content-Type"] == "image/gif"
    assert response["Content-Security-Policy"] == "sandbox"


def test_html_stored_as_an_image_is_downloaded_as_bytes(serve):
    response = serve("anh.png", b"<html><script>alert(1)</script></html>", "image/png")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_an_svg_is_downloaded_as_bytes(serve):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    response = serve("so-do.svg", svg, "image/svg+xml")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_file_whose_content_no_longer_matches_its_stored_type_is_downloaded(serve):
    response = serve("quyet-dinh.pdf", PNG_BYTES, "application/pdf")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_browsers_are_told_not_to_guess_the_type(serve):
    response = serve("quyet-dinh.pdf", PDF_BYTES, "application/pdf")

    assert response["X-Content-Type-Options"] == "nosniff"
