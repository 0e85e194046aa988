"""Read the "Thời hạn" (deadline) cell of a Vietnamese plan appendix.

Pure Python, no Django: ``parse_deadline(text, reference)`` turns a printed phrase into a
:class:`Deadline` (kind, due date, recurrence). ``reference`` is the plan's issue date: a phrase
without a year takes its year, and a recurring deadline's first due date is on or after it.

The phrase is normalised first (NFKD, casefold, accents stripped, đ→d, punctuation to spaces, no
spaces around "/" and "-"), so case, NFC/NFD, old/new tone placement (hoá/hóa, qúy/quý), the
old spelling "quí", legacy-font "Ð" for "Đ" and stray punctuation do not matter.

Rule families, first match wins:

1. recurring  - "hằng/hàng/mỗi/định kỳ" + năm/quý/tháng, "định kỳ 6 tháng", "6 tháng một lần",
   "thường niên", "(năm 2024) và các năm tiếp theo". Recurrence wins over any period in the phrase.
   Yearly phrases may name an anchor: a day ("trước ngày 30/11 hằng năm"), a quarter ("Quý I hàng
   năm"), a half or a month ("Tháng 6 hằng năm"); monthly ones a day ("trước ngày 20 hằng tháng").
   due = first such date on/after the reference (or on/after 1 Jan of a start year in the phrase,
   "2024 và hằng năm"); otherwise the end of the year/half/quarter/month containing that date.
2. ongoing    - "thường xuyên", "liên tục", "hằng ngày", "24/7"...: no due date, even if a year is
   also printed ("Năm 2024 và thường xuyên"): the task never closes.
3. unscheduled - "theo lộ trình/kế hoạch/hướng dẫn/chỉ đạo/yêu cầu/tiến độ…", "khi có yêu cầu",
   "sau khi…": the schedule lives in another document. Dates printed in such a phrase usually are
   that document's number or issue date, so they are ignored.
4. date       - "ngày 15 tháng 5 năm 2024", "20/10/2026", "15/5" (reference year). An invalid or
   implausible date (31/2/2025, a year outside 1990-2100) makes the phrase unknown. "Trước ngày X"
   is due on X. Several dates: the latest.
5. period     - the finest of: half ("6 tháng đầu/cuối năm"), quarter (Roman I-IV or 1-4, "Q3/2024",
   and the misprint "Tháng Quý IV/2024"), month ("Tháng 9/2024", "12/2025"), then year, year range
   or horizon ("2024-2025", "Giai đoạn 2023-2025", "Đến năm 2030"). due = last day of the (latest)
   period; a missing year is the reference year. "Trước năm 2025" is read as 2025-12-31, like days.
6. unknown    - anything else, including empty cells.
"""

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime
from enum import StrEnum


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


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MIN_YEAR, MAX_YEAR = 1990, 2100  # a year printed in a plan outside this range is a typo
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_STEP_MONTHS = {Recurrence.MONTH: 1, Recurrence.QUARTER: 3, Recurrence.HALF: 6, Recurrence.YEAR: 12}
_UNKNOWN = (DeadlineKind.UNKNOWN, None, None)

