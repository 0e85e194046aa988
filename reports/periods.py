"""Reporting periods and their data cut-off (pure Python, no Django).

``parse_period("2024-Q3")`` gives a :class:`Period`: its calendar dates, a Vietnamese label
("Quý III năm 2024"), the previous period and the same period a year earlier. Besides the codes
("2024", "2024-Q3", "2024-H1", "2024-01-01:2024-06-30") it reads periods as Vietnamese users write
them, with or without accents: "Năm 2024", "Q3/2024", "Quý 3/2024", "Quý III năm 2024", "6 tháng
đầu năm 2024", "Sáu tháng cuối năm 2024", "01/01/2024:30/06/2024", "01/01/2024 - 30/06/2024", and
every label it prints. Periods in words are read by :mod:`tasks.period_grammar`, the grammar deadline
cells are read with, so a report period and a deadline cannot read the same words differently.

Decree 09/2019/NĐ-CP, Article 12, fixes the data window of periodic reports: a quarter runs from
the 15th of the month before the quarter to the 14th of its last month; six months from 15 December
of the year before to 14 June; a year from 15 December of the year before to 14 December. The
deadline for sending is left to whoever sets the reporting regime. ``Period.window(cutoff_day,
due_day)`` applies both, with those defaults (see :class:`reports.models.ReportSettings`). A date
range ("2024-01-01:2024-06-30") has no decree window: its data runs over the range itself.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from tasks.period_grammar import (
    HALF,
    MONTHS,
    QUARTER,
    QUARTER_NO,
    QUARTERS,
    ROMAN,
    YEAR,
    month_end,
    single_period,
)

DEFAULT_CUTOFF_DAY = 14  # Decree 09/2019/NĐ-CP, Article 12
DEFAULT_DUE_DAY = 18  # our default for agencies to send, in the period's last month
# The years a report may cover. Outside them a period is a typing slip ("0224", "9999-Q4"), and
# the dates around it (the previous period, the window's first day) may not exist.
FIRST_YEAR, LAST_YEAR = 2000, 2100

# All patterns run on folded text (see ``_fold``): lower case, no accents, "đ" as "d", single spaces,
# none around "/", "-" and ":". Periods in words ("Quý III năm 2024", "Sáu tháng đầu năm 2024") are
# read by tasks.period_grammar, the grammar deadline cells are read with.
_RE_CODE = re.compile(r"(?P<year>\d{4})(?:-q(?P<q>[1-4])|-h(?P<h>[12]))?")  # "2024", "2024-Q3", "2024-H1"
# The English interface's labels: "Year 2024", "Quarter III of 2024", "First half of 2024".
_RE_ENGLISH = re.compile(
    r"year (?P<year>\d{4})"
    rf"|quarter (?P<q>{QUARTER_NO})(?:[/.-]| of | )(?P<q_year>\d{{4}})"
    r"|(?P<h>first|second) half(?: of)? (?P<h_year>\d{4})"
)
_ENGLISH_HALVES = {"first": 1, "second": 2}
_DATE = r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"  # ISO, or day first as Vietnamese write it
_RE_RANGE = re.compile(
    rf"(?:(?:tu|from) (?:ngay )?)?(?P<start>{_DATE})(?::|-| den (?:ngay )?| to )(?P<end>{_DATE})"
)


class PeriodError(ValueError):
    """The text names no reporting period."""


@dataclass(frozen=True)
class Window:
    """Where a period's data starts and stops (the cut-off), and when the report is due."""

    start: datetime.date
    cutoff: datetime.date
    due: datetime.date

    def figures_day(self, today):
        """The day a report's figures are taken: the data cut-off, or today before it has come."""
        return min(self.cutoff, today)


@dataclass(frozen=True)
class Period:
    """A reporting period: a year, a half, a quarter (``months`` 12, 6, 3) or a date range (0)."""

    start: datetime.date
    end: datetime.date
    months: int = 0

    @property
    def code(self):
        """The text ``parse_period`` reads back: "2024", "2024-H1", "2024-Q3" or "start:end"."""
        year = self.start.year
        if self.months == 12:
            return str(year)
        if self.months == 6:
            return f"{year}-H{self.end.month // 6}"
        if self.months == 3:
            return f"{year}-Q{self.end.month // 3}"
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def label(self):
        """The period as a Vietnamese report names it: the documents' wording, whatever the interface
        language (pages name periods with :func:`reports.labels.period_label`)."""
        year = self.start.year
        if self.months == 12:
            return f"Năm {year}"
        if self.months == 6:
            half = "đầu" if self.end.month == 6 else "cuối"
            return f"6 tháng {half} năm {year}"
        if self.months == 3:
            return f"Quý {ROMAN[self.end.month // 3]} năm {year}"
        return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    def previous(self):
        """The period just before: the previous quarter, half or year; a range of the same length."""
        if self.months:
            return _calendar_period(_add_months(self.start, -self.months), self.months)
        length = self.end - self.start
        end = self.start - datetime.timedelta(days=1)
        return Period(end - length, end)

    def year_before(self):
        """The same period a year earlier."""
        if self.months:
            return _calendar_period(_add_months(self.start, -12), self.months)
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def window(self, cutoff_day=DEFAULT_CUTOFF_DAY, due_day=DEFAULT_DUE_DAY):
        """The data window and due date: Decree 09's cut-off on ``cutoff_day`` of the period's last
        month (the window opens the day after the previous period's cut-off), the report due on
        ``due_day`` of that month. A date range: its own dates, due as many days after its end."""
        if not self.months:
            return Window(self.start, self.end, self.end + datetime.timedelta(days=due_day - cutoff_day))
        cutoff = self.end.replace(day=cutoff_day)
        opens = _add_months(self.start, -1).replace(day=cutoff_day) + datetime.timedelta(days=1)
        return Window(opens, cutoff, self.end.replace(day=due_day))

    def as_dict(self, window=None, as_of=None):
        """JSON-ready description, with the window's dates when given, and ``as_of``, the day the
        figures were taken (the cut-off, or the day the report was made if that came first)."""
        data = {"code": self.code, "label": self.label, "start": self.start.isoformat(),
                "end": self.end.isoformat()}
        if window:
            data.update(window_start=window.start.isoformat(), cutoff=window.cutoff.isoformat(),
                        due=window.due.isoformat(), as_of=(as_of or window.cutoff).isoformat())
        return data


