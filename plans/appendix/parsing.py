"""Turn the grid of an appendix sheet into sections and tasks.

Layout knowledge lives here: which row is the header (title rows come first, headers vary in wording,
order and may span two rows), which rows are sections, groups, tasks, repeated headers, printed column
numbers ("(1) (2) (3)" or "1 2 3") or footnotes ("Ghi chú:" and the lines under it, the signature
block), and how printed numbers become task codes.

Codes (see the fixtures README): section number + "." + item number as printed, trailing "." or ")"
removed ("I." + "1." -> "I.1"); a printed number that already starts with its parent's number is kept
("5.1" under "5"); items numbered afresh under a group get the group's code in front ("1" under the
agency group "7.1" -> "7.1.1"), but only once they start at "1": after a group's lettered items
("2.a" … "2.đ") the next number is a task or group of its own ("3"); a Roman section row that has
agencies or a deadline is itself a task with the section's code. Lettered parts ("A.", "B.") are
sections; a Roman section inside one takes its letter in front ("B.I.1").

Two-level numbering (2026 plans): "Stt" merged across two columns over "TT" | "Chi tiết". "TT" only
counts the tasks (kept as ``ParsedTask.serial``); "Chi tiết" gives the group number on group rows and
a), b), … đ), e), g) on their items, so codes read "1.a", "1.đ", and a numbered row without items is
a task ("8"). A numbered row with task data is a group, not a task, when its items share that data
(cells merged down over them, or a "Chi tiết" number heading lettered items); items inherit the data
they leave empty. Rows under a task whose number and title cells are merged with it or left empty
add their agencies, product and notes to it. "Số ngày dự kiến" is a duration: kept in the notes
("Số ngày dự kiến: 30", ``ParsedTask.duration_days``), the deadline unknown, with a warning asking
for one.
"""

import datetime
import re
from dataclasses import dataclass, field

from agencies.names import clean_text, fold_name, looks_like_agency
from plans.appendix.reading import AppendixError

NUMBER, TITLE, LEAD, COORDINATORS, DEADLINE, DELIVERABLE, NOTE = (
    "number", "title", "lead", "coordinators", "deadline", "deliverable", "note",
)
# A second number column under a "Stt" label merged across two ("TT" | "Chi tiết"): the group number
# on group rows, a), b), … on their items; the first column then only counts the tasks.
DETAIL = "detail"
# "Số ngày dự kiến": a duration, not a deadline. Kept in the notes; the task's deadline stays unknown.
DURATION = "duration"
TASK_DATA_ROLES = (LEAD, COORDINATORS, DEADLINE, DELIVERABLE)
HEADER_SEARCH_ROWS = 50

WARNING, ERROR = "warning", "error"

_ROMAN_MARKER = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_SECTION_LETTER = re.compile(r"^[A-H]$")  # "A. NHIỆM VỤ CHUNG" parts are sections too
_ARABIC_MARKER = re.compile(r"^\d{1,4}(?:\.\d{1,3})*$")
_LETTER_MARKER = re.compile(r"^[a-zđ]$")
_MARKER_TEXT = re.compile(r"^\(?([0-9A-Za-zđ]+(?:\.\d{1,3})*)\s*[.)]?$")
# A marker followed by text in one cell: "I. XÂY DỰNG …", "1. Rà soát …", "a) Tổ chức …".
_LEADING_MARKER = re.compile(r"^([IVXLC]+|[A-H]|\d{1,4}(?:\.\d{1,3})*|[a-zđ])\s*[.):]\s+(\S.*)$", re.DOTALL)
_ROMAN_WITH_TITLE = re.compile(r"^([IVXLC]+)\s+(\S.*)$", re.DOTALL)
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
# "Ghi chú:" alone on its row folds to "ghi chu" (trailing punctuation is dropped).
_FOOTNOTE = re.compile(r"^(ghi chu|chu thich|luu y|chu y|nguon)(\s*:|$)|^\(\d+\)\s|^\(?\*+\)?")
_END_OF_TABLE = re.compile(r"^(noi nhan|tm\.|kt\.|t/m|k/t|chu tich|nguoi lap)")


