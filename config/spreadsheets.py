"""Cells that a spreadsheet program shows as they were written: every .xlsx and .csv the portal
writes passes its cells through :func:`safe_cell` (pure Python, so any app can use it).

Excel and LibreOffice run text that starts with = + - @ as a formula, and skip a leading tab or
carriage return before looking: a task title ``=HYPERLINK("http://…")`` from an imported file would
be a live link in a leader's export (CSV/formula injection). Such text is written behind an
apostrophe, which the programs show as text. openpyxl refuses the control characters XML cannot
carry (it raises, so a title pasted with one would stop the export): they are dropped first.
"""

import csv
import io
import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The characters XML 1.0 cannot carry, as openpyxl's ILLEGAL_CHARACTERS_RE lists them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """``value``, or for text, the text without XML's forbidden characters and, if a spreadsheet
    would run it as a formula, behind an apostrophe. Numbers and dates are left as they are."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("", value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_rows(rows):
    return [[safe_cell(value) for value in row] for row in rows]


def make_dataset_safe(dataset):
    """Pass every cell of a tablib ``Dataset`` through :func:`safe_cell`, in place (django-import-
    export's ``after_export`` hook gets the dataset it returns)."""
    for index, row in enumerate(safe_rows(dataset)):
        dataset[index] = row


def csv_chunks(headers, rows, rows_per_chunk=1000):
    """A UTF-8 CSV download as chunks of bytes, written as ``rows`` come (a database iterator stays
    one): a BOM, because Excel reads the accents of UTF-8 CSV only with one, then the headers and
    the rows, every cell through :func:`safe_cell`, a chunk every ``rows_per_chunk`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for index, row in enumerate(rows, 1):
        writer.writerow([safe_cell(value) for value in row])
        if index % rows_per_chunk == 0:
            yield _drained(buffer)
    yield _drained(buffer)


def _drained(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")
