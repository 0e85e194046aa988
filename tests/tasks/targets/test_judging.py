"""Whether a reported value keeps a promise, and whether the trend reaches it by the deadline, checked
against an oracle written here from the plans' wording, independently of tasks.targets.judging."""

import datetime
import itertools
from decimal import Decimal

import pytest

from tasks.targets.judging import (
    AT_RISK,
    MET,
    NO_TREND,
    NOT_MET,
    NOT_REPORTED,
    ON_TRACK,
    Point,
    is_met,
    state,
)
from tasks.targets.judging import trend as judged_trend

D = Decimal


def oracle_met(comparator, value, value_max, reported):
    """ "tối thiểu 80" is 80 or more; "trên 80" strictly more; "không quá 5" 5 or less; "dưới 5" less;
    "bằng 5" exactly 5; "từ 3 đến 5" 3, 5 and everything between, whichever way it is printed."""
    if reported is None or value is None:
        return None
    low, high = (value, value_max) if value_max is not None else (value, value)
    low, high = min(low, high), max(low, high)
    return {
        ">=": reported >= value,
        ">": reported > value,
        "<=": reported <= value,
        "<": reported < value,
        "=": reported == value,
        "range": low <= reported <= high,
    }[comparator]


VALUES = [D("0"), D("5"), D("79.99"), D("80"), D("80.01"), D("100")]
CASES = [
    (comparator, value, value_max, reported)
    for comparator in (">=", ">", "<=", "<", "=")
    for value, reported in itertools.product([D("5"), D("80")], [*VALUES, None])
    for value_max in [None]
] + [
    ("range", low, high, reported)
    for low, high in [(D("3"), D("5")), (D("70"), D("80")), (D("5"), D("3"))]
    for reported in [*VALUES, D("3"), D("4.5"), D("70"), None]
]


@pytest.mark.parametrize(("comparator", "value", "value_max", "reported"), CASES)
def test_is_met_agrees_with_the_oracle(comparator, value, value_max, reported):
    assert is_met(comparator, value, value_max, reported) == oracle_met(
        comparator, value, value_max, reported
    )


@pytest.mark.parametrize(
    ("reported", "expected"), [(D("80"), MET), (D("79.5"), NOT_MET), (None, NOT_REPORTED)]
)
def test_state_of_at_least_80_percent(reported, expected):
    assert state(">=", D("80"), None, reported) == expected


def test_a_promise_without_a_figure_is_never_judged():
    assert state(">=", None, None, D("100")) == NOT_REPORTED


def test_floats_from_json_are_judged_as_printed():
    assert is_met(">=", 99.8, None, D("99.8")) is True


DUE = datetime.date(2026, 12, 31)


def day(month, dom=30):
    return datetime.date(2026, month, dom)


def test_nothing_reported_has_no_trend():
    assert judged_trend(">=", D("80"), None, [], DUE, baseline=Point(day(1, 1), D("40"))) == NO_TREND


def test_a_steady_rise_reaching_the_promise_by_the_deadline_is_on_track():
    # 50 at the end of March, 65 at the end of September: 15 in six months reaches 80 by the end of March
    # next year, not by December: at the pace of 2.5 a month it is 72.5 on 31 December.
    reported = [Point(day(3, 31), D("50")), Point(day(9), D("65"))]
    assert judged_trend(">=", D("80"), None, reported, DUE) == AT_RISK
    assert judged_trend(">=", D("70"), None, reported, DUE) == ON_TRACK


def test_the_baseline_gives_the_pace_of_a_single_value():
    baseline = Point(day(1, 1), D("20"))
    assert judged_trend(">=", D("80"), None, [Point(day(6), D("60"))], DUE, baseline) == ON_TRACK
    assert judged_trend(">=", D("80"), None, [Point(day(6), D("30"))], DUE, baseline) == AT_RISK


def test_a_single_value_short_of_the_promise_without_a_baseline_is_at_risk():
    assert judged_trend(">=", D("80"), None, [Point(day(6), D("60"))], DUE) == AT_RISK


def test_a_promise_already_kept_is_on_track():
    assert (
        judged_trend(">=", D("80"), None, [Point(day(3, 31), D("90")), Point(day(6), D("85"))], DUE)
        == ON_TRACK
    )


def test_a_falling_figure_meant_to_stay_low_is_on_track():
    reported = [Point(day(3, 31), D("9")), Point(day(6), D("7"))]
    assert judged_trend("<=", D("5"), None, reported, DUE) == ON_TRACK
    assert judged_trend("<=", D("5"), None, list(reversed(reported)), DUE) == ON_TRACK
    assert (
        judged_trend("<=", D("5"), None, [Point(day(3, 31), D("7")), Point(day(6), D("9"))], DUE) == AT_RISK
    )
