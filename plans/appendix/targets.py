"""A plan's targets (chỉ tiêu) read from a targets sheet or table: pure, no database.

A workbook may carry its targets beside the task sheet (the Đồng Nai fixture's sheet «Chỉ tiêu»), or a
Word plan a targets table. Its header has a target column ("Chỉ tiêu", "Tên chỉ tiêu", "Nội dung chỉ
tiêu") and a value, unit or comparator column ("Giá trị", "Mục tiêu", "Kế hoạch", "Chỉ tiêu năm 2026",
"Đơn vị tính", "So sánh"), never a "Nhiệm vụ" column (that is the task sheet). Other columns: "STT",
"Nhóm"/"Lĩnh vực", "Cấp áp dụng", "Thời gian"/"Lộ trình", "Cơ quan chủ trì theo dõi", a baseline
("Năm 2025 (thực hiện)", "Hiện trạng"), "Ghi chú".

Rows: a target has a name and a figure (the value cell, or its name: "Tỷ lệ … đạt 80%"). A row with a
name and no figure, numbered with a Roman numeral or a section number ("2.2. Chính quyền số", "I" |
"Chính quyền số") or with nothing else filled, is a group heading the rows below it. A value cell that
holds a phrase ("tối thiểu 80%", "≥ 80%", "70-80%") is read with ``plans.measures.read_measure``; a
comparator column ("tối thiểu", "trên", "đạt", empty) with ``read_comparator``. The deadline is the
deadline column's, else the year the value column names ("Chỉ tiêu năm 2026"), else the year of the
title above the header ("CHỈ TIÊU CỤ THỂ NĂM 2024").
"""

import re
from dataclasses import dataclass, field

from agencies.names import clean_text, fold_name
from plans.appendix.parsing import ERROR, WARNING, Issue
from plans.measures import GE, RANGE, read_comparator, read_measure, read_number

HEADER_SEARCH_ROWS = 30

CODE, GROUP, NAME, COMPARATOR, VALUE, UNIT, LEVEL, DEADLINE, AGENCY, BASELINE, NOTE = (
    "code",
    "group",
    "name",
    "comparator",
    "value",
    "unit",
    "level",
    "deadline",
    "agency",
    "baseline",
    "note",
)


@dataclass
class ParsedTarget:
    row: int  # source row (sheet row, or 1-based paragraph index for a target proposed from prose)
    code: str
    group: str  # the group as printed: "2.2. Chính quyền số"
    name: str
    comparator: str  # plans.measures: ">=", ">", "=", "<=", "<", "range"; "" when no figure was found
    value: float | None
    value_max: float | None
    unit: str
    level: str  # "cấp sở", "cấp tỉnh, huyện, xã"; "" when the plan says none
    deadline_text: str  # "Năm 2024", as printed or as the header names it
    reporting_agency: str
    baseline: float | None
    comparator_text: str = ""  # as printed: "tối thiểu", "trên", "đạt", ""
    baseline_text: str = ""
    notes: str = ""


@dataclass
class ParsedTargets:
    targets: list[ParsedTarget]
    issues: list[Issue] = field(default_factory=list)
    header_row: int = 0
    columns: dict = field(default_factory=dict)  # role -> 0-based column


# --- Header --------------------------------------------------------------------------------------------


def _key(label):
    return re.sub(r"[^a-z0-9]+", " ", fold_name(label or "")).strip()


def classify_target_header(label):
    """Role of a targets-table header label; NOTE for another labelled column, None for an empty one."""
    key = _key(label)
    if not key:
        return None
    if key in ("stt", "tt", "so tt", "so thu tu", "ma", "ma chi tieu", "ma so", "so"):
        return CODE
    if "nhiem vu" in key or "cong viec" in key:
        return "task"
    baseline = ("thuc hien", "hien trang", "co so", "uoc dat", "uoc thuc", "nam truoc")
    agency = ("chu tri", "theo doi", "bao cao", "co quan", "don vi thuc")
    if any(word in key for word in baseline) and not any(word in key for word in agency):
        return BASELINE  # "Năm 2025 (thực hiện)", "Hiện trạng", "Giá trị cơ sở"
    if any(word in key for word in ("chu tri", "theo doi", "co quan", "bao cao", "don vi thuc hien")):
        return AGENCY
    if key in ("don vi", "don vi tinh", "dvt", "don vi do") or key.startswith("don vi tinh"):
        return UNIT
    if key in ("so sanh", "toan tu", "dieu kien", "muc so sanh", "phep so sanh"):
        return COMPARATOR
    if key in ("nhom", "nhom chi tieu", "linh vuc", "tru cot", "nhom linh vuc"):
        return GROUP
    if "cap ap dung" in key or key in (
        "cap",
        "pham vi",
        "pham vi ap dung",
        "doi tuong ap dung",
        "cap thuc hien",
    ):
        return LEVEL
    if any(word in key for word in ("thoi gian", "thoi han", "lo trinh", "thoi diem", "nam hoan thanh")):
        return DEADLINE
    if key in ("chi tieu", "ten chi tieu", "noi dung chi tieu", "chi tieu cu the", "cac chi tieu", "ten"):
        return NAME
    if key.startswith(("ten chi tieu", "noi dung chi tieu")):
        return NAME
    if (
        key.startswith(
            ("gia tri", "muc tieu", "ke hoach", "chi tieu nam", "chi tieu ke hoach", "chi tieu phan")
        )
        or re.fullmatch(r"(?:chi tieu |ke hoach |muc tieu )?(?:nam )?(?:19|20)\d\d(?: ke hoach)?", key)
        or key in ("muc", "gia tri chi tieu", "chi tieu dat", "ket qua can dat", "muc can dat")
    ):
        return VALUE
    if "ghi chu" in key:
        return NOTE
    if key.startswith("chi tieu"):
        return NAME
    return NOTE


