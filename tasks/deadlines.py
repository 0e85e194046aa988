"""Read the "Thời hạn" (deadline) cell of a Vietnamese plan appendix.

Pure Python, no Django: ``parse_deadline(text, reference)`` turns a printed phrase into a
:class:`Deadline` (kind, due date, recurrence). ``reference`` is the plan's issue date: a phrase
without a year takes its year, a count of days runs from it, and a recurring deadline's first due
date is on or after it.

The phrase is normalised first (NFKD, casefold, accents stripped, đ→d, punctuation to spaces, no
spaces around "/" and "-"), so case, NFC/NFD, old/new tone placement (hoá/hóa, qúy/quý), the
old spelling "quí", legacy-font "Ð" for "Đ" and stray punctuation do not matter. The words for
periods (quarters, halves, months, years, lists of them, "Sáu tháng") are those of
:mod:`tasks.period_grammar`, which report periods (:mod:`reports.periods`) read with too.

Rule families, first match wins:

1. recurring  - "hằng/hàng/mỗi/định kỳ" + năm/quý/tháng, "định kỳ 6 (06, sáu) tháng", "6 tháng một
   lần", "thường niên", "(năm 2024) và các năm tiếp theo", "trước ngày 15 tháng cuối quý".
   Recurrence wins over any period in the phrase. Yearly phrases may name anchors: days ("trước
   ngày 30/11 hằng năm"), quarters ("Quý I hàng năm"), halves or months ("Tháng 6 hằng năm"); two
   or four evenly spaced anchors make a half-yearly or quarterly series ("Tháng 6 và tháng 12 hằng
   năm"). Quarterly and half-yearly ones a day and a month of the period ("trước ngày 15 tháng cuối
   quý", "trước ngày 15/6 và 15/12"), monthly ones a day ("trước ngày 20 hằng tháng").
   due = first such date on/after the reference (or on/after 1 Jan of a start year in the phrase,
   "2024 và hằng năm"); otherwise the end of the year/half/quarter/month containing that date.
2. ongoing    - "thường xuyên", "liên tục", "hằng ngày", "24/7", "… trở đi"...: no due date, even
   if a year is also printed ("Năm 2024 và thường xuyên"): the task never closes.
3. unscheduled - "theo lộ trình/kế hoạch/hướng dẫn/chỉ đạo/yêu cầu/tiến độ…", "khi có yêu cầu",
   "sau khi…": the schedule lives in another document. Dates printed in such a phrase usually are
   that document's number or issue date, so they are ignored.
4. relative   - a count of days from the plan ("100 ngày kể từ ngày ban hành Kế hoạch", "Hết thời
   hạn 100 ngày", "15 ngày"), of working days (Monday to Friday; holidays are not known), and of
   weeks or months when the phrase says from when or within ("03 tháng kể từ ngày ký", "Trong vòng
   02 tháng"): kind date, due = reference (or the printed day it counts from) + the count. Counted
   from another event ("30 ngày kể từ ngày nhận được hồ sơ"): unscheduled.
5. date       - "ngày 15 tháng 5 năm 2024", "20/10/2026", "15/5" (the year printed elsewhere in the
   phrase, else the reference year), "ngày 15 tháng cuối Quý IV/2025". An invalid or implausible
   date (31/2/2025, a year outside 1990-2100) makes the phrase unknown. "Trước ngày X" is due on X.
   Several dates: the latest.
6. period     - every period the phrase names (see :mod:`tasks.period_grammar`): halves, quarters,
   months, years, year ranges, horizons ("Giai đoạn 2023-2025", "Đến năm 2030"), lists ("Quý III,
   IV/2026, 2027"), a year printed apart ("Năm 2025 (Quý IV)"). due = last day of the latest
   period; a period without a year takes the year its list or phrase prints, else the reference
   year. "Trước năm 2025" is read as 2025-12-31, like days.
7. unknown    - anything else, including empty cells.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from tasks.period_grammar import (
    MONTHS,
    QUARTER_NO,
    QUARTERS,
    ROMAN,
    SIX,
    THREE,
    YEAR,
    month_end,
    period_end,
    resolve,
    scan,
    unit_end,
)
from tasks.period_grammar import normalise as _normalise

__all__ = [
    "ROMAN", "Deadline", "DeadlineKind", "Recurrence", "month_end", "next_due", "occurrences",
    "parse_deadline", "period_end", "period_of", "printed_horizon",
]


class DeadlineKind(StrEnum):
    DATE = "date"
    PERIOD = "period"
    RECURRING = "recurring"
    ONGOING = "ongoing"
    UNSCHEDULED = "unscheduled"
    UNKNOWN = "unknown"


class Recurrence(StrEnum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DeadlineKind
    due: date | None = None
    every: Recurrence | None = None


MIN_YEAR, MAX_YEAR = 1990, 2100  # a year printed in a plan outside this range is a typo
MAX_COUNT = 999  # "100 ngày": a longer count is no deadline (a year, a document number)
_STEP_MONTHS = {Recurrence.MONTH: 1, Recurrence.QUARTER: 3, Recurrence.HALF: 6, Recurrence.YEAR: 12}
_EVERY_OF_STEP = {step: every for every, step in _STEP_MONTHS.items()}
_UNKNOWN = (DeadlineKind.UNKNOWN, None, None)

# All patterns run on normalised text: ascii lower case, single spaces, none around "/" or "-".
_YEAR = r"(?:(?:/|-| nam | )(?P<y>\d{4})\b)?"  # optional "/2024", " năm 2024" after a day or a month
# Days: one separator throughout ("15/5/2024", "15-5-2024"), so "Tháng 10-12/2024" is no day.
_RE_DMY = re.compile(r"(?<![\w/-])(?P<d>\d{1,2})(?P<sep>[/-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\w/-])")
_RE_NGAY_THANG = re.compile(r"\bngay (?P<d>\d{1,2}) thang (?P<m>\d{1,2})\b" + _YEAR)
_RE_DM = re.compile(r"(?<!thang )(?<!quy )(?<!qui )(?<![\w/-])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\w/-])")
_RE_DAY = re.compile(r"\bngay (\d{1,2})\b")
_IN_PERIOD = {"dau": 0, "giua": 1, "cuoi": 2}  # first, middle, last month of a quarter
# "ngày 15 tháng cuối Quý IV/2025": one day.
_RE_DAY_IN_QUARTER = re.compile(
    rf"\bngay (?P<d>\d{{1,2}}) (?:cua )?thang (?P<pos>dau|giua|cuoi) (?:cua )?qu[yi] (?P<q>{QUARTER_NO})\b"
    + _YEAR)
# "trước ngày 15 tháng cuối quý" (no quarter named): the same day of every quarter.
_RE_EVERY_QUARTER_MONTH = re.compile(
    rf"\bthang (dau|giua|cuoi) (?:cua )?(?:moi |cac |hang |tung )?qu[yi]\b(?! {QUARTER_NO}\b)")
_EVERY = r"(?:hang|moi|tung|dinh ky)"  # hằng/hàng/mỗi/từng/định kỳ
_ONCE = r"(?:/| mot | 1 )lan"  # "6 tháng một lần", "quý 1 lần", "năm/lần"
# Checked in this order: "6 tháng một lần" also contains "tháng một lần".
_RECURRENCES = (
    (Recurrence.HALF, re.compile(rf"\b(?:{_EVERY} (?:{SIX} thang|nua nam)|{SIX} thang{_ONCE})\b")),
    (Recurrence.QUARTER, re.compile(
        rf"\b(?:{_EVERY} (?:qu[yi]|{THREE} thang)|(?:qu[yi]|{THREE} thang){_ONCE})\b"
        rf"|{_RE_EVERY_QUARTER_MONTH.pattern}")),
    (Recurrence.MONTH, re.compile(rf"\b(?:{_EVERY} thang|(?<!\d )thang{_ONCE})\b")),
    (Recurrence.YEAR, re.compile(
        rf"\b(?:{_EVERY} nam|thuong nien|nam{_ONCE}|(?:cac|nhung) nam (?:tiep theo|sau|ke tiep))\b")),
)
_RE_ONGOING = re.compile(
    r"\b(?:thuong xuyen|lien tuc|xuyen suot|thuong truc|(?:hang|moi) (?:ngay|tuan)|24/7"
    r"|tro di|tro ve sau)\b")
_RE_UNSCHEDULED = re.compile(
    r"\b(?:theo (?:lo trinh|ke hoach|huong dan|chi dao|yeu cau|tien do|quy dinh|van ban|thong bao"
    r"|de nghi|nhu cau|thuc te|quyet dinh|chuong trinh|de an|du an)"
    r"|khi (?:co|duoc|can|phat sinh)|sau khi|tuy (?:theo|thuoc))\b"
)
# "100 ngày", "15 ngày làm việc kể từ ngày ban hành", "03 tháng kể từ ngày ký"
_RE_COUNT = re.compile(
    r"(?<![\w/-])(?P<n>\d{1,3}) (?P<unit>ngay lam viec|ngay|tuan|thang)\b(?! (?:dau|giua|cuoi)\b)"
    r"(?: (?:ke |tinh )?tu (?:ngay |khi )?(?P<since>.*))?")
_RE_WITHIN = re.compile(r"\btrong (?:vong |thoi han |thoi gian )?$")  # "Trong (vòng) 03 tháng"
# What a count runs from, when that is the plan itself.
_RE_THE_PLAN = re.compile(r"\b(?:ban hanh|ky|ke hoach|van ban nay)\b")


def _plausible(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _printed_days(text: str):
    """(day, month, year or None, end position) for every printed day, in any accepted spelling."""
    for rx in (_RE_DMY, _RE_NGAY_THANG, _RE_DM):
        for m in rx.finditer(text):
            year = m.groupdict().get("y")
            yield int(m["d"]), int(m["m"]), int(year) if year else None, m.end()


def _day_months(text: str):
    """(day, month, year or None) for every printed day, in any of the accepted spellings."""
    for day, month, year, _end in _printed_days(text):
        yield day, month, year


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= monthrange(2000, month)[1]  # 2000 is leap: 29/2 exists


def _shift(start: date, months: int, day: int) -> date | None:
    """``start`` moved by ``months``, on ``day`` clamped to the month's length; None past date.max."""
    years, month0 = divmod(start.month - 1 + months, 12)
    year = start.year + years
    return date(year, month0 + 1, min(day, monthrange(year, month0 + 1)[1])) if year <= MAXYEAR else None


