"""The calendar words of Vietnamese plans: one grammar for deadline cells and report periods.

Pure Python, no Django. ``tasks.deadlines`` reads a deadline cell with it and ``reports.periods``
a report period, so the two cannot read the same words differently ("Sáu tháng đầu năm 2025" is the
first half of 2025 for both).

- :func:`normalise` folds a phrase: NFKD, casefold, accents stripped, đ→d (and the legacy-font "Ð"),
  punctuation to spaces, "." between digits to "/" ("15.5.2024"), no spaces around "/" and "-".
- :func:`scan` finds the periods a normalised phrase names, in printed order, as :class:`Mention`:
  a half ("6/06/Sáu tháng đầu/cuối năm", "Nửa đầu năm", "H1/2025"), a quarter (Roman I-IV or 1-4,
  "Q3/2025", "Quý 3 năm 2025", the old spelling "Quí", "3 tháng đầu/cuối năm"), a month ("Tháng
  9/2025", "tháng 12 năm 2025", "T12/2025", a bare "12/2025"; "9 tháng đầu năm" ends with the
  ninth) or a year standing alone ("Năm 2025", both ends of "2026-2027").
  Lists share the quarter or month word: "Quý III, IV/2026", "Quý I-II/2025", "Tháng 01 và tháng
  12/2026", "Tháng 10 - 12/2024".
- :func:`resolve` gives every mention its year: the one printed with it, else that of the next
  item of its list ("Quý III, IV/2026"), else the nearest year printed before it ("Năm 2025 (Quý
  IV)"), else the next year printed after it ("Quý IV và năm 2025"), else a default (the plan's
  year). A standalone year lent to a period this way is no period of its own; one that is not
  ("Quý IV/2026, 2027") remains a year.
- :func:`single_period` reads a phrase that is exactly one period with its year (a report period).
"""

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
HALVES = {"dau": 1, "cuoi": 2, "1": 1, "2": 2}
# Months in each unit; a unit's ``index`` ends in month ``index * MONTHS[unit]``.
YEAR, HALF, QUARTER, MONTH = "year", "half", "quarter", "month"
MONTHS = {YEAR: 12, HALF: 6, QUARTER: 3, MONTH: 1}

# Fragments for patterns on normalised text (ascii lower case, single spaces, none around "/", "-").
QUARTER_NO = r"(?:iv|i{1,3}|[1-4])"
QUARTER_WORD = r"(?:qu[yi] ?|q ?)"  # "quý", the pre-reform "quí", "Q3", "Q.3"
SIX = r"(?:0?6|sau)"  # "6", "06", "Sáu" (six) months
THREE = r"(?:0?3|ba)"  # "3", "03", "ba" (three) months


def _year(name: str) -> str:
    """An optional year after a period: "/2024", "-2024", " năm 2024", " 2024"."""
    return rf"(?:(?:/|-| nam | )(?P<{name}>\d{{4}})\b)?"


_RE_PERIOD = re.compile(
    rf"\b(?:{SIX} thang|nua) (?P<half>dau|cuoi)(?: nam\b)?(?:(?:/|-| )(?P<half_y>\d{{4}})\b)?"
    # "3/9 tháng đầu năm": the first quarter, the first nine months; "3 tháng cuối năm": the fourth.
    r"|\b(?P<count>0?3|ba|0?9|chin) thang (?P<count_part>dau|cuoi)(?: nam\b)?"
    r"(?:(?:/|-| )(?P<count_y>\d{4})\b)?"
    r"|\bh(?P<hcode>[12])(?:/|-| nam | )(?P<hcode_y>\d{4})\b"
    rf"|\b{QUARTER_WORD}(?P<quarter>{QUARTER_NO})\b{_year('quarter_y')}"
    rf"|\bthang (?P<month>\d{{1,2}})\b{_year('month_y')}"
    r"|\bt(?P<t_month>\d{1,2})/(?P<t_month_y>\d{4})\b"  # "T12/2025"
    r"|(?<![\w/-])(?P<bare_month>\d{1,2})/(?P<bare_month_y>\d{4})(?![\w/])"
    r"|(?:\bnam )?(?<![\w/])(?P<year>\d{4})(?![\w/])"
)
_LIST_SEP = r"(?: va | |-| den | toi )"
# The next item of a list after a quarter or a month: "Quý III, IV/2026", "Tháng 01 và tháng 12".
_RE_NEXT_QUARTER = re.compile(
    rf"{_LIST_SEP}(?:{QUARTER_WORD})?(?P<quarter>{QUARTER_NO})\b{_year('quarter_y')}")
# After an item printed with its year, only a Roman numeral goes on the list ("Quý III/2025, IV/2026"):
# a digit there is more likely a count ("Quý IV/2025, 2 lần").
_RE_NEXT_ROMAN = re.compile(rf"{_LIST_SEP}(?:{QUARTER_WORD})?(?P<quarter>iv|i{{1,3}})\b{_year('quarter_y')}")
_RE_NEXT_MONTH = re.compile(
    rf"{_LIST_SEP}(?:thang )?(?P<month>\d{{1,2}})\b(?![/-]\d{{1,2}}\b){_year('month_y')}")


