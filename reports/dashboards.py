"""Figures for the dashboards: per plan, month by month, and the agencies' ranking. Each is a
fixed number of SQL aggregates, whatever the number of tasks."""

import datetime

from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import TruncMonth

from reports.summary import CATEGORIES, DONE, add_up, grouped_counts, state_tally, tasks_in_period
from tasks.deadlines import month_end
from tasks.models import Task

TREND_MONTHS = 12


def plan_rows(tasks, period, on):
    """One row per plan: the six categories and the completion rate (one query)."""
    return list(grouped_counts(tasks_in_period(tasks, period, on), on, plan_pk=F("plan"),
                               number=F("plan__number")))


def month_ends(until, months=TREND_MONTHS):
    """The last ``months`` month ends up to ``until`` (the current month counts as of ``until``)."""
    ends = [until]
    day = until.replace(day=1)
    for _step in range(months - 1):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
        ends.append(month_end(day.year, day.month))
    return list(reversed(ends))


def monthly_trend(tasks, until):
    """Completion rate, overdue and completed tasks at each month end, as ``totals`` counts them on
    that day, in one query (a union of one :func:`~reports.summary.state_tally` per month end)."""
    ends = month_ends(until)
    tallies = [state_tally(tasks.with_state(day), day, month=Value(index, output_field=IntegerField()))
               for index, day in enumerate(ends)]
    months = {row["month"]: row for row in add_up(tallies[0].union(*tallies[1:], all=True), ["month"])}
    no_task = {**dict.fromkeys(CATEGORIES, 0), "completion_rate": None}
    trend = []
    for index, day in enumerate(ends):
        row = months.get(index, no_task)
        trend.append({"month": day.strftime("%m/%Y"), "completion_rate": row["completion_rate"],
                      "overdue": row["overdue"], "done": row["done_on_time"] + row["done_late"]})
    return trend


def due_and_done_by_month(tasks, on):
    """Per month: tasks falling due and tasks completed (two grouped queries)."""
    annotated = tasks.with_state(on)
    due = (annotated.filter(due_on__isnull=False).annotate(month=TruncMonth("due_on"))
           .values("month").annotate(n=Count("pk")).order_by())
    done = (annotated.filter(state__in=DONE).annotate(month=TruncMonth("completed_on"))
            .values("month").annotate(n=Count("pk"), late=Count("pk", filter=Q(state="done_late")))
            .order_by())
    months = {}
    for row in due:
        months.setdefault(row["month"], {"due": 0, "done": 0, "late": 0})["due"] = row["n"]
    for row in done:
        months.setdefault(row["month"], {"due": 0}).update(done=row["n"], late=row["late"])
    return [{"month": month.strftime("%m/%Y"), **values} for month, values in sorted(months.items())]


def ranking(agency_rows):
    """Agencies by on-time completion rate over the tasks that have come due, best first; those with
    nothing due yet come last."""
    rated = [row for row in agency_rows if row["on_time_rate"] is not None]
    unrated = [row for row in agency_rows if row["on_time_rate"] is None]
    rated.sort(key=lambda row: (-row["on_time_rate"], -row["come_due"], row["agency"]))
    return rated + unrated


def tasks_of(plans):
    return Task.objects.filter(plan__in=plans)