def _next_on(floor: date, month: int, day: int = 31, step: int = 12) -> date | None:
    """First ``day`` of ``month`` (clamped: 31 = month end) on/after ``floor``, stepping ``step`` months."""
    candidate = date(floor.year, month, min(day, monthrange(floor.year, month)[1]))
    return candidate if candidate >= floor else _shift(candidate, step, day)


def _recurring(text: str, ref: date):
    every = next((every for every, rx in _RECURRENCES if rx.search(text)), None)
    if every is None:
        return None
    # "2024 và hằng năm": the series starts in the printed year, if that is later than the plan.
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", text) if _plausible(int(y))]
    floor = max(ref, date(min(years), 1, 1)) if years else ref
    if every == Recurrence.YEAR:
        every, due = _yearly(text, floor)
    elif every == Recurrence.MONTH:
        day = int(m.group(1)) if (m := _RE_DAY.search(text)) else 31
        due = _next_on(floor, floor.month, day, step=1) if 1 <= day <= 31 else None
    else:
        due = _within(text, floor, _STEP_MONTHS[every])
    return (DeadlineKind.RECURRING, due, every) if due else _UNKNOWN


def _yearly(text: str, floor: date) -> tuple[Recurrence, date | None]:
    """Recurrence and first due date of a yearly phrase: the next of its anchors (printed days, ends
    of printed quarters/halves/months, else 31 Dec) on/after ``floor``. Two or four anchors evenly
    spread over the year ("Tháng 6 và tháng 12 hằng năm") make a half-yearly or quarterly series."""
    anchors = {}  # month -> day
    for day, month, _year in _day_months(text):
        if not _valid_day_month(day, month):
            return Recurrence.YEAR, None
        anchors.setdefault(month, day)
    bare_day = int(m.group(1)) if (m := _RE_DAY.search(text)) else 31  # "Tháng 12, trước ngày 15"
    bare_day = bare_day if 1 <= bare_day <= 31 else 31
    for mention in scan(text):
        if mention.unit == YEAR:
            continue
        month = mention.index * MONTHS[mention.unit]
        if not 1 <= mention.index <= 12 // MONTHS[mention.unit]:  # "Tháng 13 hằng năm"
            return Recurrence.YEAR, None
        anchors.setdefault(month, bare_day)
    anchors = anchors or {12: 31}
    months = sorted(anchors)
    every = Recurrence.YEAR
    # A day on or past its month's end is the month's end ("30/6 và 31/12").
    days = {31 if day >= monthrange(2000, month)[1] else day for month, day in anchors.items()}
    gap = 12 // len(months)
    even = all(b - a == gap for a, b in zip(months, months[1:], strict=False))
    if len(months) in (2, 4) and len(days) == 1 and even:
        every = _EVERY_OF_STEP[gap]
    dues = [due for month in months if (due := _next_on(floor, month, anchors[month])) is not None]
    return every, min(dues) if dues else None