@dataclass(frozen=True)
class Issue:
    row: int | None
    level: str  # "warning" | "error"
    message: str  # Vietnamese, shown to the user


@dataclass
class ParsedSection:
    code: str
    title: str
    row: int
    parent: str = ""  # code of the enclosing section or group, "" at the top
    is_task: bool = False  # a section row that is itself a task (Đồng Tháp 115 "VII")


@dataclass
class ParsedTask:
    row: int  # source row number
    code: str
    section: str  # code of the enclosing section/group row, "" when none
    section_title: str
    title: str
    lead: str  # raw cell text, line breaks kept, for split_mentions
    coordinators: str
    deliverable: str
    deadline_text: str  # as printed (a date cell prints dd/mm/yyyy)
    deadline_value: datetime.date | None = None  # the date of a real date cell
    notes: str = ""  # extra columns: "Ghi chú: …\nKinh phí: …"
    printed_number: str = ""
    serial: str = ""  # the running "TT" beside a "Chi tiết" number (which the code comes from)
    duration_days: int | None = None  # "Số ngày dự kiến": a duration the admin turns into a deadline


@dataclass
class ParsedAppendix:
    sections: list[ParsedSection]
    tasks: list[ParsedTask]
    issues: list[Issue]
    header_row: int = 0
    columns: dict = field(default_factory=dict)  # role -> 0-based column


@dataclass(frozen=True)
class Header:
    rows: tuple[int, ...]  # indexes in sheet.rows of the one or two header rows
    columns: dict  # role -> 0-based column (number, title, lead, coordinators, deadline, deliverable)
    notes: tuple  # (column, label) of extra columns kept as notes
    labels: frozenset  # (column, accent-free label) of the header rows, to spot repeated headers
    longest_label: int = 0


# --- Header -----------------------------------------------------------------------------------------


def classify_header(label):
    """Role of a header label, NOTE for another labelled column, None for an empty one."""
    key = re.sub(r"[^a-z0-9]+", " ", fold_name(label)).strip()
    if not key:
        return None
    if key in ("stt", "tt", "so tt", "so thu tu", "thu tu", "so"):
        return NUMBER
    if "bat dau" in key:
        return NOTE
    if "so ngay" in key or key.endswith(" ngay"):  # "Số ngày dự kiến", "Thời gian thực hiện (ngày)"
        return DURATION
    if any(word in key for word in ("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc")):
        return DEADLINE
    if key in ("hoan thanh", "ngay hoan thanh"):
        return DEADLINE
    if any(word in key for word in ("ket qua", "san pham")):
        return DELIVERABLE
    if "phoi hop" in key:
        return COORDINATORS
    if "chu tri" in key or key in ("don vi thuc hien", "co quan thuc hien", "don vi", "co quan"):
        return LEAD
    if any(word in key for word in ("nhiem vu", "noi dung", "cong viec", "giai phap", "hoat dong")):
        return TITLE
    return NOTE


def _row_labels(row):
    """Header label per column; a horizontally merged label covers its continuation cells."""
    labels, previous = [], ""
    for cell in row.cells:
        previous = previous if cell.merged else cell.text
        labels.append(previous if cell.merged else cell.text)
    return labels


def _roles(labels):
    return [classify_header(label) for label in labels]


def _is_header(roles):
    present = set(roles)
    return TITLE in present and bool(present & {LEAD, COORDINATORS, DEADLINE})


def _is_sub_header(row, top):
    """A second header row: short labels under a label merged across columns ("Đơn vị thực hiện"
    over "Chủ trì" | "Phối hợp")."""
    own = [(col, cell.text) for col, cell in enumerate(row.cells) if cell.text and not cell.filled_down]
    if not own or any(len(text) > 40 or _is_marker(text) for _, text in own):
        return False
    spanned = set()
    for col, cell in enumerate(top.cells):
        if cell.merged:
            spanned.update((col - 1, col))
    return any(col in spanned for col, _ in own)