# All patterns run on normalised text: ascii lower case, single spaces, none around "/" or "-".
_YEAR = r"(?:(?:/|-| nam | )(?P<y>\d{4})\b)?"  # optional "/2024", " năm 2024" after a quarter/month/half
# Days: one separator throughout ("15/5/2024", "15-5-2024"), so "Tháng 10-12/2024" is no day.
_RE_DMY = re.compile(r"(?<![\w/-])(?P<d>\d{1,2})(?P<sep>[/-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\w/-])")
_RE_NGAY_THANG = re.compile(r"\bngay (?P<d>\d{1,2}) thang (?P<m>\d{1,2})\b" + _YEAR)
_RE_DM = re.compile(r"(?<!thang )(?<!quy )(?<!qui )(?<![\w/-])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\w/-])")
_RE_DAY = re.compile(r"\bngay (\d{1,2})\b")
_RE_HALF = re.compile(r"\b(?:6 thang|nua) (dau|cuoi) nam\b" + _YEAR)
_RE_QUARTER = re.compile(r"\b(?:qu[yi] ?|q)(iv|i{1,3}|[1-4])\b" + _YEAR)  # "quí": pre-reform spelling
_RE_MONTH = re.compile(r"\bthang (\d{1,2})\b" + _YEAR)
_RE_MONTH_YEAR = re.compile(r"(?<![\w/])(\d{1,2})/(\d{4})(?![\w/])")  # bare "12/2025"
_RE_YEARS = re.compile(r"(?<![\w/])(\d{4})(?![\w/])")  # "2026", both ends of "2024-2025"
_EVERY = r"(?:hang|moi|tung|dinh ky)"  # hằng/hàng/mỗi/từng/định kỳ
_ONCE = r"(?:/| mot | 1 )lan"  # "6 tháng một lần", "quý 1 lần", "năm/lần"
# Checked in this order: "6 tháng một lần" also contains "tháng một lần".
_RECURRENCES = (
    (Recurrence.HALF, re.compile(rf"\b(?:{_EVERY} (?:6 thang|nua nam)|6 thang{_ONCE})\b")),
    (Recurrence.QUARTER, re.compile(rf"\b(?:{_EVERY} (?:qu[yi]|3 thang)|(?:qu[yi]|3 thang){_ONCE})\b")),
    (Recurrence.MONTH, re.compile(rf"\b(?:{_EVERY} thang|(?<!\d )thang{_ONCE})\b")),
    (Recurrence.YEAR, re.compile(
        rf"\b(?:{_EVERY} nam|thuong nien|nam{_ONCE}|(?:cac|nhung) nam (?:tiep theo|sau|ke tiep))\b")),
)
_RE_ONGOING = re.compile(
    r"\b(?:thuong xuyen|lien tuc|xuyen suot|thuong truc|(?:hang|moi) (?:ngay|tuan)|24/7)\b")
_RE_UNSCHEDULED = re.compile(
    r"\b(?:theo (?:lo trinh|ke hoach|huong dan|chi dao|yeu cau|tien do|quy dinh|van ban|thong bao"
    r"|de nghi|nhu cau|thuc te|quyet dinh|chuong trinh|de an|du an)"
    r"|khi (?:co|duoc|can|phat sinh)|sau khi|tuy (?:theo|thuoc))\b"
)


def month_end(year: int, month: int) -> date:
    """Last day of a month (handles leap years)."""
    return date(year, month, monthrange(year, month)[1])


def period_end(year: int, quarter: int | None = None, month: int | None = None,
               half: int | None = None) -> date:
    """Last day of the month, else quarter (1-4), else half (1-2), else year; ValueError if out of range."""
    if month is None:
        month = 3 * quarter if quarter is not None else 6 * half if half is not None else 12
    if not 1 <= month <= 12:
        raise ValueError(f"no such period: {year=} {quarter=} {month=} {half=}")
    return month_end(year, month)


def _normalise(text: str) -> str:
    # "ð" (eth) stands in for "đ" in text converted from legacy TCVN3/VNI fonts.
    text = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d").replace("ð", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en/em dashes in "2024 – 2025"
    text = re.sub(r"(?<=\d)\.(?=\d)", "/", text)  # "15.5.2024"
    text = re.sub(r"[^a-z0-9/-]+", " ", text)
    return re.sub(r" ?([/-]) ?", r"\1", text).strip(" /-")


