"""A plan document as its readers give it: paragraphs and tables in reading order.

Every reader (Word, PDF text layer, OCR of a scan) produces a ``Document``; what comes after (finding
the appendix tables, the tasks written in prose, the per-agency duties, the plan's own data) reads
only this, whatever the file was.
"""

import collections
import re
import statistics
from dataclasses import dataclass, field

from plans.appendix.sheet import Sheet


@dataclass(frozen=True)
class Paragraph:
    text: str  # NFC, one paragraph; the lines a PDF wrapped are joined with a space
    page: int = 0  # 1-based page of a PDF, 0 when the format has no pages (Word)
    from_ocr: bool = False
    confidence: float | None = None  # OCR: mean word confidence, 0–100
    bold: bool = False  # all its text is bold (a heading), when the reader knows


@dataclass(frozen=True)
class Table:
    sheet: Sheet  # cells as a spreadsheet's; rows numbered from 1 across the whole table
    page: int = 0  # page of its first row
    from_ocr: bool = False
    # (row number, 0-based column) of the cells OCR read with a confidence below the threshold
    low_confidence: frozenset = frozenset()
    bordered: bool = True  # False: a layout table (national header, signature block)


@dataclass
class Document:
    blocks: list = field(default_factory=list)  # Paragraph | Table, in reading order
    pages: int = 0
    from_ocr: bool = False
    properties: dict = field(default_factory=dict)  # "title", "created" (ISO date) from the metadata

    @property
    def paragraphs(self):
        return [block for block in self.blocks if isinstance(block, Paragraph)]

    @property
    def tables(self):
        return [block for block in self.blocks if isinstance(block, Table)]


# --- Lines of a page into paragraphs (PDF text layer, OCR) -----------------------------------------


@dataclass(frozen=True)
class Line:
    text: str
    x0: float  # left edge
    x1: float  # right edge
    top: float
    bottom: float
    page: int
    bold: bool = False
    confidence: float | None = None


# A line opening like this starts a paragraph of its own: "I.", "1.", "5.1.", "5.4)", "a)", "-", "+".
OPENS_PARAGRAPH = re.compile(
    r"^(?:[IVXLC]+\.|\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ]\)|[-+–•*]\s|\(\d+\)|Căn cứ|Thực hiện|Nơi nhận)"
)


def paragraphs_from_lines(lines, from_ocr=False):
    """Join the lines of a text into paragraphs, as a reader sees them on the page.

    A line starts a new paragraph when it opens with a marker, is indented past the body's left edge
    (the first line of a paragraph is), follows a gap larger than the line spacing, or follows a line
    that ended well short of the right margin; otherwise it continues the paragraph above.
    ``lines`` in reading order, possibly over several pages.
    """
    return [make_paragraph(group, from_ocr) for group in group_lines(lines)]


def group_lines(lines, margins=None):
    """The lines of each paragraph (see ``paragraphs_from_lines``), in order. ``margins``: page ->
    (left edge of the body, right edge, line spacing) when the caller knows them from more lines than
    these (a run of text between two tables); measured on ``lines`` otherwise."""
    groups, current = [], []
    by_page = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    margins = dict(margins or {})
    for page, page_lines in by_page.items():
        if page not in margins:
            margins[page] = page_margins(page_lines)
    previous = None
    for line in lines:
        left, right, spacing = margins[line.page]
        if previous is not None and not _continues(previous, line, left, right, spacing, margins):
            groups.append(current)
            current = []
        current.append(line)
        previous = line
    if current:
        groups.append(current)
    return groups


def page_margins(lines):
    """(left edge of the body, right edge, usual line spacing) of a page's lines."""
    # The leftmost edge many lines share: wrapped lines start there, first lines are indented past it
    # (a page of "a) …" items indented alike has more first lines than wrapped ones).
    counts = collections.Counter(round(line.x0) for line in lines)
    shared = [x for x, count in counts.items() if count >= max(2, 0.15 * len(lines))]
    left = min(shared or counts or [0])
    right = max((line.x1 for line in lines), default=0)
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if 0 < b.top - a.top < 40]
    spacing = statistics.median(gaps) if gaps else 14
    return left, right, spacing


def _continues(previous, line, left, right, spacing, margins):
    if OPENS_PARAGRAPH.match(line.text):
        return False
    width = max(right - left, 1)
    if line.page != previous.page:
        previous_left, previous_right, _ = margins[previous.page]
        if line.x0 > left + 0.03 * width:  # the new page opens with a first-line indent
            return False
        return previous.x1 >= previous_right - 0.12 * (previous_right - previous_left)
    if line.top - previous.top > 1.6 * spacing:
        return False
    if line.x0 > left + 0.03 * width:  # first-line indent, or a centred line
        return _centred_continuation(previous, line, left, right, width)
    return previous.x1 >= right - 0.12 * width


def _centred_continuation(previous, line, left, right, width):
    """A centred heading wrapped over lines: the line above is wide and centred, this one is centred
    under it, in the same weight."""
    indent_left, indent_right = previous.x0 - left, right - previous.x1
    centred_above = indent_left > 0.01 * width and indent_right > 0.01 * width
    centred_above = centred_above and abs(indent_left - indent_right) < 0.03 * width
    wide_above = previous.x1 - previous.x0 > 0.6 * width
    centre = (line.x0 + line.x1) / 2
    under = abs(centre - (previous.x0 + previous.x1) / 2) < 0.03 * width
    return centred_above and wide_above and under and line.bold == previous.bold


_SPLIT_WORD = re.compile(r"\w-$")


def make_paragraph(lines, from_ocr=False):
    """One ``Paragraph`` of a paragraph's lines."""
    text = ""
    for line in lines:
        # "36/2020/QĐ-" at the end of a line and "UBND" on the next are one word
        text = f"{text}{line.text}" if _SPLIT_WORD.search(text) else f"{text} {line.text}"
    text = re.sub(r"\s+", " ", text).strip()
    confidences = [line.confidence for line in lines if line.confidence is not None]
    return Paragraph(
        text=text,
        page=lines[0].page,
        from_ocr=from_ocr,
        confidence=statistics.fmean(confidences) if confidences else None,
        bold=all(line.bold for line in lines),
    )