def _number_columns(row, subs):
    """{column: NUMBER or DETAIL} for a number label merged across two or more columns ("Stt" over
    "TT" | "Chi tiết"): the column labelled "TT" (else the first) counts, the next one numbers."""
    roles = {}
    cells = row.cells
    for start, cell in enumerate(cells):
        if cell.merged or classify_header(cell.text) != NUMBER:
            continue
        span = [start]
        while span[-1] + 1 < len(cells) and cells[span[-1] + 1].merged:
            span.append(span[-1] + 1)
        if len(span) < 2:
            continue
        number = next((col for col in span if classify_header(subs.get(col, "")) == NUMBER), span[0])
        detail = next(col for col in span if col != number)
        roles.update({number: NUMBER, detail: DETAIL})
        break
    return roles


def locate_header(sheet):
    """Find the header among the first rows; None when the sheet has no recognisable header."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        top = _row_labels(row)
        if not _is_header(_roles(top)):
            continue
        labels, rows, subs = top, (index,), {}
        if index + 1 < len(sheet.rows) and _is_sub_header(sheet.rows[index + 1], row):
            below = sheet.rows[index + 1]
            rows = (index, index + 1)
            labels = []
            for col, label in enumerate(top):
                cell = below.cell(col)
                sub = cell.text if cell.text and not cell.filled_down else ""
                subs[col] = sub
                if sub and classify_header(sub) == NOTE and label and label != sub:
                    sub = f"{label} {sub}"  # "Thời gian" over "Hoàn thành" / "Bắt đầu"
                labels.append(sub or label)
        numbering = _number_columns(row, subs)
        columns, notes = {}, []
        for col, label in enumerate(labels):
            role = numbering.get(col) or classify_header(label)
            if role is None:
                continue
            if role == DURATION and role not in columns:
                columns[role] = col
                notes.append((col, clean_text(label)))  # "Số ngày dự kiến: 30" in the notes
            elif role in (NOTE, DURATION) or role in columns:
                notes.append((col, clean_text(label)))
            else:
                columns[role] = col
        known = {(col, fold_name(label)) for col, label in [*enumerate(top), *enumerate(labels)] if label}
        longest = max((len(label) for label in [*top, *labels]), default=0)
        return Header(rows, columns, tuple(notes), frozenset(known), longest)
    return None


def find_task_sheet(sheets):
    """The first sheet with an appendix header (a workbook may hold other tables, e.g. targets)."""
    for sheet in sheets:
        if locate_header(sheet):
            return sheet
    raise _no_header()


def _no_header():
    return AppendixError(
        "Không tìm thấy dòng tiêu đề của bảng phụ lục: cần có cột «Nhiệm vụ» (hoặc «Nội dung») và cột "
        "«Đơn vị chủ trì», «Đơn vị phối hợp» hoặc «Thời gian hoàn thành»."
    )


# --- Rows -------------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    marker: str  # printed number without trailing "." or ")"
    kind: str  # "section" | "arabic" | "letter" | "none"
    title: str
    values: dict  # role -> raw text (lead/coordinators keep line breaks)
    deadline_value: datetime.date | None
    notes: str
    merged_across: bool  # the cells right of the title continue a merge: a heading row
    continues_previous: bool  # number and title cells filled down from (or left empty under) the row above
    filled: frozenset = frozenset()  # task data roles whose cell is filled down from a row above
    serial: str = ""  # the running number beside a "Chi tiết" number
    from_detail: bool = False  # the marker is the "Chi tiết" column's
    duration_days: int | None = None
    own_texts: int = 0  # cells with text of their own (not filled down, not merged)

    @property
    def has_task_data(self):
        return any(self.values.get(role) for role in TASK_DATA_ROLES) or self.duration_days is not None


def _is_marker(text):
    match = _MARKER_TEXT.match(clean_text(text))
    return bool(match) and _marker_kind(match.group(1)) != "none"


def _marker_kind(marker):
    if _ROMAN_MARKER.match(marker) or _SECTION_LETTER.match(marker):
        return "section"
    if _ARABIC_MARKER.match(marker):
        return "arabic"
    if _LETTER_MARKER.match(marker):
        return "letter"
    return "none"


def _leading_marker(text, allow_bare_roman=False):
    """("I", "XÂY DỰNG …") from "I. XÂY DỰNG …"; ("", text) when the text opens with no marker."""
    match = _LEADING_MARKER.match(text) or (allow_bare_roman and _ROMAN_WITH_TITLE.match(text))
    if match and _marker_kind(match.group(1)) != "none":
        return match.group(1), clean_text(match.group(2))
    return "", text


def _split_marker(number_text, title):
    """(marker, kind, title): the marker from the number cell, or from the start of the text."""
    number_text = clean_text(number_text)
    match = _MARKER_TEXT.match(number_text)
    if match and _marker_kind(match.group(1)) != "none":
        return match.group(1), _marker_kind(match.group(1)), title
    if number_text:
        # A heading typed whole into the number cell and merged across: "I. XÂY DỰNG …"
        marker, rest = _leading_marker(number_text, allow_bare_roman=True)
        return marker, _marker_kind(marker) if marker else "none", title or (rest if marker else "")
    # No number cell: sub-items are often numbered inside the text ("a) Tổ chức …")
    marker, rest = _leading_marker(title)
    return marker, _marker_kind(marker) if marker else "none", rest


_DAYS = re.compile(r"^(\d{1,4})(?:\s*ngày)?$")


def _duration(cell):
    """Whole days of a "Số ngày dự kiến" cell (30, "30", "30 ngày"); None otherwise."""
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return int(cell.value) if cell.value >= 0 and float(cell.value).is_integer() else None
    match = _DAYS.match(clean_text(cell.text).lower())
    return int(match.group(1)) if match else None


def _title_beside(row, header, after):
    """A heading's title typed in the cell after its number rather than in the title column ("II." |
    "DỮ LIỆU" with a "Chi tiết" column between): the first text right of column ``after``, up to the
    first data column."""
    stop = {col for role, col in header.columns.items() if role not in (TITLE, DETAIL, NUMBER)}
    for col in range(after + 1, len(row.cells)):
        if col in stop:
            break
        text = clean_text(row.cells[col].text)
        if text and not _is_marker(text):
            return text
    return ""


def _read_row(row, header):
    cols = header.columns
    number_cell = row.cell(cols.get(NUMBER))
    detail_cell = row.cell(cols.get(DETAIL))
    title_cell = row.cell(cols.get(TITLE))
    title = clean_text(title_cell.text)
    serial, from_detail, marker_col = "", False, cols.get(NUMBER)
    marker = ""
    if detail_cell.text:
        marker, kind, detail_title = _split_marker(detail_cell.text, title)
        if marker:  # "Chi tiết" numbers the row; the first column only counts the tasks
            serial, from_detail, marker_col = clean_text(number_cell.text), True, cols[DETAIL]
            title = detail_title
    if not marker and DETAIL in cols:
        letter, rest = _leading_marker(title)  # "a) Tổ chức …" beside a running "TT"
        if letter and _marker_kind(letter) == "letter":
            marker, kind, title, from_detail = letter, "letter", rest, True
            serial = clean_text(number_cell.text)
    if not marker:
        marker, kind, title = _split_marker(number_cell.text, title)
    if not title and kind == "section" and marker_col is not None:
        title = _title_beside(row, header, marker_col)
    values, filled = {}, set()
    for role in TASK_DATA_ROLES:
        cell = row.cell(cols.get(role))
        values[role] = "" if cell.merged else cell.text
        if cell.filled_down and cell.text:
            filled.add(role)
    deadline_cell = row.cell(cols.get(DEADLINE))
    deadline_value = deadline_cell.value if isinstance(deadline_cell.value, datetime.date) else None
    notes = "\n".join(
        f"{label}: {clean_text(row.text(col))}" for col, label in header.notes if clean_text(row.text(col))
    )
    duration = _duration(row.cell(cols[DURATION])) if DURATION in cols else None
    number_cells = [number_cell, detail_cell]
    skipped = (cols.get(NUMBER), cols.get(DETAIL), cols.get(TITLE))
    others = [c for i, c in enumerate(row.cells) if i not in skipped]
    merged_across = bool(others) and any(c.merged for c in others) and not any(c.text for c in others)
    # A row under a task whose number and title cells are merged with it, or left empty beside
    # a title merged down: more agencies or products of the same task.
    numbers_carried = all(c.filled_down or not c.text for c in number_cells)
    title_carried = title_cell.filled_down or not title_cell.text
    carried = any(c.filled_down for c in (*number_cells, title_cell))
    continues = numbers_carried and title_carried and carried
    own = sum(1 for c in row.cells if c.text and not c.filled_down)
    return _Row(
        row.number, marker, kind, title, values, deadline_value, notes, merged_across, continues,
        frozenset(filled), serial, from_detail, duration, own,
    )


def _first_text(row):
    return next((clean_text(cell.text) for cell in row.cells if cell.text), "")


def _is_repeated_header(row, header):
    """A header repeated after a page break: two or more cells equal to the header's labels."""
    same = 0
    for col, cell in enumerate(row.cells):
        # Only short cells can be labels; folding every long task title would be wasted work.
        short = cell.text and len(cell.text) <= header.longest_label
        if short and (col, fold_name(cell.text)) in header.labels:
            same += 1
    return same >= 2