def _is_target_header(roles):
    present = set(roles)
    return NAME in present and bool(present & {VALUE, UNIT, COMPARATOR}) and "task" not in present


@dataclass(frozen=True)
class _Header:
    index: int  # index in sheet.rows of the (last) header row
    row: int
    columns: dict
    labels: dict  # column -> label
    notes: tuple
    # Value columns of several years ("Năm 2025" | "Năm 2030"): (column, year) each, a target per year
    years: tuple = ()


def _labels(row):
    labels, previous = [], ""
    for cell in row.cells:
        previous = previous if cell.merged else cell.text
        labels.append(clean_text(previous))
    return labels


def locate_target_header(sheet):
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        labels = _labels(row)
        last = index
        # A second header row under labels merged across ("Chỉ tiêu" over "Năm 2025" | "Năm 2026").
        if index + 1 < len(sheet.rows) and any(cell.merged for cell in row.cells):
            below = sheet.rows[index + 1]
            subs = [clean_text(cell.text) if not cell.filled_down else "" for cell in below.cells]
            if (
                any(subs)
                and all(len(text) <= 60 for text in subs)
                and not any(read_number(text) is not None for text in subs if text)
            ):
                merged_labels = [
                    (f"{top} {sub}" if classify_target_header(sub) in (NOTE, None) and top != sub else sub)
                    if sub
                    else top
                    for top, sub in zip(labels, subs + [""] * (len(labels) - len(subs)), strict=False)
                ]
                if _is_target_header([classify_target_header(label) for label in merged_labels]):
                    labels, last = merged_labels, index + 1
        roles = [classify_target_header(label) for label in labels]
        if not _is_target_header(roles):
            continue
        years = _value_years(roles, labels)
        columns, notes = {}, []
        for col, (role, label) in enumerate(zip(roles, labels, strict=True)):
            if role is None or role == "task" or (role == VALUE and years):
                continue
            if role == NOTE or role in columns:
                notes.append((col, label))
            else:
                columns[role] = col
        if years:
            columns[VALUE] = years[0][0]
        return _Header(last, sheet.rows[index].number, columns, dict(enumerate(labels)), tuple(notes), years)
    return None


def _value_years(roles, labels):
    """((column, year), …) when the table has several value columns, each naming its own year
    ("Mục tiêu đến năm 2025" | "Mục tiêu đến năm 2030"); () otherwise."""
    columns = [col for col, role in enumerate(roles) if role == VALUE]
    years = [_YEAR_IN.findall(labels[col]) for col in columns]
    if len(columns) < 2 or any(len(found) != 1 for found in years):
        return ()
    if len({found[0] for found in years}) != len(columns):
        return ()
    return tuple((col, found[0]) for col, found in zip(columns, years, strict=True))


def is_target_sheet(sheet):
    return locate_target_header(sheet) is not None


def find_target_sheet(sheets):
    """The first sheet (or Word table) whose header is a targets table's, None when there is none."""
    for sheet in sheets:
        if is_target_sheet(sheet):
            return sheet
    return None


def split_sheets(sheets):
    """(task sheets, target sheet): the sheets a task import may look at, without the targets sheet
    (``parsing.find_task_sheet`` would take a targets table headed "Nội dung chỉ tiêu | … | Cơ quan
    chủ trì" for a task list)."""
    target = find_target_sheet(sheets)
    return [sheet for sheet in sheets if sheet is not target], target


