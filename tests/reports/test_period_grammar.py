"""One period grammar (tasks.period_grammar) for deadline cells and report periods."""

import datetime

import pytest

from reports import periods
from reports.periods import PeriodError, parse_period
from tasks import deadlines, period_grammar
from tasks.deadlines import parse_deadline
from tasks.period_grammar import Mention, normalise, resolve, scan, single_period

D = datetime.date
REF = D(2024, 4, 8)

# Phrases a report period and a deadline cell may both print.
SHARED = [
    ("Năm 2025", D(2025, 12, 31)),
    ("năm 2025", D(2025, 12, 31)),
    ("2025", D(2025, 12, 31)),
    ("Quý III/2025", D(2025, 9, 30)),
    ("Quý III năm 2025", D(2025, 9, 30)),
    ("QUÝ IV NĂM 2025", D(2025, 12, 31)),
    ("quý 3/2025", D(2025, 9, 30)),
    ("Quí 1-2025", D(2025, 3, 31)),
    ("quy ii nam 2025", D(2025, 6, 30)),
    ("Q3/2025", D(2025, 9, 30)),
    ("Q.3/2025", D(2025, 9, 30)),
    ("q3 2025", D(2025, 9, 30)),
    ("6 tháng đầu năm 2025", D(2025, 6, 30)),
    ("06 tháng đầu năm 2025", D(2025, 6, 30)),
    ("Sáu tháng đầu năm 2025", D(2025, 6, 30)),
    ("sau thang dau nam 2025", D(2025, 6, 30)),
    ("6 tháng cuối năm 2025", D(2025, 12, 31)),
    ("Sáu tháng cuối năm 2025", D(2025, 12, 31)),
    ("Nửa đầu năm 2025", D(2025, 6, 30)),
    ("H1/2025", D(2025, 6, 30)),
    ("H2/2025", D(2025, 12, 31)),
    ("3 tháng đầu năm 2025", D(2025, 3, 31)),
    ("Ba tháng cuối năm 2025", D(2025, 12, 31)),
]


@pytest.mark.parametrize(("text", "end"), SHARED, ids=[text for text, _end in SHARED])
def test_report_period_and_deadline_read_the_same_end(text, end):
    deadline = parse_deadline(text, REF)

    assert (parse_period(text).end, deadline.kind, deadline.due) == (end, "period", end)


def test_six_months_spelled_out_no_longer_disagree():
    # Before the shared grammar the deadline read "Sáu tháng đầu năm 2025" as the whole year.
    assert parse_deadline("Sáu tháng đầu năm 2025", REF).due == parse_period("Sáu tháng đầu năm 2025").end


def test_both_modules_use_the_grammar():
    assert periods.single_period is period_grammar.single_period
    assert deadlines.scan is period_grammar.scan and deadlines._normalise is period_grammar.normalise
    assert deadlines.ROMAN is periods.ROMAN is period_grammar.ROMAN


@pytest.mark.parametrize(("text", "code"), [
    ("06 tháng cuối năm 2025", "2025-H2"),
    ("Nửa cuối năm 2025", "2025-H2"),
    ("3 tháng đầu năm 2025", "2025-Q1"),
    ("Q 4/2025", "2025-Q4"),
])
def test_report_periods_read_the_new_spellings(text, code):
    assert parse_period(text).code == code


@pytest.mark.parametrize("text", [
    "Tháng 9/2025",  # a month is no reporting period
    "9 tháng đầu năm 2025",
    "Quý III, IV/2025",  # two periods
    "Hoàn thành trong Quý II/2025",  # a deadline's words, not a period
    "Năm 2025 (Quý IV)",
    "Quý IV",
])
def test_report_period_refuses_what_is_not_one_period(text):
    with pytest.raises(PeriodError):
        parse_period(text)


# The grammar itself.


def test_normalise_folds_case_accents_and_punctuation():
    assert normalise("  QUÝ III / 2025.") == "quy iii/2025"
    assert normalise("Ðịnh kỳ 15.5.2024 – 2025") == "dinh ky 15/5/2024-2025"


def test_scan_reads_a_list_in_printed_order():
    text = normalise("Quý III, IV/2026, 2027")
    assert [(m.unit, m.index, m.year) for m in scan(text)] == [
        ("quarter", 3, None), ("quarter", 4, 2026), ("year", 1, 2027),
    ]


@pytest.mark.parametrize(("text", "resolved"), [
    ("Quý III, IV/2026", [("quarter", 3, 2026), ("quarter", 4, 2026)]),
    ("Quý IV/2026, 2027", [("quarter", 4, 2026), ("year", 1, 2027)]),
    ("Năm 2025 (Quý IV)", [("quarter", 4, 2025)]),
    ("Quý IV và năm 2025", [("quarter", 4, 2025)]),
    ("Tháng 01 và tháng 12/2026", [("month", 1, 2026), ("month", 12, 2026)]),
    ("Quý II", [("quarter", 2, 2024)]),
])
def test_resolve_gives_each_period_its_year(text, resolved):
    assert resolve(scan(normalise(text)), 2024) == resolved


def test_single_period_needs_the_whole_text_and_a_year():
    assert single_period("Sáu tháng đầu năm 2025") == ("half", 1, 2025)
    assert single_period("Quý 3") is None
    assert single_period("Q3/25") is None
    assert single_period("6 tháng 2025") is None


def test_mention_keeps_its_place():
    assert scan("nam 2025") == [Mention("year", 1, 2025, 0, 8)]