def _within(text: str, floor: date, step: int) -> date | None:
    """First due date of a quarterly or half-yearly series on/after ``floor``: a printed day in its
    month of the period ("15/6" in a half, "ngày 15 tháng cuối quý"), else the period's end."""
    if printed := next(_day_months(text), None):
        day, month, _year = printed
        if not _valid_day_month(day, month):
            return None
        offset = (month - 1) % step
    else:
        day = int(m.group(1)) if (m := _RE_DAY.search(text)) else 31
        if not 1 <= day <= 31:
            return None
        where = _RE_EVERY_QUARTER_MONTH.search(text) if step == 3 else None
        offset = _IN_PERIOD[where.group(1)] if where else step - 1
    return _next_on(floor, step * ((floor.month - 1) // step) + 1 + offset, day, step)


def _add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``."""
    weeks, rest = divmod(days, 5)
    due = start + timedelta(weeks=weeks)
    while rest:
        due += timedelta(days=1)
        rest -= due.weekday() < 5
    while due.weekday() >= 5:  # a whole number of weeks from a weekend day ends on a weekday
        due -= timedelta(days=1)
    return due


def _counted(text: str, ref: date):
    """A count of days (weeks, months) from the plan, or from a printed day (rule 4)."""
    m = _RE_COUNT.search(text)
    if m is None or not 1 <= int(m["n"]) <= MAX_COUNT:
        return None
    since, start = m["since"], ref
    if since is not None:
        printed = [(d, mo, y) for d, mo, y in _day_months(since) if y is not None]
        if printed:
            day, month, year = printed[0]
            if not _plausible(year):
                return _UNKNOWN
            start = date(year, month, day)
        elif not _RE_THE_PLAN.search(since):
            return DeadlineKind.UNSCHEDULED, None, None  # "kể từ ngày nhận được hồ sơ"
    elif m["unit"] in ("tuan", "thang") and not _RE_WITHIN.search(text[:m.start()]):
        return None  # "6 tháng" alone says no more than a length: read it as a period, if any
    n = int(m["n"])
    if m["unit"] == "ngay":
        due = start + timedelta(days=n)
    elif m["unit"] == "ngay lam viec":
        due = _add_working_days(start, n)
    elif m["unit"] == "tuan":
        due = start + timedelta(weeks=n)
    else:
        due = _shift(start, n, start.day)
    return (DeadlineKind.DATE, due, None) if due else _UNKNOWN


def _dated(text: str, ref: date):
    found = [(d, m, y, end) for d, m, y, end in _printed_days(text)]
    for q in _RE_DAY_IN_QUARTER.finditer(text):
        month = 3 * QUARTERS[q["q"]] - 2 + _IN_PERIOD[q["pos"]]
        found.append((int(q["d"]), month, int(q["y"]) if q["y"] else None, q.end()))
    if not found:
        return None
    if any(year is not None and not _plausible(year) for _d, _m, year, _e in found):
        return _UNKNOWN
    # "Năm 2025, trước ngày 30/6": a day without its year takes one printed apart, else the plan's.
    apart = [(m.start, m.year) for m in scan(text) if m.unit == YEAR and _plausible(m.year)]

    def year_of(year, end):
        if year is not None:
            return year
        after = [y for start, y in apart if start >= end]
        before = [y for start, y in apart if start < end]
        return after[0] if after else before[-1] if before else ref.year

    try:
        return DeadlineKind.DATE, max(date(year_of(y, e), m, d) for d, m, y, e in found), None
    except ValueError:  # 31/2/2025, 29/2/2023, 15/13/2024
        return _UNKNOWN


def _period(text: str, ref: date):
    ends = []
    for unit, index, year in resolve(scan(text), ref.year):
        if _plausible(year):
            try:
                ends.append(unit_end(unit, index, year))
            except ValueError:  # "Tháng 13/2024"
                continue
    return (DeadlineKind.PERIOD, max(ends), None) if ends else None


def _cell_text(value) -> str:
    """Spreadsheet cells arrive as str, None, int (2026), float (2026.0, NaN for empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def parse_deadline(text, reference: date) -> Deadline:
    """Read a deadline cell; never raises for any cell content (``reference`` must be a date)."""
    if isinstance(reference, datetime):
        reference = reference.date()
    if isinstance(text, datetime):
        text = text.date()
    if isinstance(text, date):  # a real date cell
        return Deadline(f"{text.day:02d}/{text.month:02d}/{text.year:04d}", DeadlineKind.DATE, text)
    raw = _cell_text(text)
    return _read_cached(raw, reference) if len(raw) <= _CACHED_CHARACTERS else _read(raw, reference)


def _read(raw: str, reference: date) -> Deadline:
    norm = _normalise(raw)
    if not norm:
        return Deadline(raw, DeadlineKind.UNKNOWN)
    try:
        kind, due, every = (
            _recurring(norm, reference)
            or ((DeadlineKind.ONGOING, None, None) if _RE_ONGOING.search(norm) else None)
            or ((DeadlineKind.UNSCHEDULED, None, None) if _RE_UNSCHEDULED.search(norm) else None)
            or _counted(norm, reference)
            or _dated(norm, reference)
            or _period(norm, reference)
            or _UNKNOWN
        )
    except (ValueError, OverflowError):  # a due date past date.max (reference in year 9999)
        kind, due, every = _UNKNOWN
    return Deadline(raw, kind, due, every)


# An appendix repeats a few deadline phrases over thousands of rows (1,060 distinct cells in 20,000):
# each is read once per reference date. The key is the cell's text, so 1, 1.0 and True cannot share a
# reading; a long cell is no deadline phrase worth keeping in memory.
_CACHED_CHARACTERS = 300
_read_cached = lru_cache(maxsize=4096)(_read)


def _anchor_day(deadline: Deadline) -> int:
    """Day of month a series keeps: a printed day ("ngày 30 hằng tháng"), else month end, else due.day."""
    due = deadline.due
    is_month_end = due == month_end(due.year, due.month)
    text = _normalise(deadline.text)
    printed = [day for day, _m, _y in _day_months(text)] + [int(m.group(1)) for m in _RE_DAY.finditer(text)]
    # Trust a printed day only if it explains due (29/2 clamps to 28 in common years); of several,
    # the latest ("30/6 và 31/12 hằng năm" keeps month ends).
    explaining = [day for day in printed if day == due.day or (is_month_end and due.day < day <= 31)]
    if explaining:
        return max(explaining)
    return 31 if is_month_end else due.day


def occurrences(deadline: Deadline, until: date) -> list[date]:
    """Due dates of a recurring deadline from ``deadline.due`` up to and including ``until``,
    stepping by its recurrence and keeping its day (month ends stay month ends, the 20th stays the
    20th, 30 Nov stays 30 Nov). A date or period deadline gives ``[due]`` whatever ``until``;
    other kinds ``[]``."""
    step = _STEP_MONTHS.get(deadline.every)  # kind/every may be plain strings read from the database
    if deadline.due is None:
        return []
    if deadline.kind != DeadlineKind.RECURRING or step is None:
        return [deadline.due] if deadline.kind in (DeadlineKind.DATE, DeadlineKind.PERIOD) else []
    day, result = _anchor_day(deadline), []
    while (due := _shift(deadline.due, step * len(result), day)) is not None and due <= until:
        result.append(due)
    return result


def next_due(deadline: Deadline, on: date) -> date | None:
    """First due date on or after ``on`` (a passed one-off deadline gives None)."""
    step = _STEP_MONTHS.get(deadline.every)
    if deadline.kind != DeadlineKind.RECURRING or step is None or deadline.due is None:
        return next((due for due in occurrences(deadline, on) if due >= on), None)
    day = _anchor_day(deadline)
    # Start one step before the month of ``on``: a series may run for decades before it.
    k = max(0, ((on.year - deadline.due.year) * 12 + on.month - deadline.due.month) // step - 1)
    while (due := _shift(deadline.due, step * k, day)) is not None and due < on:
        k += 1
    return due


def period_of(every, due: date) -> tuple[int, int]:
    """The calendar period of a series stepping by ``every`` that ends in the month of ``due``, as
    ``(year, index)``: index 1 for a year, 1-2 for a half, 1-4 for a quarter, 1-12 for a month.
    "Hằng quý, trước ngày 15 tháng cuối quý" due 15/09/2025 is the third quarter of 2025."""
    months = _STEP_MONTHS[Recurrence(every)]
    return due.year, (due.month - 1) // months + 1


_RE_ORIENTATION = re.compile(r"\b(?:dinh huong|tam nhin)(?: den)?(?: nam)? \d{4}\b")
_RE_HORIZON = re.compile(r"\b(?:den nam |giai doan |nam )?(\d{4})-(\d{4})\b|\bden nam (\d{4})\b")
_RE_TITLE_YEAR = re.compile(r"\bnam (\d{4})\b")


def printed_horizon(title: str) -> int | None:
    """The last year a plan's title says it runs to: "giai đoạn 2024 - 2026" → 2026, "đến năm
    2025, định hướng đến năm 2030" → 2025 (an orientation is no deadline), "… năm 2024" → 2024;
    None when the title names no year."""
    text = _RE_ORIENTATION.sub(" ", _normalise(title or ""))
    years = [int(m.group(2) or m.group(3)) for m in _RE_HORIZON.finditer(text)]
    years = years or [int(m.group(1)) for m in _RE_TITLE_YEAR.finditer(text)]
    plausible = [year for year in years if _plausible(year)]
    return max(plausible) if plausible else None
