"""Figures for the dashboards: per plan, month by month, and the agencies' ranking. Each is a
fixed number of SQL aggregates, whatever the number of tasks."""

import datetime
import operator

from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import TruncMonth

from agencies.models import Agency
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
    tallies = [state_tally(tasks.with_state(day), day, awaiting=False,
                           month=Value(index, output_field=IntegerField()))
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
    done = (annotated.filter(state__in=DONE).annotate(month=TruncMonth("done_on"))
            .values("month").annotate(n=Count("pk"), late=Count("pk", filter=Q(state="done_late")))
            .order_by())
    months = {}
    for row in due:
        months.setdefault(row["month"], {"due": 0, "done": 0, "late": 0})["due"] = row["n"]
    for row in done:
        months.setdefault(row["month"], {"due": 0}).update(done=row["n"], late=row["late"])
    return [{"month": month.strftime("%m/%Y"), **values} for month, values in sorted(months.items())]


def group_agency_ids(agency_rows):
    """The ids of the rows' agencies that are groups of agencies (one query)."""
    ids = [row["agency_id"] for row in agency_rows if row["agency_id"] is not None]
    return set(Agency.objects.filter(pk__in=ids, kind__in=Agency.GROUP_KINDS).values_list("pk", flat=True))


def ranking_key(row):
    """What ranks an agency (see :func:`ranking`), best lowest; only for rows with tasks come due."""
    return (-row["on_time_rate"], -row["completion_rate"], row["overdue"], -row["come_due"])


def ranking(agency_rows, groups=frozenset()):
    """The agencies' ranking from ``summary.agency_rows``; ``groups`` holds the ids of the rows that
    are groups of agencies (:func:`group_agency_ids`).

    Agencies are ranked over the tasks they lead that have come due (đến hạn) by the data cut-off,
    as the Government Office publishes it: by on-time completion rate (completed on time among the
    tasks come due), highest first; then by completion rate (completed, on time or late, among
    them), highest first; then by fewer overdue tasks;
    then by more tasks come due (equal rates over more work rank higher). Agencies equal on all
    four share a rank (1, 1, 3) and are listed by name. Not ranked, and shown apart: agencies with
    nothing come due yet (no rate to rank them by), and groups of agencies ("Các sở, ban, ngành
    Tỉnh", "UBND cấp huyện"), which are no agency: their tasks are owed by each member (a group
    keeps its own row in the report tables). A lead printed with no agency of the province behind
    it is ranked under the words printed, as it has its row in the tables.

    A dict: "ranked", the rows with their "rank", best first; "not_due", the agencies with nothing
    come due yet, and "groups", the groups' rows, both by name.
    """
    by_name = operator.itemgetter("agency")
    agencies = [row for row in agency_rows if row["agency_id"] not in groups]
    rated = sorted(
        (row for row in agencies if row["come_due"]), key=lambda row: (ranking_key(row), by_name(row))
    )
    ranked, previous = [], None
    for position, row in enumerate(rated, 1):
        if ranking_key(row) != previous:
            rank, previous = position, ranking_key(row)
        ranked.append({**row, "rank": rank})
    return {
        "ranked": ranked,
        "not_due": sorted((row for row in agencies if not row["come_due"]), key=by_name),
        "groups": sorted((row for row in agency_rows if row["agency_id"] in groups), key=by_name),
    }


def tasks_of(plans):
    return Task.objects.filter(plan__in=plans)
