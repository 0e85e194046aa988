"""Excel workbooks (.xlsx), values only: read by python-calamine when the file is plain, else as a stream.

openpyxl's full mode creates an object for every cell the file writes, empty formatted ones included,
and its read-only mode gives no merged cells and pads rows to the declared dimension; both hold parts
whole in memory. This reader goes through each part once (``zipxml.events``, which charges the
part's markup and cells to the file's budget first): the workbook for its sheets, the styles for which
cells are dates or percentages, the shared strings, then each sheet's cells and merged ranges. A
formula gives the value its spreadsheet program cached, never evaluated. The declared dimension of a
sheet is not trusted: a stray format in row 1,048,576 declares a huge one.

Reading a sheet that way costs about 10 µs a cell in Python (4 s for a 20,000-task appendix);
python-calamine (Rust) reads the same file in a tenth of the time, but builds the whole sheet at once
(a rectangle from A1 to its last cell with a value), resolves entities and nests elements as deep as
it is given. So calamine reads a workbook only when a raw-text scan of its parts (``_calamine_plan``:
regular expressions, no parsing) shows that it holds nothing calamine would read differently or that
a limit would refuse: only known elements, no DTD, no NUL byte, every cell with its reference, the
rectangle within the row, column and cell limits, number formats that are plain numbers or plain
dates. Its markup and cells are charged to the budget first, as the stream reader does. Any other file
is read as a stream, as before; both give the same sheets (``tests/plans/test_calamine_reading.py``).
"""

import io
import posixpath
import re

import python_calamine
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from plans.appendix.sheet import AppendixError, Cell, SheetBuilder, clean_cell_text, format_value
from plans.appendix.zipxml import CHUNK_BYTES, MAX_RECORD_CHARACTERS, START, events, survey

WORKBOOK = "xl/workbook.xml"
_REFERENCE = re.compile(r"\$?([A-Za-z]{1,5})\$?(\d{1,9})")
# Characters XML cannot carry are written _xHHHH_ (ST_Xstring); "_x005F_" escapes the underscore.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DATE, _DURATION = "date", "duration"
# What a cell's value and a string's text are read from; formulas, run properties and phonetic guides
# are left out as they are read.
_TEXT = {"t", "r"}
_VALUE = {"v", "is", *_TEXT}
_UNKNOWN_FORMAT = "General "  # prints as General; never a plain format for calamine

# --- What calamine reads as this reader does ----------------------------------------------------------

# Elements of the parts calamine reads (local names). Anything else (a vendor's extension, the
# 100,000-level nesting of a hostile file) sends the workbook to the stream reader.
_RUN = {"r", "rPr", "t", "rFont", "b", "i", "strike", "condense", "extend", "outline", "shadow", "u",
        "vertAlign", "sz", "color", "family", "charset", "scheme", "rPh", "phoneticPr"}
_SHEET_ELEMENTS = frozenset(name.encode() for name in {
    "worksheet", "sheetPr", "tabColor", "outlinePr", "pageSetUpPr", "dimension", "sheetViews", "sheetView",
    "pane", "selection", "sheetFormatPr", "cols", "col", "sheetData", "row", "c", "v", "f", "is",
    "sheetProtection", "protectedRanges", "protectedRange", "autoFilter", "filterColumn", "filters",
    "filter", "customFilters", "customFilter", "sortState", "sortCondition", "mergeCells", "mergeCell",
    "conditionalFormatting", "cfRule", "formula", "dataValidations", "dataValidation", "formula1",
    "formula2", "hyperlinks", "hyperlink", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter", "rowBreaks",
    "colBreaks", "brk", "drawing", "legacyDrawing", "legacyDrawingHF", "picture", "tableParts",
    "tablePart", "ignoredErrors", "ignoredError", *_RUN,
})
_STRING_ELEMENTS = frozenset(name.encode() for name in {"sst", "si", *_RUN})
# Start tags other than the common ones (which fail this at their first letters): the rest are few, and
# are looked up by name. A prefixed name (``<x:row>``) is never taken for a known one.
_COMMON_IN_SHEET = (b"c", b"v", b"row", b"is", b"t", b"f")
_COMMON_IN_STRINGS = (b"si", b"t", b"r", b"rPr")


