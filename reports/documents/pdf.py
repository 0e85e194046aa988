"""PDF through LibreOffice: the .docx converted by ``soffice --headless``, so the PDF is the very
document the .docx is (one layout to keep, the one Word users edit) and Vietnamese text is set in
Liberation Serif, metrically the same as Times New Roman. Each conversion gets its own LibreOffice
profile folder: two conversions at once would otherwise lock each other out.

A conversion takes seconds to minutes, so pages never call it: they queue a
:class:`reports.models.PdfExport`, which the ``pdf`` queue's Celery worker converts
(``reports.pdf_exports``)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from reports.documents.docx import render_docx

TIMEOUT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or failed to convert."""


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available():
    """Whether this machine can convert at all (LibreOffice installed): pages ask before queueing, so
    that a server without it says so at once instead of failing every conversion."""
    return _soffice() is not None


def convert_docx(data):
    """The PDF bytes of the .docx bytes ``data``; :class:`PdfUnavailable` when LibreOffice is missing
    or fails."""
    soffice = _soffice()
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder:
        folder = Path(folder)
        source = folder / "report.docx"
        source.write_bytes(data)
        command = [
            soffice, "--headless", "--norestore", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to", "pdf", "--outdir", str(folder), str(source),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable(f"LibreOffice could not convert the report: {error}") from error
        target = folder / "report.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice wrote no PDF")
        return target.read_bytes()


def render_pdf(doc):
    """The PDF bytes of a document built by :func:`reports.documents.content.document` (the
    ``build_report`` command's, which may wait)."""
    return convert_docx(render_docx(doc))
