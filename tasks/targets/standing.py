"""Where a plan's targets stand for a period: the latest value accepted for it, judged against the
promise (met, not met, not reported), and the trend of the values accepted so far against the
deadline. Two queries for any number of targets; every page, report and export calls
:func:`standings`."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from tasks.targets import judging
from tasks.targets.judging import AT_RISK, MET, NO_TREND, NOT_MET, NOT_REPORTED, ON_TRACK, Point
from tasks.targets.models import ReportStatus, TargetReport

# What pages, documents and exports call the states and trends.
STATE_LABELS = {MET: _("Met"), NOT_MET: _("Not met"), NOT_REPORTED: _("Not reported")}
TREND_LABELS = {ON_TRACK: _("On track"), AT_RISK: _("At risk"), NO_TREND: "—"}


@dataclass(frozen=True)
class Standing:
    target: object
    value: object  # Decimal accepted for the period, or None
    reported_for: object  # the end of the period the value was reported for
    state: str  # judging.MET, NOT_MET, NOT_REPORTED
    trend: str  # judging.ON_TRACK, AT_RISK, NO_TREND
    awaiting: bool  # a value waits for acceptance


def _accepted_within(start, end):
    return TargetReport.objects.filter(
        target=OuterRef("pk"), status=ReportStatus.ACCEPTED, period_end__gte=start, period_end__lte=end
    ).order_by("-period_end", "-reviewed_at", "-pk")


def standings(targets, start, end):
    """One :class:`Standing` per target of the ``targets`` queryset for the period ``start``–``end``:
    the value accepted for the latest period ending within it."""
    accepted = TargetReport.objects.filter(status=ReportStatus.ACCEPTED, period_end__lte=end)
    accepted = accepted.order_by("period_end")
    latest = _accepted_within(start, end)
    rows = (
        targets.select_related("plan", "reporting_agency")
        .annotate(
            accepted_value=Subquery(latest.values("value")[:1]),
            accepted_for=Subquery(latest.values("period_end")[:1]),
            awaiting=Exists(TargetReport.objects.filter(target=OuterRef("pk"), status=ReportStatus.AWAITING)),
        )
        .prefetch_related(Prefetch("reports", queryset=accepted, to_attr="accepted_reports"))
    )
    return [_standing(target) for target in rows]


def standings_on(targets, day):
    """Where the targets stand on ``day``: on the value accepted for the latest period begun by then
    (a value for this quarter or this year counts before the period ends)."""
    return standings(targets, datetime.date.min, datetime.date(day.year, 12, 31))


def _standing(target):
    promise = (target.comparator, target.value, target.value_max)
    points = [Point(report.period_end, report.value) for report in target.accepted_reports]
    baseline_day = target.plan.issued_on or target.plan.reference_date
    baseline = Point(baseline_day, target.baseline) if target.baseline is not None else None
    return Standing(
        target=target,
        value=target.accepted_value,
        reported_for=target.accepted_for,
        state=judging.state(*promise, target.accepted_value),
        trend=judging.trend(*promise, points, target.due, baseline),
        awaiting=target.awaiting,
    )


def count_states(items):
    """``{"total", "met", "not_met", "not_reported", "awaiting"}`` over :class:`Standing`s."""
    counts = {"total": len(items), MET: 0, NOT_MET: 0, NOT_REPORTED: 0, "awaiting": 0}
    for item in items:
        counts[item.state] += 1
        counts["awaiting"] += item.awaiting
    return counts
