"""OpenDocument spreadsheets (.ods) read as a stream.

odfpy builds a Python object for every element of ``content.xml`` (95 MB and 5 s for 5,000 rows);
this reader goes through it once, a cell at a time (``zipxml.events``). Repeated rows and columns are
only expanded when they hold text, and only after checking where the copies would reach: every
spreadsheet ends with empty rows repeated to row 1,048,576.
"""

import datetime

from plans.appendix.sheet import SheetBuilder, format_value
from plans.appendix.zipxml import START, events

CONTENT = "content.xml"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
CELLS = {"table-cell", "covered-table-cell"}
# A <text:s text:c="…"/> run of spaces is longer in no real cell: a file asking for a billion is hostile.
MAX_SPACE_RUN = 1_000


def read_ods(archive, limits, budget):
    sheets, table = [], None
    found = events(
        archive, CONTENT, budget, starts={"table"}, ends={"table", "table-row"}, held=CELLS, cells=CELLS
    )
    for event, node, parents in found:
        if node.tag == "table":
            if parents[-1:] != ("spreadsheet",):  # a table outside the sheets
                continue
            if event == START:
                table = _Table(SheetBuilder(_attribute(node, TABLE, "name", ""), limits, budget))
            else:
                sheets.append(table.builder.build())
                table = None
        elif table is not None and parents.count("table") == 1:  # rows may sit in row groups
            if node.tag == "table-row":
                table.end_row(node)
            else:
                table.add_cell(node)
    return sheets


class _Table:
    """One sheet being read: the cells of its current row wait for the row's end, which says how many
    times the row repeats."""

    def __init__(self, builder):
        self.builder = builder
        self.row = 0  # rows done
        self.col = 0  # columns done in the current row
        self.values = {}  # column -> format_value result, in the current row

    def add_cell(self, cell):
        builder = self.builder
        repeat = max(1, int(_attribute(cell, TABLE, "number-columns-repeated", 1)))
        item = format_value(_cell_value(cell))
        if item[0]:
            builder.check_extent(self.row + 1, self.col + repeat)
            builder.budget.add_cells(repeat - 1)
            for offset in range(repeat):
                self.values[self.col + 1 + offset] = item
        span_cols = int(_attribute(cell, TABLE, "number-columns-spanned", 1))
        span_rows = int(_attribute(cell, TABLE, "number-rows-spanned", 1))
        if span_cols > 1 or span_rows > 1:
            builder.merge(self.row + 1, self.col + 1, self.row + span_rows, self.col + span_cols)
        self.col += repeat

    def end_row(self, row):
        builder = self.builder
        repeat = max(1, int(_attribute(row, TABLE, "number-rows-repeated", 1)))
        if self.values:
            builder.check_extent(self.row + repeat, 1)
            builder.budget.add_cells((repeat - 1) * len(self.values))
            for offset in range(repeat):
                for column, item in self.values.items():
                    builder.put(self.row + 1 + offset, column, *item)
        self.row += repeat
        self.col, self.values = 0, {}


def _attribute(element, namespace, name, default=None):
    return element.get(f"{{{namespace}}}{name}", default)


def _cell_value(cell):
    """The source value of a cell: its date, its number when it shows no text, else its text."""
    text = "\n".join(_text(child) for child in cell if child.tag in ("p", "h"))
    kind = _attribute(cell, OFFICE, "value-type")
    if kind == "date":
        return datetime.date.fromisoformat(_attribute(cell, OFFICE, "date-value")[:10])
    if kind in ("float", "percentage", "currency") and not text:
        return float(_attribute(cell, OFFICE, "value"))
    return text


def _text(node):
    """Visible text of a paragraph: <text:s/> as spaces, tabs and line breaks, comments left out."""
    parts = [node.text]
    for child in node:
        if child.tag == "s":
            parts.append(" " * min(MAX_SPACE_RUN, int(_attribute(child, TEXT, "c", 1))))
        elif child.tag == "tab":
            parts.append("\t")
        elif child.tag == "line-break":
            parts.append("\n")
        elif child.tag != "annotation":  # comments are not cell content
            parts.append(_text(child))
        parts.append(child.tail)
    return "".join(parts)
