"""PDF through LibreOffice: the .docx converted by ``soffice --headless``, so the PDF is the very
document the .docx is (one layout to keep, the one Word users edit) and Vietnamese text is set in
Liberation Serif, metrically the same as Times New Roman. Each conversion gets its own LibreOffice
profile folder: two conversions at once would otherwise lock each other out."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from reports.documents.docx import render_docx

TIMEOUT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or failed to convert."""


def render_pdf(doc):
    """The PDF bytes of a document built by :func:`reports.documents.content.document`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder:
        folder = Path(folder)
        source = folder / "report.docx"
        source.write_bytes(render_docx(doc))
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