def _other_tags(common):
    names = b"|".join(re.escape(name) for name in common)
    return re.compile(rb"<(?![/?!]|(?:" + names + rb")[\s/>])([^\s/>]*)")


_OTHER_IN_SHEET = _other_tags(_COMMON_IN_SHEET)
_OTHER_IN_STRINGS = _other_tags(_COMMON_IN_STRINGS)
# A cell with content (not self-closing: ``<c r="B2" s="1"/>`` is empty), with its reference.
_FILLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?<!/)>')
_ISO_DATE_CELL = re.compile(rb'<c [^>]*t="d"')
_LONG_TEXT = re.compile(rb">[^<]{%d}" % MAX_RECORD_CHARACTERS)
# Date formats both readers take for dates: days, months and years only (a time of day, an elapsed
# time or a percentage is read as something else by each).
_PLAIN_DATE = re.compile(r"(\[\$-[0-9A-Fa-f]{1,8}\])?[dmyDMY/\\ .,-]+(;@)?")
_PLAIN_NUMBER = re.compile(r"General|@|(?:[0#?.,;_()\s+*-]|E[+-]|\[[A-Za-z0-9]+\])+")


def read_xlsx(archive, limits, budget, engine=None):
    """The sheets of the workbook. ``engine``: "calamine" or "stream" to force one (tests); by default
    calamine when the file is plain (see the module's docstring), else the stream reader."""
    parts = _relationships(archive, "xl/_rels/workbook.xml.rels", "xl", budget)
    epoch, sheets = _workbook(archive, budget)
    styles = _styles(archive, _part(parts, "styles"), budget)
    strings_part = _part(parts, "sharedStrings")
    targets = []
    for name, relation in sheets:
        kind, target = parts.get(relation, ("", ""))
        if kind == "worksheet" and target in archive.NameToInfo:
            targets.append((name, target))
    if engine != "stream":
        spent = budget.cells, budget.markup
        plan = _calamine_plan(archive, targets, strings_part, styles, limits, budget)
        if plan is not None:
            try:
                return _read_with_calamine(archive, plan, limits, budget)
            except AppendixError:
                raise  # a limit (the merged area): the stream reader would say the same
            except BaseException as exc:  # calamine's errors, and its panics (not an Exception)
                if engine == "calamine" or isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
        elif engine == "calamine":
            raise ValueError("this workbook is not one calamine reads")
        budget.cells, budget.markup = spent  # the stream reader charges the parts again
    strings = _shared_strings(archive, strings_part, budget)
    found = []
    for name, target in targets:
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
        if format_id not in custom and format_id not in BUILTIN_FORMATS:
            # A locale's own built-in format (27-36, 50-81: dates in East Asian files) that openpyxl
            # does not know: read as General here, as a date by calamine.
            styles.append((None, _UNKNOWN_FORMAT))
            continue
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


# --- Plain workbooks, read by calamine ----------------------------------------------------------------


def _calamine_plan(archive, targets, strings_part, styles, limits, budget):
    """``[(sheet name, part, last row, last column)]`` when calamine reads the workbook as the stream
    reader would and within the limits (see the module's docstring), else None. Looks at the raw text
    of the parts only, each charged to ``budget`` first as the stream reader charges it."""
    for kind, code in styles:
        if kind == _DURATION or (kind == _DATE and not _PLAIN_DATE.fullmatch(code)):
            return None
        if kind is None and not _PLAIN_NUMBER.fullmatch(code):
            return None  # a percentage prints "25%", not 0.25; a format openpyxl does not know
    if strings_part is not None and strings_part in archive.NameToInfo:
        _charge(archive, strings_part, budget, ())
        if _scan(archive, strings_part, _OTHER_IN_STRINGS, _STRING_ELEMENTS) is None:
            return None
    names = [name for name, _target in targets]
    if len(set(names)) != len(names):
        return None  # calamine finds sheets by name
    plan = []
    for name, target in targets:
        _charge(archive, target, budget, ("c",))
        extent = _scan(archive, target, _OTHER_IN_SHEET, _SHEET_ELEMENTS, cells=True)
        if extent is None:
            return None
        last_row, last_col, merges = extent
        if (
            last_row > limits.max_rows or last_col > limits.max_columns
            or last_row * last_col > limits.max_cells or merges > limits.max_merged_cells
        ):
            return None  # the stream reader refuses it, saying which limit, or reads it in bounds
        plan.append((name, target, last_row, last_col))
    return plan


