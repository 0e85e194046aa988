"""The appendix table of a Word document (.docx), read as a stream.

python-docx holds the whole document as a tree and reads a cell's text slowly (22 s and 384 MB for a
20,000-row table); this reader goes through ``word/document.xml`` once, a cell at a time
(``zipxml.events``), and reads text the way python-docx does: runs and hyperlinks of the cell's own
paragraphs, tabs, line breaks and non-breaking hyphens. Only tables of the document's body count, as
in python-docx; a table nested in a cell is part of that cell.

Plans put the national header and the signature block in tables too, so the appendix is taken as the
largest table together with the adjacent tables of the same column count (a table split over pages).
Rows are numbered across those tables. ``read_blocks`` gives the whole body in order, paragraphs and
tables, for reading the plan document itself (``plans.documents.word``).
"""

from dataclasses import dataclass, field

from plans.appendix.sheet import AppendixError, SheetBuilder, clean_cell_text, number
from plans.appendix.word_numbering import Numbering
from plans.appendix.zipxml import START, events

DOCUMENT = "word/document.xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BORDERS = ("top", "left", "bottom", "right", "start", "end", "insideH", "insideV")
_RUN_TEXT = {"tab": "\t", "ptab": "\t", "cr": "\n", "noBreakHyphen": "-"}
# What a cell's text and layout are read from (as python-docx reads them); the rest of a cell (run and
# paragraph properties, bookmarks, nested tables …) is left out as it is read.
_KEEP = {
    "tcPr", "gridSpan", "vMerge", "gridBefore", "p", "r", "hyperlink", "t", "br", "rPr", "b", "tblStyle",
    "tblBorders", "pPr", "numPr", "ilvl", "numId", *_BORDERS, *_RUN_TEXT,
}


@dataclass
class _Table:
    values: dict = field(default_factory=dict)  # (row, col) -> (text, value, removed)
    merges: list = field(default_factory=list)  # [r1, c1, r2, c2]: lists, extended down as rows come
    rows: int = 0
    width: int = 0
    open_vertical: dict = field(default_factory=dict)  # column -> index in merges of its vertical merge
    grid_before: int = 0  # grid columns the current row leaves empty before its first cell
    col: int = 0  # next column of the current row, 0 before its first cell
    bordered: bool = True  # False when the table's own properties draw no border (a layout table)


@dataclass(frozen=True)
class BodyParagraph:
    text: str
    bold: bool  # every run with text is bold


def read_docx(archive, limits, budget):
    tables = [block for block in read_blocks(archive, limits, budget) if isinstance(block, _Table)]
    if not tables:
        raise AppendixError("Không tìm thấy bảng nào trong tệp Word.")
    return [_appendix(tables, limits, budget)]


def read_blocks(archive, limits, budget):
    """The paragraphs (``BodyParagraph``) and tables of the document's body in order; a table's
    sheet is built by ``table_sheet``."""
    blocks, table = [], None
    numbering = Numbering.read(archive, budget)
    found = events(
        archive, DOCUMENT, budget, starts={"tbl"}, ends={"tbl", "tr"}, held={"tc", "trPr", "tblPr", "p"},
        keep=_KEEP, cells={"tc"},
    )
    for event, node, parents in found:
        if node.tag == "p":
            if "tbl" not in parents:  # a paragraph of the body (maybe in a content control)
                text, _ = clean_cell_text(_numbered_text(node, numbering))
                blocks.append(BodyParagraph(text, _is_bold(node)))
        elif node.tag == "tbl" and parents[-1:] == ("body",):
            if event == START:
                table = _Table()
            else:
                blocks.append(table)
        elif node.tag == "tblPr" and parents[-2:] == ("body", "tbl"):
            table.bordered = _draws_borders(node)
        elif node.tag == "tr" and parents[-2:] == ("body", "tbl"):
            _end_row(table, limits)
        elif parents[-3:] != ("body", "tbl", "tr"):  # in a nested table, a text box …
            continue
        elif node.tag == "trPr":
            before = _child(node, "gridBefore")
            table.grid_before = max(0, int(before.get(f"{{{W}}}val", 0))) if before is not None else 0
        else:
            _add_cell(table, node, limits, numbering)
    return blocks


def table_sheet(table, name, limits, budget):
    """The sheet of one table of ``read_blocks``."""
    return _sheet([table], name, limits, budget)


def _draws_borders(properties):
    """A table styled with a grid, or whose own borders are drawn; Word draws none by default."""
    borders = _child(properties, "tblBorders")
    if borders is not None:
        return any(child.get(f"{{{W}}}val", "single") not in ("nil", "none") for child in borders)
    style = _child(properties, "tblStyle")
    return style is not None and "grid" in style.get(f"{{{W}}}val", "").lower()