def _is_column_numbers(row):
    texts = [cell.text.strip() for cell in row.cells if cell.text]
    return len(texts) >= 3 and all(_COLUMN_NUMBER.match(text) for text in texts)


def _table_rows(sheet, header):
    """Rows of the table body, without blank rows, repeated headers, column numbers and footnotes."""
    rows = []
    in_footer = False
    for row in sheet.rows[header.rows[-1] + 1:]:
        if row.is_blank or _is_repeated_header(row, header) or _is_column_numbers(row):
            continue
        first = fold_name(_first_text(row))
        parsed = _read_row(row, header)
        if (_END_OF_TABLE.match(first) or _FOOTNOTE.match(first)) and not parsed.has_task_data:
            in_footer = True
            continue
        if in_footer and parsed.kind == "none":
            continue  # text below the table (notes, signature block)
        numbered_note = parsed.kind in ("arabic", "letter") and parsed.own_texts < 2
        if in_footer and numbered_note and not parsed.has_task_data:
            continue  # a numbered line under "Ghi chú:" ("1. Các nhiệm vụ có dấu (*) …")
        in_footer = False
        rows.append(parsed)
    return rows


# --- Structure --------------------------------------------------------------------------------------


@dataclass
class _Container:
    code: str
    marker: str
    title: str
    kind: str  # "section" | "group" | "task"
    # numbering of the children: "prefix" (5.1 under 5), "local" (1 under 7.1) or "letter" (a under 1)
    style: str | None = None
    part: bool = False  # a lettered part ("A.", "B.") that may hold Roman sections
    values: dict | None = None  # the task data of a group row, inherited by its items
    deadline_value: datetime.date | None = None


