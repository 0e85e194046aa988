"""Excel 97-2003 workbooks (.xls), read by xlrd.

xlrd holds the whole file, at most ``max_bytes``, but keeps an entry for every cell record (empty
formatted ones included: two bytes each in a MULBLANK record) and, unless rows are ragged, pads every
row to the widest one. So the cell records are counted from the workbook stream first, and rows are
read ragged.
"""

import struct

import xlrd
from xlrd.compdoc import CompDoc

from plans.appendix.sheet import PROTECTED, AppendixError, SheetBuilder, format_value

# BIFF8 records of one cell (FORMULA, LABELSST, BLANK, NUMBER, LABEL, BOOLERR, RK, RSTRING) and of a
# run of cells: MULRK (6 bytes a cell) and MULBLANK (2 bytes a cell), after 6 bytes of row and columns.
_ONE_CELL = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6}
_CELL_RUNS = {0x00BD: 6, 0x00BE: 2}


class _Silent:
    """xlrd's log (warnings about every odd record) goes nowhere: the admin gets our message."""

    def write(self, text):
        pass


def read_xls(data, limits, budget):
    budget.add_cells(_cell_records(data))
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, ragged_rows=True, on_demand=True, logfile=_Silent()
        )
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise AppendixError(PROTECTED) from exc
        raise
    sheets = []
    for index in range(book.nsheets):
        worksheet = book.sheet_by_index(index)
        builder = SheetBuilder(worksheet.name, limits, budget)
        _read_sheet(book, worksheet, builder)
        sheets.append(builder.build())
        book.unload_sheet(index)
    return sheets


def _cell_records(data):
    """How many cells the workbook stream writes, counted from its record headers."""
    document = CompDoc(data, logfile=_Silent())
    for name in ("Workbook", "Book"):
        memory, start, length = document.locate_named_stream(name)
        if memory:
            break
    else:
        return 0  # xlrd will say the file is damaged
    count, position, end = 0, start, start + length
    while position + 4 <= end:
        kind, size = struct.unpack_from("<HH", memory, position)
        if kind in _ONE_CELL:
            count += 1
        elif kind in _CELL_RUNS:
            count += max(0, size - 6) // _CELL_RUNS[kind]
        position += 4 + size
    return count


def _read_sheet(book, worksheet, builder):
    for row in range(worksheet.nrows):
        for col in range(worksheet.row_len(row)):
            kind = worksheet.cell_type(row, col)
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                continue
            value = worksheet.cell_value(row, col)
            if kind == xlrd.XL_CELL_DATE:
                value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            builder.put(row + 1, col + 1, *format_value(value))
    for rlo, rhi, clo, chi in worksheet.merged_cells:
        builder.merge(rlo + 1, clo + 1, rhi, chi)