def _plausible(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _with_year(rx: re.Pattern, text: str, default_year: int):
    """(value, year) per match of a two-group pattern; no year = the default, an implausible one drops it."""
    for m in rx.finditer(text):
        value, year = m.groups()
        if year is None:
            yield value, default_year
        elif _plausible(int(year)):
            yield value, int(year)


def _day_months(text: str):
    """(day, month, year or None) for every printed day, in any of the accepted spellings."""
    for rx in (_RE_DMY, _RE_NGAY_THANG, _RE_DM):
        for m in rx.finditer(text):
            year = m.groupdict().get("y")
            yield int(m["d"]), int(m["m"]), int(year) if year else None


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
        due = _yearly_anchor(text, floor)
    elif every == Recurrence.MONTH:
        day = int(m.group(1)) if (m := _RE_DAY.search(text)) else 31
        due = _next_on(floor, floor.month, day, step=1) if 1 <= day <= 31 else None
    else:  # the half or quarter containing floor
        step = _STEP_MONTHS[every]
        due = period_end(floor.year, month=step * ((floor.month - 1) // step + 1))
    return (DeadlineKind.RECURRING, due, every) if due else _UNKNOWN


def _yearly_anchor(text: str, floor: date) -> date | None:
    """Next printed day, else end of printed quarter/half/month, else 31 Dec, on or after ``floor``."""
    if printed := next(_day_months(text), None):
        day, month, _year = printed
        valid = 1 <= month <= 12 and 1 <= day <= monthrange(2000, month)[1]  # 2000 is leap: 29/2 exists
        return _next_on(floor, month, day) if valid else None
    if m := _RE_QUARTER.search(text):
        return _next_on(floor, 3 * _QUARTERS[m.group(1)])
    if m := _RE_HALF.search(text):
        return _next_on(floor, 6 if m.group(1) == "dau" else 12)
    if m := _RE_MONTH.search(text):
        return _next_on(floor, int(m.group(1))) if 1 <= int(m.group(1)) <= 12 else None
    return _next_on(floor, 12)


def _dated(text: str, ref: date):
    found = list(_day_months(text))
    if not found:
        return None
    if any(year is not None and not _plausible(year) for _d, _m, year in found):
        return _UNKNOWN
    try:
        return DeadlineKind.DATE, max(date(year or ref.year, month, day) for day, month, year in found), None
    except ValueError:  # 31/2/2025, 29/2/2023, 15/13/2024
        return _UNKNOWN


def _period(text: str, ref: date):
    # Finest family first: "Quý II năm 2025" must not fall through to the bare year 2025.
    families = (
        [period_end(y, half=1 if h == "dau" else 2) for h, y in _with_year(_RE_HALF, text, ref.year)],
        [period_end(y, quarter=_QUARTERS[q]) for q, y in _with_year(_RE_QUARTER, text, ref.year)],
        [period_end(y, month=int(m)) for rx in (_RE_MONTH, _RE_MONTH_YEAR)
         for m, y in _with_year(rx, text, ref.year) if 1 <= int(m) <= 12],
        [period_end(int(y)) for y in _RE_YEARS.findall(text) if _plausible(int(y))],
    )
    ends = next((ends for ends in families if ends), None)
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
    norm = _normalise(raw)
    if not norm:
        return Deadline(raw, DeadlineKind.UNKNOWN)
    try:
        kind, due, every = (
            _recurring(norm, reference)
            or ((DeadlineKind.ONGOING, None, None) if _RE_ONGOING.search(norm) else None)
            or ((DeadlineKind.UNSCHEDULED, None, None) if _RE_UNSCHEDULED.search(norm) else None)
            or _dated(norm, reference)
            or _period(norm, reference)
            or _UNKNOWN
        )
    except (ValueError, OverflowError):  # a due date past date.max (reference in year 9999)
        kind, due, every = _UNKNOWN
    return Deadline(raw, kind, due, every)


def _anchor_day(deadline: Deadline) -> int:
    """Day of month a series keeps: a printed day ("ngày 30 hằng tháng"), else month end, else due.day."""
    due = deadline.due
    is_month_end = due == month_end(due.year, due.month)
    text = _normalise(deadline.text)
    printed = [day for day, _m, _y in _day_months(text)] + [int(m.group(1)) for m in _RE_DAY.finditer(text)]
    for day in printed:  # trust it only if it explains due (29/2 clamps to 28 in common years)
        if day == due.day or (is_month_end and due.day < day <= 31):
            return day
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
