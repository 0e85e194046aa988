"""How a measured figure is judged: whether a reported value meets what was promised, and whether the
trend of the reported values reaches the promise by its deadline. Pure: no database.

A promise is a comparator of ``plans.measures`` (">=", ">", "=", "<=", "<", "range") with its value
(and upper bound for a range). A plan's "= 5" is read as "5, within rounding": figures are reported as
printed, so 5.0 and 5 are equal and 4.99 is not.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from plans.measures import EQ, GE, GT, LE, LT, RANGE

MET, NOT_MET, NOT_REPORTED = "met", "not_met", "not_reported"
ON_TRACK, AT_RISK, NO_TREND = "on_track", "at_risk", "no_trend"


def _number(value):
    return None if value is None else Decimal(str(value))


def is_met(comparator, value, value_max, reported):
    """True when ``reported`` keeps the promise ``comparator value [value_max]``; None when nothing is
    reported or the promise has no figure."""
    reported, value, value_max = _number(reported), _number(value), _number(value_max)
    if reported is None or value is None:
        return None
    if comparator == GE:
        return reported >= value
    if comparator == GT:
        return reported > value
    if comparator == LE:
        return reported <= value
    if comparator == LT:
        return reported < value
    if comparator == EQ:
        return reported == value
    if comparator == RANGE:
        upper = value_max if value_max is not None else value
        return min(value, upper) <= reported <= max(value, upper)
    return None


def state(comparator, value, value_max, reported):
    """``met``, ``not_met`` or ``not_reported`` for an accepted value (None: nothing accepted)."""
    met = is_met(comparator, value, value_max, reported)
    if met is None:
        return NOT_REPORTED
    return MET if met else NOT_MET


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: Decimal


def projected(points, due):
    """The value the straight line through the first and last ``points`` reaches on ``due``; the last
    value when they are one day or fewer; None without points."""
    points = sorted(points, key=lambda point: point.day)
    if not points:
        return None
    first, last = points[0], points[-1]
    span = (last.day - first.day).days
    if span <= 0 or due is None or due <= last.day:
        return last.value
    slope = (last.value - first.value) / span
    return last.value + slope * (due - last.day).days


def trend(comparator, value, value_max, reported, due, baseline=None):
    """``on_track`` when the values ``reported`` so far (``Point``s), from the ``baseline`` point when the
    plan prints one, reach the promise by ``due`` at their pace; ``at_risk`` when they do not;
    ``no_trend`` while nothing is reported. A promise already kept is on track."""
    reported = list(reported)
    if not reported:
        return NO_TREND
    latest = max(reported, key=lambda point: point.day).value
    reached = projected([*reported, *([baseline] if baseline else [])], due)
    if is_met(comparator, value, value_max, latest) or is_met(comparator, value, value_max, reached):
        return ON_TRACK
    return AT_RISK
