"""Where a plan document lists its tasks, in the order an admin expects them to be looked for:

1. appendix tables (``PHỤ LỤC I``, ``PHỤ LỤC II`` …): every table with an appendix header, a table
   Word split over pages joined back; the layout tables (national header, signature block) have no
   such header and are passed over;
2. tasks written in prose with labelled fields (``prose``);
3. the per-agency duties of "Tổ chức thực hiện" (``duties``).

Each found list is a ``TaskSource``; the import previews the first and lets the admin switch.
"""

import re
from dataclasses import dataclass, field

from agencies.names import clean_text, fold_name
from plans.appendix.parsing import locate_header, parse_appendix
from plans.appendix.sheet import Sheet, SheetRow
from plans.appendix.targets import is_target_sheet, parse_targets
from plans.documents.duties import parse_duties
from plans.documents.model import Paragraph, Table
from plans.documents.objectives import propose_targets
from plans.documents.prose import parse_prose

APPENDIX, PROSE, DUTIES = "appendix", "prose", "duties"
KINDS = (APPENDIX, PROSE, DUTIES)

_TABLE_CAPTION = re.compile(r"^(phu luc|danh muc|bang|\(kem theo)")
CAPTION_PARAGRAPHS = 4


@dataclass
class TaskSource:
    kind: str  # APPENDIX | PROSE | DUTIES
    label: str  # what the admin sees in the choice, Vietnamese
    parsed: object  # plans.appendix.parsing.ParsedAppendix
    sheet: Sheet | None = None  # the table of an appendix
    from_ocr: bool = False
    low_confidence: frozenset = field(default_factory=frozenset)  # (row, column) of doubtful cells

    def task_count(self):
        return len(self.parsed.tasks)


def task_sources(document, plan_period_text=""):
    """Every task list of ``document`` (``model.Document``), in the order above; each one holds at
    least one task."""
    sources = []
    for index, (table, caption) in enumerate(_appendix_tables(document), start=1):
        parsed = parse_appendix(table.sheet)
        if parsed.tasks:
            label = caption or f"Bảng nhiệm vụ {index}"
            sources.append(
                TaskSource(APPENDIX, label, parsed, table.sheet, table.from_ocr, table.low_confidence)
            )
    prose = parse_prose(document)
    if prose is not None and prose.tasks:
        sources.append(TaskSource(PROSE, "Nhiệm vụ viết trong nội dung kế hoạch", prose,
                                  from_ocr=document.from_ocr))
    duties = parse_duties(document, plan_period_text)
    if duties is not None and duties.tasks:
        sources.append(TaskSource(DUTIES, "Nhiệm vụ của từng cơ quan (phần Tổ chức thực hiện)", duties,
                                  from_ocr=document.from_ocr))
    return sources


def plan_targets(document):
    """``(targets, proposed)``: the rows of the document's first targets table (``proposed`` False), else
    the targets its "Mục tiêu cụ thể" proposes (True: the admin confirms each)."""
    for block in document.blocks:
        if isinstance(block, Table) and is_target_sheet(block.sheet):
            return parse_targets(block.sheet).targets, False
    return propose_targets(document), True


def choose(sources, kind=None, appendix=None):
    """The source to preview: the one asked for (``kind``; for appendices ``appendix``, 1-based),
    else the first. Raises ``LookupError`` with a Vietnamese message when the one asked for is not
    there."""
    if not sources:
        raise LookupError(NO_TASKS)
    if kind is None and appendix is None:
        return sources[0]
    kind = kind or APPENDIX
    found = [source for source in sources if source.kind == kind]
    if kind == APPENDIX and appendix is not None:
        found = found[appendix - 1:appendix] if appendix >= 1 else []
    if not found:
        raise LookupError(_missing(kind, appendix, sources))
    return found[0]


NO_TASKS = (
    "Không tìm thấy danh sách nhiệm vụ trong văn bản: không có bảng phụ lục (cột «Nhiệm vụ» và «Đơn vị "
    "chủ trì»), không có nhiệm vụ ghi theo mục «Cơ quan chủ trì:», «Thời gian hoàn thành:», và không có "
    "nhiệm vụ của từng cơ quan trong phần «Tổ chức thực hiện»."
)
_KIND_NAMES = {
    APPENDIX: "bảng phụ lục", PROSE: "nhiệm vụ viết trong nội dung", DUTIES: "nhiệm vụ của từng cơ quan",
}


def _missing(kind, appendix, sources):
    appendices = sum(1 for source in sources if source.kind == APPENDIX)
    if kind == APPENDIX and appendix is not None and appendices:
        return f"Văn bản chỉ có {appendices} bảng phụ lục, không có bảng thứ {appendix}."
    found = ", ".join(_KIND_NAMES[source.kind] for source in sources)
    return f"Văn bản không có {_KIND_NAMES[kind]}; có: {found}."


def _appendix_tables(document):
    """(table, caption) of each table with an appendix header, in order; a table right after one of
    the same width without a header of its own continues it (Word splits a table at a section or page
    break)."""
    found, previous, paragraphs_since = [], None, []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            paragraphs_since.append(block)
            continue
        continues = (
            found and previous is found[-1][0] and not paragraphs_since
            and block.sheet.width == previous.sheet.width and locate_header(block.sheet) is None
        )
        if continues:
            joined = _join(previous, block)
            found[-1] = (joined, found[-1][1])
            previous = joined
        elif locate_header(block.sheet) is not None and not is_target_sheet(block.sheet):
            found.append((block, _caption(paragraphs_since, block)))
            previous = block
        else:
            previous = None
        paragraphs_since = []
    return found


def _caption(paragraphs, table):
    """The title printed above a table ("PHỤ LỤC I", "DANH MỤC CÁC NHIỆM VỤ …"), or its own title rows."""
    lines = [p.text for p in paragraphs[-CAPTION_PARAGRAPHS:]]
    start = next((i for i, line in enumerate(lines) if _TABLE_CAPTION.match(fold_name(line))), None)
    if start is None:
        header = locate_header(table.sheet)
        first = header.rows[0] if header else 0
        lines = [" ".join(c.text for c in row.cells if c.text) for row in table.sheet.rows[:first]]
        start = 0
    return clean_text(" ".join(lines[start:]))[:300]


def _join(first, second):
    offset = first.sheet.rows[-1].number if first.sheet.rows else 0
    rows = first.sheet.rows + tuple(SheetRow(row.number + offset, row.cells) for row in second.sheet.rows)
    cleaned = first.sheet.cleaned_rows + tuple(row + offset for row in second.sheet.cleaned_rows)
    sheet = Sheet(first.sheet.name, rows, max(first.sheet.width, second.sheet.width), cleaned)
    low = first.low_confidence | {(row + offset, col) for row, col in second.low_confidence}
    return Table(sheet, first.page, first.from_ocr or second.from_ocr, frozenset(low), first.bordered)
