"""A plan document file (.docx, .pdf) into a ``Document``, whichever way it was published.

A PDF is read from its text layer; the pages that have none (a scan, or a signed copy with scanned
pages) are read by OCR when Tesseract is installed, and the blocks of every page are put back in page
order. ``progress(done, total)`` follows the pages.
"""

from dataclasses import dataclass

from plans.appendix.sheet import AppendixError
from plans.appendix.zipxml import open_zip
from plans.documents.duties import period_from_title
from plans.documents.locate import choose, plan_targets, task_sources
from plans.documents.metadata import read_plan_data
from plans.documents.model import Document
from plans.documents.ocr import OCR_UNAVAILABLE, ocr_available, read_scanned_pdf
from plans.documents.pdf import read_pdf
from plans.documents.word import read_word_document

WHOLE_DOCUMENT_EXTENSIONS = (".pdf", ".docx")


@dataclass
class PlanDocument:
    document: object  # model.Document
    plan: object  # metadata.PlanData
    sources: list  # locate.TaskSource, every task list found
    chosen: object  # the one previewed
    targets: list  # plans.appendix.targets.ParsedTarget, from a targets table or proposed
    targets_proposed: bool  # read from the plan's objectives, not from a table


def read_plan_document(data, extension, limits, budget, progress=None, source=None, appendix=None):
    """The document, its own data and its task lists, the one asked for chosen (``locate.choose``).
    Raises ``AppendixError`` when the file cannot be read or lists no task."""
    document = read_document(data, extension, limits, budget, progress)
    plan = read_plan_data(document)
    title = plan.title or document.properties.get("title", "")
    sources = task_sources(document, period_from_title(title))
    try:
        chosen = choose(sources, source, appendix)
    except LookupError as error:
        raise AppendixError(str(error)) from error
    return PlanDocument(document, plan, sources, chosen, *plan_targets(document))


def read_document(data, extension, limits, budget, progress=None):
    if extension == ".docx":
        return read_word_document(open_zip(data, limits), limits, budget)
    if extension != ".pdf":
        raise ValueError(extension)
    document = read_pdf(data, limits, budget, progress)
    scanned = document.properties.get("pages_without_text") or []
    if not scanned:
        return document
    if not ocr_available():
        raise AppendixError(OCR_UNAVAILABLE)
    scan = read_scanned_pdf(data, limits, budget, progress, pages=scanned)
    if len(scanned) == document.pages:
        scan.properties = {**document.properties, **scan.properties, "pages_without_text": scanned}
        return scan
    return _merge(document, scan)


def _merge(text_document, scan):
    blocks = sorted(text_document.blocks + scan.blocks, key=lambda block: block.page)
    return Document(
        blocks=blocks, pages=text_document.pages, from_ocr=True, properties=text_document.properties,
    )