def _is_bold(paragraph):
    runs = [run for run in paragraph if run.tag == "r" and _run_text(run).strip()]
    return bool(runs) and all(_run_bold(run) for run in runs)


def _run_bold(run):
    properties = _child(run, "rPr")
    bold = _child(properties, "b") if properties is not None else None
    return bold is not None and bold.get(f"{{{W}}}val", "true") not in ("0", "false")


def _end_row(table, limits):
    table.rows += 1
    if table.rows > limits.max_rows:  # the largest table is always read: refuse it now
        raise _too_many_rows(table.rows, limits)
    col = table.col or table.grid_before + 1
    table.width = max(table.width, col - 1)
    table.col = table.grid_before = 0


def _too_many_rows(rows, limits):
    return AppendixError(f"Bảng có quá nhiều dòng ({number(rows)}); tối đa {number(limits.max_rows)} dòng.")


def _add_cell(table, cell, limits, numbering):
    row = table.rows + 1
    col = table.col or table.grid_before + 1
    span, vertical = _property(cell, "gridSpan", 1), _vertical_merge(cell)
    span = max(1, min(span, limits.max_columns + 1))  # a span past the limit cannot hold text
    if vertical == "continue" and col in table.open_vertical:
        table.merges[table.open_vertical[col]][2] = row  # extend the range down
    else:
        paragraphs = (_numbered_text(child, numbering) for child in cell if child.tag == "p")
        text, removed = clean_cell_text("\n".join(paragraphs))
        if text:
            table.values[(row, col)] = (text, text, removed)
        if span > 1 or vertical == "restart":
            table.merges.append([row, col, row, col + span - 1])
        if vertical == "restart":
            table.open_vertical[col] = len(table.merges) - 1
        else:
            table.open_vertical.pop(col, None)
    table.col = col + span


def _appendix(tables, limits, budget):
    main = max(range(len(tables)), key=lambda i: tables[i].rows)
    first = last = main
    while first > 0 and tables[first - 1].width == tables[main].width:
        first -= 1
    while last + 1 < len(tables) and tables[last + 1].width == tables[main].width:
        last += 1
    name = f"Bảng {first + 1}" if first == last else f"Bảng {first + 1}–{last + 1}"
    return _sheet(tables[first : last + 1], name, limits, budget)


def _sheet(tables, name, limits, budget):
    builder = SheetBuilder(name, limits, budget)
    offset = 0
    for table in tables:
        if offset + table.rows > limits.max_rows:
            raise _too_many_rows(offset + table.rows, limits)
        for (row, col), item in table.values.items():
            builder.put(row + offset, col, *item)
        for r1, c1, r2, c2 in table.merges:
            builder.merge(r1 + offset, c1, r2 + offset, c2)
        offset += table.rows
    return builder.build()


def _child(node, name):
    return next((child for child in node if child.tag == name), None)


def _property(cell, name, default):
    properties = _child(cell, "tcPr")
    found = _child(properties, name) if properties is not None else None
    return int(found.get(f"{{{W}}}val", default)) if found is not None else default


def _vertical_merge(cell):
    """"restart" or "continue" (the default of a bare ``w:vMerge``), None when not merged down."""
    properties = _child(cell, "tcPr")
    found = _child(properties, "vMerge") if properties is not None else None
    return found.get(f"{{{W}}}val", "continue") if found is not None else None


def _numbered_text(paragraph, numbering):
    """The paragraph's text with the label Word's automatic numbering prints before it ("1. …")."""
    text = _paragraph_text(paragraph)
    properties = _child(paragraph, "pPr")
    numbered = _child(properties, "numPr") if properties is not None else None
    if numbered is None:
        return text
    level, num_id = _child(numbered, "ilvl"), _child(numbered, "numId")
    if num_id is None:
        return text
    ilvl = level.get(f"{{{W}}}val", "0") if level is not None else "0"
    label = numbering.label(num_id.get(f"{{{W}}}val"), int(ilvl) if ilvl.isdecimal() else 0)
    return f"{label} {text}" if label and text.strip() else label or text


def _paragraph_text(paragraph):
    runs = []
    for child in paragraph:
        if child.tag == "r":
            runs.append(child)
        elif child.tag == "hyperlink":
            runs.extend(run for run in child if run.tag == "r")
    return "".join(_run_text(run) for run in runs)


def _run_text(run):
    parts = []
    for child in run:
        if child.tag == "t":
            parts.append(child.text)
        elif child.tag == "br":  # a page or column break is no text
            parts.append("\n" if child.get(f"{{{W}}}type", "textWrapping") == "textWrapping" else "")
        else:
            parts.append(_RUN_TEXT.get(child.tag, ""))
    return "".join(parts)