def _is_child_marker(parent_marker, row):
    """Does ``row`` number itself as a child of ``parent_marker`` ("5.1" or a fresh "1"/"a")?"""
    if row.kind == "letter":
        return True
    if row.kind != "arabic":
        return False
    return row.marker.startswith(parent_marker + ".") or row.marker == "1"


def _is_group(row, following):
    """A numbered row that heads the rows below it: without task data (Quảng Nam "5", Đồng Nai "7.1"),
    or with data its items share, merged down over them or beside a "Chi tiết" number (2026 plans)."""
    if not row.title:
        return False
    child = following is not None and _is_child_marker(row.marker, following)
    if not row.has_task_data:
        return row.merged_across or child
    if row.kind != "arabic" or not child:
        return False
    shared = {role for role in following.filled if row.values[role] and role not in row.filled}
    return bool(shared) or (row.from_detail and following.kind == "letter")


def _find_parent(stack, row, is_group):
    """Pop the containers ``row`` does not belong to; return the parent (or None) and its local number."""
    while stack:
        top = stack[-1]
        if top.kind == "section":
            return top, row.marker
        if row.kind == "letter":
            top.style = top.style or "letter"
            return top, row.marker
        if row.marker.startswith(top.marker + "."):
            top.style = top.style or "prefix"
            return top, row.marker[len(top.marker) + 1:]
        # Items numbered afresh start at 1; after lettered items a number is the next group's.
        fresh = top.style == "local" or (top.style is None and row.marker == "1")
        if top.kind == "group" and fresh and not is_group and "." not in row.marker:
            top.style = "local"
            return top, row.marker
        stack.pop()
    return None, row.marker


