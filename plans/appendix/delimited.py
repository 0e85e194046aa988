"""CSV files: UTF-8 (with or without BOM), separated by semicolons (Excel's choice for Vietnamese),
commas or tabs.

The separator is the one that splits most lines of the start of the file into the same number of
fields: title rows above the header ("ỦY BAN NHÂN DÂN TỈNH …", "(Kèm theo Kế hoạch số 115/KH-UBND,
ngày …)") have none or stray commas, the table's rows all have the same count.
"""

import csv
import io
from collections import Counter

from plans.appendix.sheet import AppendixError, SheetBuilder, format_value

SEPARATORS = (";", ",", "\t")
SAMPLE_CHARACTERS = 64 * 1024


def read_csv(data, limits, budget):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AppendixError("Tệp CSV phải được lưu với bảng mã UTF-8.") from exc
    builder = SheetBuilder("CSV", limits, budget)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text[:SAMPLE_CHARACTERS]))
    for row, record in enumerate(records, start=1):
        budget.add_cells(len(record))
        for col, raw in enumerate(record, start=1):
            if raw.strip():
                builder.put(row, col, *format_value(raw))
    return [builder.build()]


def separator(sample):
    """The separator of the table in ``sample``, the start of the file."""
    lines = sample.splitlines()[:-1] or sample.splitlines()  # the last line may be cut short
    return max(SEPARATORS, key=lambda candidate: _consistent_lines(lines, candidate))  # ties: the first


def _consistent_lines(lines, candidate):
    """How many lines ``candidate`` splits into the field count most lines share (two fields or more)."""
    counts = Counter(len(fields) for fields in csv.reader(lines, delimiter=candidate) if len(fields) > 1)
    return counts.most_common(1)[0][1] if counts else 0