# --- Rows ----------------------------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_CODE = re.compile(r"^\(?([0-9A-Za-zđ]+(?:\.\d{1,3})*)\s*[.)]?$")
_GROUP_TEXT = re.compile(r"^(?:[IVXLC]+|[A-H]|\d{1,2}(?:\.\d{1,2})+)\s*[.):]\s*\S")
_YEAR_IN = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_FOOTNOTE = re.compile(r"^(ghi chu|chu thich|luu y|nguon|noi nhan)(\s*:|$)")


def _code(text):
    text = clean_text(text)
    match = _CODE.match(text)
    return match.group(1) if match else text


def _as_number(cell):
    if isinstance(cell.value, bool):
        return None
    if isinstance(cell.value, (int, float)) and not cell.text.endswith("%"):
        return float(cell.value)
    return None


def _deadline_default(sheet, header):
    value_label = header.labels.get(header.columns.get(VALUE), "")
    year = _YEAR_IN.search(value_label)
    if year:
        return f"Năm {year.group(1)}"
    titles = [clean_text(cell.text) for row in sheet.rows[: header.index] for cell in row.cells if cell.text]
    # The year the title names ("NĂM 2024"), not a date's ("ngày 15/02/2024")
    years = {
        match.group(1)
        for title in titles
        for match in _YEAR_IN.finditer(title)
        if "/" not in title[max(0, match.start() - 1) : match.start()]
    }
    if len(years) == 1:
        return f"Năm {years.pop()}"
    return ""


def parse_targets(sheet):
    """The targets of a targets sheet, with Vietnamese warnings; no targets and an error issue when
    the sheet has no targets header."""
    header = locate_target_header(sheet)
    if header is None:
        return ParsedTargets([], [Issue(None, ERROR, _NO_HEADER)])
    cols, issues, targets = header.columns, [], []
    deadline_default = _deadline_default(sheet, header)
    group, seen = "", {}
    for row in sheet.rows[header.index + 1 :]:
        texts = [clean_text(cell.text) for cell in row.cells]
        own = [text for text, cell in zip(texts, row.cells, strict=True) if text and not cell.merged]
        if not own or (len(own) >= 3 and all(_COLUMN_NUMBER.match(text) for text in own)):
            continue
        first = fold_name(own[0])
        if _FOOTNOTE.match(first):
            break
        get = {role: clean_text(row.text(col)) for role, col in cols.items()}
        if sum(1 for role, col in cols.items() if _key(get[role]) == _key(header.labels.get(col))) >= 2:
            continue  # the header repeated after a page break
        name, code_text = get.get(NAME, ""), get.get(CODE, "")
        values = [(col, year, clean_text(row.text(col))) for col, year in header.years]
        value_text = " ".join(text for _col, _year, text in values if text) or get.get(VALUE, "")
        has_figure = bool(value_text) or any(get.get(role) for role in (UNIT, COMPARATOR, BASELINE))
        if not name and not has_figure:
            # "2.2. Chính quyền số" typed in the number cell and merged across, or beside it
            others = [text for text in own if text != code_text]
            group = _group_text(code_text, others[0]) if others else code_text
            continue
        measure_in_name = read_measure(name) if name and not value_text else None
        if not has_figure and not measure_in_name:
            group = _group_text(code_text, name)
            continue
        if get.get(GROUP):
            group = get[GROUP]
        value_cell = row.cell(cols.get(VALUE))
        for target in _row_targets(row, get, value_cell, values, name, measure_in_name):
            target.group = get.get(GROUP) or group
            target.deadline_text = target.deadline_text or get.get(DEADLINE) or deadline_default
            _add(target, row, targets, issues, seen)
    if not targets:
        issues.append(Issue(None, ERROR, "Không tìm thấy chỉ tiêu nào trong bảng chỉ tiêu."))
    return ParsedTargets(targets, issues, header.row, dict(cols))


def _row_targets(row, get, value_cell, values, name, measure_in_name):
    """The row's target; with value columns by year (``values``), its target of each year it gives
    a value for: code "1 (2030)", deadline "Năm 2030"."""
    if not values:
        return [_target(row, cell_value=value_cell, get=get, name=name, measure_in_name=measure_in_name)]
    targets = []
    for col, year, text in values:
        if text:
            target = _target(row, cell_value=row.cell(col), get={**get, VALUE: text}, name=name,
                             measure_in_name=None)
            target.code = f"{target.code} ({year})" if target.code else ""
            target.deadline_text = f"Năm {year}"
            targets.append(target)
    return targets