def _join_code(parent, local):
    return f"{parent.code}.{local}" if parent else local


class _Builder:
    """Walks the body rows in order, keeping the stack of enclosing sections/groups/items."""

    def __init__(self, issues):
        self.issues = issues
        self.sections, self.tasks, self.stack = [], [], []
        self.seen_codes = {}
        self.unnumbered = {}  # section code -> last number given to an unnumbered task
        self.last_task = None  # the task of the previous row, which a continuation row adds to

    def warn(self, row, message, level=WARNING):
        self.issues.append(Issue(row, level, message))

    def add(self, row, following):
        last, self.last_task = self.last_task, None
        loose = row.kind == "none" and not row.title and (row.has_task_data or row.notes)
        if last and (row.continues_previous or loose):
            _merge_continuation(last, row)
            self.recheck(last)
            self.last_task = last
        elif row.kind == "section":
            self.section_row(row)
        elif row.kind in ("arabic", "letter"):
            self.numbered_row(row, following)
        elif row.title and row.has_task_data:
            self.unnumbered_row(row)
        else:
            self.warn(row.number, "Dòng không có số thứ tự và không đủ thông tin nhiệm vụ: bỏ qua.")

    def section_row(self, row):
        part = self.stack[0] if self.stack and self.stack[0].part else None
        is_part = bool(_SECTION_LETTER.match(row.marker))
        if part and not is_part:  # "I." inside "B. NHIỆM VỤ CỤ THỂ"
            del self.stack[1:]
            code, parent = f"{part.code}.{row.marker}", part.code
        else:
            self.stack.clear()
            code, parent = row.marker, ""
        container = _Container(code, row.marker, row.title, "section", part=is_part)
        self.sections.append(ParsedSection(code, row.title, row.number, parent, row.has_task_data))
        if row.has_task_data:  # Đồng Tháp 115 "VII": agencies and a deadline, no items
            self.add_task(row, code, container)
        self.stack.append(container)

    def numbered_row(self, row, following):
        if not row.title and not row.has_task_data:
            self.warn(row.number, "Dòng chỉ có số thứ tự, không có nội dung: bỏ qua.")
            return
        group = _is_group(row, following)
        parent, local = _find_parent(self.stack, row, group)
        code = _join_code(parent, local)
        if group:
            values = dict(row.values) if row.has_task_data else None
            heading = _Container(code, row.marker, row.title, "group", values=values)
            heading.deadline_value = row.deadline_value
            self.stack.append(heading)
            self.sections.append(ParsedSection(code, row.title, row.number, parent.code if parent else ""))
            return
        self.add_task(row, code, parent)
        if row.kind == "arabic":  # may head "1.1" or "a)" items
            self.stack.append(_Container(code, row.marker, row.title, "task"))

    def unnumbered_row(self, row):
        parent = next((c for c in reversed(self.stack) if c.kind != "task"), None)
        key = parent.code if parent else ""
        if key not in self.unnumbered:
            self.unnumbered[key] = sum(1 for task in self.tasks if task.section == key)
        self.unnumbered[key] += 1
        code = _join_code(parent, str(self.unnumbered[key]))
        self.warn(row.number, f"Nhiệm vụ không có số thứ tự; đã tự đánh số {code}.")
        self.add_task(row, code, parent)

    def add_task(self, row, code, parent):
        values, deadline_value = dict(row.values), row.deadline_value
        if parent and parent.values:  # a group row's agencies, product and deadline cover its items
            for role in TASK_DATA_ROLES:
                if not clean_text(values[role]) and parent.values[role]:
                    values[role] = parent.values[role]
                    deadline_value = parent.deadline_value if role == DEADLINE else deadline_value
        lead = values[LEAD]
        if not clean_text(lead) and parent and parent.kind == "group" and looks_like_agency(parent.title):
            lead = parent.title  # one group per agency (Đồng Nai V.7): the group names the lead
            self.warn(row.number, f"Không ghi đơn vị chủ trì; lấy theo mục «{parent.title}».")
        task = ParsedTask(
            row=row.number,
            code=code,
            section=parent.code if parent else "",
            section_title=parent.title if parent else "",
            title=row.title,
            lead=lead,
            coordinators=values[COORDINATORS],
            deliverable=clean_text(values[DELIVERABLE]),
            deadline_text=clean_text(values[DEADLINE]),
            deadline_value=deadline_value,
            notes=row.notes,
            printed_number=row.marker,
            serial=row.serial,
            duration_days=row.duration_days,
        )
        self.check(task)
        self.tasks.append(task)
        self.last_task = task

    def recheck(self, task):
        """Withdraw the missing-lead or missing-deadline warning a continuation row has answered."""
        answered = set()
        if clean_text(task.lead):
            answered.add("Thiếu đơn vị chủ trì.")
        if task.deadline_text:
            answered.update(("Thiếu thời gian hoàn thành.", _dating_request(task.duration_days)))
        self.issues[:] = [i for i in self.issues if not (i.row == task.row and i.message in answered)]

    def check(self, task):
        if not task.title:
            self.warn(task.row, "Thiếu nội dung nhiệm vụ.", ERROR)
        if not clean_text(task.lead):
            self.warn(task.row, "Thiếu đơn vị chủ trì.")
        if not task.deadline_text and task.duration_days is not None:
            self.warn(task.row, _dating_request(task.duration_days))
        elif not task.deadline_text:
            self.warn(task.row, "Thiếu thời gian hoàn thành.")
        if task.code in self.seen_codes:
            self.warn(task.row, f"Số thứ tự {task.code} trùng với dòng {self.seen_codes[task.code]}.")
        else:
            self.seen_codes[task.code] = task.row