def _scan(archive, name, other_tags, elements, cells=False):
    """What the part ``name`` holds, from its raw text: None when it has an element that is not one of
    ``elements`` (``other_tags`` finds the uncommon ones), a DTD, a comment or CDATA section (``<!``), a
    NUL byte, a text run longer than a record may hold, or (``cells``) a cell without its reference or
    an ISO date cell; otherwise ``(last row, last column, merged ranges)`` of its cells that are not
    empty (``(0, 0, 0)`` for a part without cells)."""
    carry, run, rows, columns, merges = b"", 0, 0, set(), 0
    with archive.open(name) as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES * 16)
            block = carry + chunk
            cut = block.rfind(b"<", max(0, len(block) - 64)) if chunk else len(block)
            cut = len(block) if cut < 0 else cut
            part, carry = block[:cut], block[cut:]
            if b"\0" in part or b"<!" in part:
                return None
            # Text runs, in bytes (never fewer than its characters): the one begun in the previous part,
            # those within this one, the one it ends with.
            first, last = part.find(b"<"), part.rfind(b">")
            if first < 0:
                run += len(part)
            elif run + first >= MAX_RECORD_CHARACTERS or _LONG_TEXT.search(part):
                return None
            else:
                run = len(part) - last - 1
            if run >= MAX_RECORD_CHARACTERS:
                return None
            if any(found.group(1) not in elements for found in other_tags.finditer(part)):
                return None
            if cells:
                written = part.count(b"<c ") + part.count(b"<c>") + part.count(b"<c/")
                if part.count(b'<c r="') != written:
                    return None
                if b't="d"' in part and _ISO_DATE_CELL.search(part):
                    return None
                filled = _FILLED_CELL.findall(part)
                if filled:
                    rows = max(rows, *(int(row) for _letters, row in filled))
                    columns.update(letters for letters, _row in filled)
                merges += part.count(b"<mergeCell ")
            if not chunk:
                break
    last_col = max((_coordinates(f"{letters.decode()}1")[1] for letters in columns), default=0)
    return rows, last_col, merges


def _read_with_calamine(archive, plan, limits, budget):
    """The sheets of ``plan`` read by calamine."""
    # The archive is open on the file's bytes (``zipxml.open_zip``): calamine reads them again.
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(archive.fp.getvalue()))
    found, made = [], {}  # value -> (Cell, invisible characters removed): most values repeat
    for name, _target, _rows, _columns in plan:
        sheet = workbook.get_sheet_by_name(name)
        builder = SheetBuilder(name, limits, budget)
        for row, values in enumerate(sheet.to_python(skip_empty_area=False), 1):
            cells, cleaned = [], False
            for col, value in enumerate(values, 1):
                if value == "":
                    continue
                key = (type(value), value)  # True is not 1
                item = made.get(key)
                if item is None:
                    typed = value
                    if type(value) is float and value.is_integer() and abs(value) < 2**53:
                        typed = int(value)  # what the file writes, "1", as the stream reader gives it
                    text, typed, removed = format_value(typed)
                    item = made[key] = (Cell(text, typed) if text else None, removed)
                if item[0] is not None:
                    cells.append((col, item[0]))
                    cleaned = cleaned or bool(item[1])
            builder.put_row(row, cells, cleaned)
        for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ():
            builder.merge(r1 + 1, c1 + 1, r2 + 1, c2 + 1)
        found.append(builder.build())
    return found


def _charge(archive, name, budget, cells):
    declared = survey(archive, name, cells, stop=budget.limits.max_elements - budget.markup)
    budget.add_markup(declared.markup)
    budget.add_cells(declared.counts.total())