def quarter_of(day):
    """The calendar quarter ``day`` falls in."""
    return _calendar_period(datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), 3)


def year_of(day):
    return _calendar_period(datetime.date(day.year, 1, 1), 12)


def parse_period(text):
    """Read a period; :class:`PeriodError` when the text names none.

    Years: "2024", "Năm 2024". Quarters: "2024-Q3", "Q3/2024", "Quý 3/2024", "Quý III/2024", "Quý
    III năm 2024", "3 tháng đầu năm 2024" (the first quarter). Halves: "2024-H1", "H1/2024", "6 (06,
    Sáu) tháng đầu năm 2024", "6 tháng cuối năm 2024", "Nửa đầu năm 2024". A month is no period.
    Date ranges: "2024-01-01:2024-06-30", "01/01/2024:30/06/2024", "01/01/2024 - 30/06/2024", "Từ
    ngày 01/01/2024 đến ngày 30/06/2024". The English interface's labels too ("Year 2024", "Quarter
    III of 2024", "First half of 2024", "From 01/01/2024 to 30/06/2024"). Case, accents and spaces
    do not matter. A period outside the years FIRST_YEAR to LAST_YEAR is refused, in Vietnamese
    (build_report prints the message; pages name the years in their own)."""
    try:
        period = _parse(_fold(text), text or "")
    except ValueError as error:  # a day or a month that does not exist, year 0
        raise PeriodError(f"no such date in {text!r}") from error
    if period is None:
        raise PeriodError(f"not a period: {text!r}")
    if period.end < period.start:
        raise PeriodError(f"the range {text!r} ends before it starts")
    if period.start.year < FIRST_YEAR or period.end.year > LAST_YEAR:
        raise PeriodError(f"Kỳ báo cáo “{text}” nằm ngoài các năm {FIRST_YEAR}–{LAST_YEAR}.")
    return period


def _parse(text, printed):
    """The period ``text`` (``printed`` folded) names, or None."""
    if m := _RE_CODE.fullmatch(text):
        if m["q"]:
            return _calendar_period(datetime.date(int(m["year"]), 3 * int(m["q"]) - 2, 1), 3)
        if m["h"]:
            return _calendar_period(datetime.date(int(m["year"]), 6 * int(m["h"]) - 5, 1), 6)
        return _calendar_period(datetime.date(int(m["year"]), 1, 1), 12)
    if m := _RE_RANGE.fullmatch(text):
        return Period(_date(m["start"]), _date(m["end"]))
    if m := _RE_ENGLISH.fullmatch(text):
        if m["q"]:
            return _calendar_period(datetime.date(int(m["q_year"]), 3 * QUARTERS[m["q"]] - 2, 1), 3)
        if m["h"]:
            return _calendar_period(datetime.date(int(m["h_year"]), 6 * _ENGLISH_HALVES[m["h"]] - 5, 1), 6)
        return _calendar_period(datetime.date(int(m["year"]), 1, 1), 12)
    read = single_period(printed)
    if read is None or read[0] not in (YEAR, HALF, QUARTER):  # a month is no reporting period
        return None
    unit, index, year = read
    months = MONTHS[unit]
    return _calendar_period(datetime.date(year, months * (index - 1) + 1, 1), months)


def _fold(text):
    """Lower case without accents ("đ" as "d"), dashes as "-", single spaces, none around "/", "-"
    or ":" (so "01/01/2024 – 30/06/2024" and "Quý III / 2024" read as they are meant)."""
    text = unicodedata.normalize("NFKD", (text or "").casefold().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en and em dashes
    text = " ".join(text.split())
    return re.sub(r" ?([/:-]) ?", r"\1", text)


def _date(text):
    """A date written ISO ("2024-06-30") or day first ("30/06/2024", "30-6-2024", "30.6.2024")."""
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        year, month, day = text.split("-")
    else:
        day, month, year = re.split(r"[/.-]", text)
    return datetime.date(int(year), int(month), int(day))


def _calendar_period(start, months):
    end_month = _add_months(start, months - 1)
    return Period(start, month_end(end_month.year, end_month.month), months)


def _add_months(day, months):
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _year_earlier(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