def _dating_request(days):
    return (
        f"Phụ lục chỉ ghi số ngày dự kiến ({days} ngày), không ghi thời hạn hoàn thành: "
        "vui lòng nhập thời hạn cho nhiệm vụ này."
    )


def parse_appendix(sheet):
    """Parse a sheet (see ``reading.read_rows``) into sections, tasks and issues.

    Raises ``AppendixError`` when no header row is found; every other problem is an ``Issue``.
    """
    header = locate_header(sheet)
    if header is None:
        raise _no_header()
    issues = []
    header_row = sheet.rows[header.rows[0]].number
    if LEAD not in header.columns:
        issues.append(Issue(header_row, WARNING, "Không tìm thấy cột «Đơn vị chủ trì» trong dòng tiêu đề."))
    builder = _Builder(issues)
    rows = _table_rows(sheet, header)
    for index, row in enumerate(rows):
        builder.add(row, rows[index + 1] if index + 1 < len(rows) else None)
    if not builder.tasks:
        issues.append(Issue(None, ERROR, "Không tìm thấy nhiệm vụ nào trong bảng."))
    return ParsedAppendix(builder.sections, builder.tasks, issues, header_row, dict(header.columns))


def _merge_continuation(task, row):
    """A row continuing the task above (its number and title cells merged with it, or left empty)
    adds its agencies, product, notes and, when the task had none, its deadline."""
    for attribute, role in (("lead", LEAD), ("coordinators", COORDINATORS)):
        extra = row.values[role]
        if extra and extra not in getattr(task, attribute):
            setattr(task, attribute, f"{getattr(task, attribute)}\n{extra}".strip())
    deliverable = clean_text(row.values[DELIVERABLE])
    if deliverable and deliverable not in task.deliverable:
        task.deliverable = f"{task.deliverable}; {deliverable}".strip("; ")
    if not task.deadline_text and clean_text(row.values[DEADLINE]):
        task.deadline_text, task.deadline_value = clean_text(row.values[DEADLINE]), row.deadline_value
    if row.notes and row.notes not in task.notes:
        task.notes = f"{task.notes}\n{row.notes}".strip()