def _add(target, row, targets, issues, seen):
    """Adds ``target`` to ``targets``, numbered if it has no number, with warnings of what it lacks."""
    if not target.code:
        target.code = str(len(targets) + 1)
        numbered = f"Chỉ tiêu không có số thứ tự; đã tự đánh số {target.code}."
        issues.append(Issue(row.number, WARNING, numbered))
    if target.value is None:
        issues.append(Issue(row.number, WARNING, "Chỉ tiêu chưa có giá trị cần đạt (không đọc được con số)."))
    if not target.unit and target.value is not None:
        issues.append(Issue(row.number, WARNING, "Chỉ tiêu không ghi đơn vị tính."))
    if target.code in seen:
        repeated = f"Số thứ tự chỉ tiêu {target.code} trùng với dòng {seen[target.code]}."
        issues.append(Issue(row.number, WARNING, repeated))
    else:
        seen[target.code] = row.number
    targets.append(target)


_NO_HEADER = (
    "Không tìm thấy dòng tiêu đề của bảng chỉ tiêu: cần có cột «Chỉ tiêu» (hoặc «Tên chỉ tiêu») và cột "
    "«Giá trị», «Chỉ tiêu năm …», «Đơn vị tính» hoặc «So sánh»."
)


def _group_text(code_text, name):
    if not code_text or _GROUP_TEXT.match(name):
        return name
    return f"{code_text.rstrip('.')}. {name}"


def _target(row, cell_value, get, name, measure_in_name):
    comparator_text = get.get(COMPARATOR, "")
    value_text = get.get(VALUE, "")
    comparator, value, value_max, unit, printed = "", None, None, "", comparator_text
    number = _as_number(cell_value)
    if number is not None:
        value, comparator = number, GE
    elif value_text:
        measure = read_measure(value_text)
        if measure is None and (plain := read_number(value_text)) is not None:
            value, comparator = plain, GE
        elif measure is not None:
            value, value_max, comparator = measure.value, measure.value_max, measure.comparator
            unit = measure.unit if measure.unit != "số" else ""
            printed = printed or measure.printed
    elif measure_in_name is not None:
        measure = measure_in_name
        value, value_max, comparator = measure.value, measure.value_max, measure.comparator
        unit, printed = measure.unit, printed or measure.printed
        name = measure.subject[:1].upper() + measure.subject[1:] if measure.subject else name
    if comparator_text and comparator != RANGE:
        comparator = read_comparator(comparator_text) or comparator
    elif value is not None and not comparator:
        comparator = GE
    unit = get.get(UNIT) or unit
    baseline_text = get.get(BASELINE, "")
    baseline = read_number(baseline_text.rstrip("% ")) if baseline_text else None
    if baseline is None and baseline_text and (measure := read_measure(baseline_text)):
        baseline = measure.value
    return ParsedTarget(
        row=row.number,
        code=_code(get.get(CODE, "")),
        group="",
        name=name,
        comparator=comparator if value is not None else "",
        value=value,
        value_max=value_max,
        unit=unit,
        level=get.get(LEVEL, ""),
        deadline_text="",
        reporting_agency=get.get(AGENCY, ""),
        baseline=baseline,
        comparator_text=printed,
        baseline_text=baseline_text,
    )


# --- Contract ------------------------------------------------------------------------------------------


def json_number(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


TARGET_CONTRACT_KEYS = ("code", "group", "name", "comparator", "value", "unit", "level", "deadline")


def targets_contract(parsed, read_deadline=None):
    """The targets as ``import_appendix --dry-run --json`` prints them under "targets" (with
    ``value_max`` for a range). ``read_deadline(text)``, when given, gives the deadline's other keys
    (the tasks' shape: kind, due, every) besides its printed "text"."""
    targets = parsed.targets if isinstance(parsed, ParsedTargets) else parsed
    read = read_deadline or (lambda _text: {})
    out = []
    for target in targets:
        item = {
            "code": target.code,
            "group": target.group,
            "name": target.name,
            "comparator": target.comparator,
            "value": json_number(target.value),
            "unit": target.unit,
            "level": target.level,
            "deadline": {"text": target.deadline_text, **read(target.deadline_text)},
        }
        if target.comparator == RANGE or target.value_max is not None:
            item["value_max"] = json_number(target.value_max)
        out.append(item)
    return out


def indicators_contract(measures):
    """A deliverable's measures (``plans.measures.read_measures``) as each task's "indicators"."""
    out = []
    for measure in measures:
        item = {
            "comparator": measure.comparator,
            "value": json_number(measure.value),
            "unit": measure.unit,
            "subject": measure.subject,
        }
        if measure.comparator == RANGE:
            item["value_max"] = json_number(measure.value_max)
        out.append(item)
    return out