@dataclass(frozen=True)
class Mention:
    """A period named in a phrase: ``unit`` (year/half/quarter/month), its ``index`` in the year (1
    for a year, 1-2, 1-4, 1-12; not checked), the ``year`` printed with it or None, and where it
    stands in the normalised text (``start``, ``end``)."""

    unit: str
    index: int
    year: int | None
    start: int
    end: int


def normalise(text: str) -> str:
    """Fold a phrase so case, NFC/NFD, old/new tone placement, accents and punctuation do not matter."""
    # "ð" (eth) stands in for "đ" in text converted from legacy TCVN3/VNI fonts.
    text = unicodedata.normalize("NFKD", (text or "").casefold().replace("đ", "d").replace("ð", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en/em dashes in "2024 – 2025"
    text = re.sub(r"(?<=\d)\.(?=\d)", "/", text)  # "15.5.2024"
    text = re.sub(r"[^a-z0-9/-]+", " ", text)
    return re.sub(r" ?([/-]) ?", r"\1", text).strip(" /-")


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


def unit_end(unit: str, index: int, year: int) -> date:
    """Last day of the ``index``-th ``unit`` of ``year``; ValueError if there is no such period."""
    if not 1 <= index <= 12 // MONTHS[unit]:
        raise ValueError(f"no such period: {unit} {index} of {year}")
    return month_end(year, index * MONTHS[unit])


def _int(value):
    return int(value) if value is not None else None


def _mention(m: re.Match, start: int | None = None) -> Mention:
    g = m.groupdict()
    start = m.start() if start is None else start
    if g.get("half"):
        return Mention(HALF, HALVES[g["half"]], _int(g["half_y"]), start, m.end())
    if g.get("count"):
        months = 3 if g["count"] in ("3", "03", "ba") else 9
        last = months if g["count_part"] == "dau" else 12
        unit, index = (QUARTER, last // 3) if months == 3 else (MONTH, last)
        return Mention(unit, index, _int(g["count_y"]), start, m.end())
    if g.get("hcode"):
        return Mention(HALF, int(g["hcode"]), int(g["hcode_y"]), start, m.end())
    if g.get("quarter"):
        return Mention(QUARTER, QUARTERS[g["quarter"]], _int(g["quarter_y"]), start, m.end())
    if g.get("month"):
        return Mention(MONTH, int(g["month"]), _int(g["month_y"]), start, m.end())
    if g.get("t_month"):
        return Mention(MONTH, int(g["t_month"]), int(g["t_month_y"]), start, m.end())
    if g.get("bare_month"):
        return Mention(MONTH, int(g["bare_month"]), int(g["bare_month_y"]), start, m.end())
    return Mention(YEAR, 1, int(g["year"]), start, m.end())


def scan(text: str) -> list[Mention]:
    """The periods a normalised phrase names, in printed order (see the module docstring)."""
    found, pos = [], 0
    while m := _RE_PERIOD.search(text, pos):
        mention = _mention(m)
        found.append(mention)
        pos = m.end()
        if mention.unit not in (QUARTER, MONTH) or m["bare_month"]:
            continue
        while n := _next_item(mention, text, pos):
            mention = _mention(n, n.start() + 1)
            found.append(mention)
            pos = n.end()
    return found


def _next_item(previous: Mention, text: str, pos: int) -> re.Match | None:
    """The next item of a quarter or month list at ``pos``; a month list ends at its first year."""
    if previous.unit == QUARTER:
        return (_RE_NEXT_QUARTER if previous.year is None else _RE_NEXT_ROMAN).match(text, pos)
    return _RE_NEXT_MONTH.match(text, pos) if previous.year is None else None


def resolve(mentions: list[Mention], default_year: int) -> list[tuple[str, int, int]]:
    """``(unit, index, year)`` of every period in ``mentions`` with its year settled (see the module
    docstring); a standalone year lent to a period is left out."""
    years = [m.year for m in mentions]
    for i in reversed(range(len(mentions) - 1)):  # "Quý I, II, III/2025": right to left along a list
        if years[i] is None and mentions[i + 1].unit != YEAR and years[i + 1] is not None:
            years[i] = years[i + 1]
    lent = set()
    for i in range(len(mentions)):
        if years[i] is not None:
            continue
        before = next((j for j in range(i - 1, -1, -1) if years[j] is not None), None)
        after = next((j for j in range(i + 1, len(mentions)) if years[j] is not None), None)
        source = before if before is not None else after
        years[i] = default_year if source is None else years[source]
        if source is not None and mentions[source].unit == YEAR:
            lent.add(source)
    return [(m.unit, m.index, years[i]) for i, m in enumerate(mentions) if i not in lent]


def single_period(text: str) -> tuple[str, int, int] | None:
    """``(unit, index, year)`` when the whole of ``text`` is one period printed with its year ("Quý
    III năm 2024", "Sáu tháng đầu năm 2025", "Năm 2025"), else None. Index and year are not checked."""
    norm = normalise(text)
    mentions = scan(norm)
    if len(mentions) != 1:
        return None
    (mention,) = mentions
    if mention.year is None or (mention.start, mention.end) != (0, len(norm)):
        return None
    return mention.unit, mention.index, mention.year
