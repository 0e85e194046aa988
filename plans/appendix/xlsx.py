"""Excel workbooks (.xlsx) read as a stream, values only.

openpyxl's full mode creates an object for every cell the file writes, empty formatted ones included,
and its read-only mode gives no merged cells and pads rows to the declared dimension; both hold parts
whole in memory. This reader goes through each part once (``zipxml.events``, which charges the
part's markup and cells to the file's budget first): the workbook for its sheets, the styles for which
cells are dates or percentages, the shared strings, then each sheet's cells and merged ranges. A
formula gives the value its spreadsheet program cached, never evaluated. The declared dimension of a
sheet is not trusted: a stray format in row 1,048,576 declares a huge one.
"""

import posixpath
import re

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from plans.appendix.sheet import AppendixError, SheetBuilder, clean_cell_text, format_value
from plans.appendix.zipxml import START, events

WORKBOOK = "xl/workbook.xml"
_REFERENCE = re.compile(r"\$?([A-Za-z]{1,5})\$?(\d{1,9})")
# Characters XML cannot carry are written _xHHHH_ (ST_Xstring); "_x005F_" escapes the underscore.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DATE, _DURATION = "date", "duration"
# What a cell's value and a string's text are read from; formulas, run properties and phonetic guides
# are left out as they are read.
_TEXT = {"t", "r"}
_VALUE = {"v", "is", *_TEXT}


def read_xlsx(archive, limits, budget):
    parts = _relationships(archive, "xl/_rels/workbook.xml.rels", "xl", budget)
    epoch, sheets = _workbook(archive, budget)
    styles = _styles(archive, _part(parts, "styles"), budget)
    strings = _shared_strings(archive, _part(parts, "sharedStrings"), budget)
    found = []
    for name, relation in sheets:
        kind, target = parts.get(relation, ("", ""))
        if kind == "worksheet" and target in archive.NameToInfo:
            builder = SheetBuilder(name, limits, budget)
            _read_sheet(archive, target, builder, strings, styles, epoch)
            found.append(builder.build())
    return found


def _relationships(archive, name, base, budget):
    """``{id: (type, part name)}`` of a relationships part; a type is its last word ("worksheet")."""
    found = {}
    if name not in archive.NameToInfo:
        return found
    for _event, node, _parents in events(archive, name, budget, ends={"Relationship"}):
        target = node.get("Target", "")
        if node.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{base}/{target}")
        found[node.get("Id")] = (node.get("Type", "").rpartition("/")[2], path)
    return found


def _part(parts, kind):
    return next((path for found, path in parts.values() if found == kind), None)


def _workbook(archive, budget):
    """(date epoch, [(sheet name, relationship id)]) in the workbook's order."""
    epoch, sheets = CALENDAR_WINDOWS_1900, []
    for _event, node, _parents in events(archive, WORKBOOK, budget, ends={"workbookPr", "sheet"}):
        if node.tag == "workbookPr":
            if node.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
            continue
        relation = next((value for key, value in node.attrib.items() if key.endswith("}id")), None)
        sheets.append((node.get("name", ""), relation))
    return epoch, sheets


def _styles(archive, name, budget):
    """For each cell style index: (``_DATE``, ``_DURATION`` or None, number format code)."""
    if name is None or name not in archive.NameToInfo:
        return []
    custom, formats = {}, []
    for _event, node, parents in events(archive, name, budget, ends={"numFmt", "xf"}):
        if node.tag == "numFmt":
            custom[_integer(node.get("numFmtId"))] = node.get("formatCode", "")
        elif parents[-1] == "cellXfs":
            formats.append(_integer(node.get("numFmtId")))
    kinds = {}
    styles = []
    for format_id in formats:
        code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id, "General")
        if code not in kinds:
            kinds[code] = _DURATION if is_timedelta_format(code) else _DATE if is_date_format(code) else None
        styles.append((kinds[code], code))
    return styles


def _shared_strings(archive, name, budget):
    """Each shared string as ``clean_cell_text`` gives it, cleaned once however many cells use it."""
    if name is None or name not in archive.NameToInfo:
        return []
    strings = events(archive, name, budget, held={"si"}, keep=_TEXT)
    return [clean_cell_text(_rich_text(node)) for _event, node, _parents in strings]


def _rich_text(node):
    """Text of a shared or inline string: its runs, without the phonetic guides (``rPh``)."""
    parts = []
    for child in node:
        if child.tag == "t":
            parts.append(child.text)
        elif child.tag == "r":
            parts.extend(t.text for t in child if t.tag == "t")
    return _unescape("".join(parts))


def _unescape(text):
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def _integer(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


def _read_sheet(archive, name, builder, strings, styles, epoch):
    """Cells and merged ranges of one sheet. Cells and rows may omit their reference: a cell is then
    the one after the previous cell of its row, a row the one after the previous row. The reference of
    an empty formatted cell is only parsed when a cell without one follows it: a sheet may have a
    million of them."""
    row_number = col = 0
    unparsed = None
    found = events(
        archive, name, builder.budget, starts={"row"}, ends={"mergeCell"}, held={"c"}, keep=_VALUE,
        cells={"c"},
    )
    for event, node, _parents in found:
        if event == START:
            given = node.get("r")
            row_number, col, unparsed = (_integer(given) if given else row_number + 1), 0, None
        elif node.tag == "mergeCell":
            first, _colon, last = node.get("ref", "").partition(":")
            if last:
                builder.merge(*_coordinates(first), *_coordinates(last))
        else:
            reference = node.attrib.get("r")
            if reference is None:
                col = (_coordinates(unparsed)[1] if unparsed else col) + 1
                row, unparsed = row_number, None
            elif node.children:
                (row, col), unparsed = _coordinates(reference), None
            else:  # empty: where it is only matters to a cell without reference after it
                unparsed = reference
            if node.children:
                builder.put(row, col, *_cell_value(node, strings, styles, epoch))


def _coordinates(reference):
    """(row, column) of "B12"."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        raise AppendixError(f"Tệp bị hỏng: địa chỉ ô «{reference[:20]}» không hợp lệ.")
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def _cell_value(node, strings, styles, epoch):
    """``format_value`` of a cell, the cached result for a formula."""
    kind = node.get("t", "n")
    raw = inline = None
    for child in node:
        if child.tag == "v":
            raw = child.text
        elif child.tag == "is":
            inline = child
    if kind == "inlineStr":
        return format_value(_rich_text(inline) if inline is not None else None)
    if not raw:
        return "", None, 0
    if kind == "s":
        index = int(raw)
        if not 0 <= index < len(strings):
            raise AppendixError("Tệp bị hỏng: một ô dẫn tới chuỗi văn bản không có trong tệp.")
        text, removed = strings[index]
        return text, text, removed
    if kind in ("str", "e"):  # a formula's text result, an error such as #N/A
        return format_value(_unescape(raw))
    if kind == "b":
        return format_value(raw.strip() in ("1", "true"))
    if kind == "d":
        return format_value(from_ISO8601(raw))
    index = _integer(node.get("s"))
    date_kind, number_format = styles[index] if 0 <= index < len(styles) else (None, "")
    value = float(raw) if any(mark in raw for mark in ".eE") else int(raw)
    if date_kind:
        try:
            value = from_excel(value, epoch, timedelta=date_kind == _DURATION)
        except (OverflowError, ValueError):  # a serial number no calendar has: what Excel shows
            return format_value("#VALUE!")
    return format_value(value, number_format)
