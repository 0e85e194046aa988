"""Figures for the dashboards: per plan, month by month, the agencies' ranking and the late
agencies. Each is a fixed number of SQL aggregates, whatever the number of tasks."""

import datetime
import hashlib
import logging
import operator

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from redis.exceptions import RedisError

from agencies.models import Agency, in_force, in_office
from config.expressions import PerRowExists
from reports import targets as target_figures
from reports.per_day import rows_per_day
from reports.summary import CATEGORIES, DONE, add_up, grouped_counts, state_tally, tasks_in_period
from tasks.deadlines import month_end
from tasks.models import AssignmentRole, Task, TaskAssignment
from tasks.states import ProgressState

logger = logging.getLogger(__name__)

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


# How long the trend's past month ends are kept (issue 16): 12 evaluations of every task's state
# took 2.9 s per overview at 1,000,000 tasks; the current month end is always counted live.
TREND_CACHE_SECONDS = 300


def monthly_trend(tasks, until):
    """Completion rate, overdue and completed tasks at each month end, as ``totals`` counts them on
    that day, in one query compiled once (one :func:`~reports.summary.state_tally` per month end,
    see :mod:`reports.per_day`). The figures of past month ends are kept for
    :data:`TREND_CACHE_SECONDS` per set of tasks; the last point, ``until``, is counted each time."""
    ends = month_ends(until)
    key = _trend_key(tasks, ends[:-1])
    past = _kept(key)
    counted = ends if past is None else ends[-1:]
    tallies = rows_per_day(lambda day: state_tally(tasks.with_state(day), day, awaiting=False), counted,
                           key="month")
    months = {row["month"] + len(ends) - len(counted): row for row in add_up(tallies, ["month"])}
    if past is None:
        _keep(key, {month: row for month, row in months.items() if month < len(ends) - 1})
    else:
        months.update(past)
    no_task = {**dict.fromkeys(CATEGORIES, 0), "completion_rate": None}
    trend = []
    for index, day in enumerate(ends):
        row = months.get(index, no_task)
        trend.append({"month": day.strftime("%m/%Y"), "completion_rate": row["completion_rate"],
                      "overdue": row["overdue"], "done": row["done_on_time"] + row["done_late"]})
    return trend


def _trend_key(tasks, days):
    """Which tasks (their query as written, with its values) and which days; None for no task."""
    try:
        sql, params = tasks.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    text = repr((sql, params, [day.isoformat() for day in days]))
    return "reports.trend:" + hashlib.sha256(text.encode()).hexdigest()


def _kept(key):
    if key is None:
        return None
    try:
        return cache.get(key)
    except RedisError:  # the figures are counted again: the page does not need the cache
        logger.warning("Trend not read from the cache: the cache is unreachable.", exc_info=True)
        return None


def _keep(key, rows):
    if key is None:
        return
    try:
        cache.set(key, rows, TREND_CACHE_SECONDS)
    except RedisError:
        logger.warning("Trend not kept in the cache: the cache is unreachable.", exc_info=True)


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


def ranking(agency_rows, groups=frozenset(), key=ranking_key, rated=operator.itemgetter("come_due")):
    """The agencies' ranking from ``summary.agency_rows``; ``groups`` holds the ids of the rows that
    are groups of agencies (:func:`group_agency_ids`). ``key`` and ``rated`` (which rows have figures
    to rank) are the tasks' own unless given (:func:`ranking_with_targets`).

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
    ordered = sorted((row for row in agencies if rated(row)), key=lambda row: (key(row), by_name(row)))
    ranked, previous = [], None
    for position, row in enumerate(ordered, 1):
        if key(row) != previous:
            rank, previous = position, key(row)
        ranked.append({**row, "rank": rank})
    return {
        "ranked": ranked,
        "not_due": sorted((row for row in agencies if not rated(row)), key=by_name),
        "groups": sorted((row for row in agency_rows if row["agency_id"] in groups), key=by_name),
    }


def ranking_with_targets(agency_rows, plans, period, on):
    """:func:`ranking` with the targets of ``plans``: each agency's targets met over the targets it
    answers for (``reports.targets.agency_figures``, the values accepted for periods ending within
    ``period``), an agency answering for targets only ranked too, by the on-time rate with targets
    (``reports.targets.score``), then as without. Five queries at most, whatever the number of targets."""
    figures = target_figures.agency_figures(target_figures.of_plans(plans), period.start, period.end, on)
    rows = target_figures.with_agency_figures(agency_rows, figures)
    return ranking(rows, group_agency_ids(rows), key=target_figures.ranking_key, rated=target_figures.rated)


def tasks_of(plans):
    return Task.objects.of_plans(plans)


# The late-agency panel ----------------------------------------------------------------------------


def _by_lead_in_office(tasks, on):
    """``tasks`` (with ``with_state(on)``) joined to their lead assignments in force on ``on``, each
    with the agency answering for it that day as ``summary.agency_rows`` groups them ("agency",
    "agency_id"), its kind and end ("agency_kind", "agency_until"). A task with two leads answered
    by the same agency (printed "Sở TT&TT, Sở KH&CN" after their merger) keeps one row for it."""
    path = "assignments__agency"
    answering = Coalesce(in_office(path, on, "name"), F("assignments__mention"))
    earlier_same = (
        TaskAssignment.objects.in_force(on)
        .filter(task=OuterRef("pk"), role=AssignmentRole.LEAD, pk__lt=OuterRef("assignments__pk"))
        .annotate(answering=Coalesce(in_office("agency", on, "name"), F("mention")))
        .filter(answering=OuterRef("agency"))
    )
    return (
        tasks.filter(in_force(on, "assignments__"), assignments__role=AssignmentRole.LEAD)
        .annotate(agency=answering, agency_id=in_office(path, on), agency_kind=in_office(path, on, "kind"),
                  agency_until=in_office(path, on, "active_until"))
        .alias(repeated=PerRowExists(earlier_same))
        .filter(repeated=False)
    )


def days_overdue(on):
    """``on`` minus the record's ``due_on``: a duration, for the database to add up."""
    return ExpressionWrapper(Value(on, output_field=DateField()) - F("due_on"), output_field=DurationField())


def late_agencies(tasks, on):
    """The late-agency panel: one row per agency answering for lead work on ``on`` (grouped as
    :func:`reports.summary.agency_rows` groups it), with its overdue tasks ("overdue"), the longest
    and the total days overdue ("longest", "total_days": ``on`` minus each overdue task's
    ``due_on``, for a recurring task its earliest overdue period's), and the work it reported
    complete that awaits acceptance ("awaiting"), judged on ``on``. Rows with neither overdue nor
    awaiting work are left out; most overdue first, then most days overdue.

    ``tasks``: unannotated (``with_state(on)`` is applied here). One grouped query, per agency,
    state and awaiting (the state's expression compiled once), added up here. Each row also tells
    whether it is a group of agencies ("is_group") and whether an agency in force answers for it
    ("answering": not for a lead dissolved without successor, nor for words printed with no agency
    behind them)."""
    tallies = (
        _by_lead_in_office(tasks.with_state(on), on)
        .alias(days=days_overdue(on))
        .values("agency", "agency_id", "agency_kind", "agency_until", "state", "awaiting")
        .annotate(n=Count("pk", distinct=True), longest=Max("days"), total=Sum("days"))
        .order_by()
    )
    rows = {}
    for tally in tallies:
        key = (tally["agency"], tally["agency_id"])
        if key not in rows:
            until = tally["agency_until"]
            rows[key] = {
                "agency": tally["agency"], "agency_id": tally["agency_id"],
                "is_group": tally["agency_kind"] in Agency.GROUP_KINDS,
                "answering": tally["agency_id"] is not None and (until is None or until >= on),
                "overdue": 0, "longest": 0, "total_days": 0, "awaiting": 0,
            }
        row = rows[key]
        if tally["state"] == ProgressState.OVERDUE:
            row["overdue"] += tally["n"]
            row["longest"] = max(row["longest"], tally["longest"].days)
            row["total_days"] += tally["total"].days
        if tally["awaiting"]:
            row["awaiting"] += tally["n"]
    late = [row for row in rows.values() if row["overdue"] or row["awaiting"]]
    return sorted(late, key=lambda row: (-row["overdue"], -row["total_days"], -row["awaiting"],
                                         row["agency"]))


LATE_TASKS_SHOWN = 10  # per agency on the leader's home; the task list has them all


def late_tasks(tasks, on, agency):
    """The overdue tasks behind one row of :func:`late_agencies`, ``agency`` = (its "agency", its
    "agency_id"): the LATE_TASKS_SHOWN longest overdue, longest first, each with "days_overdue". One
    query, whatever the number of overdue tasks. The leader's home loads them when the row is opened:
    ten tasks for each of a province's sixty agencies were 270 ms of SQL and 300 KB of HTML at
    1,000,000 tasks (issue 16)."""
    name, agency_id = agency
    overdue = (
        _by_lead_in_office(tasks.with_state(on), on)
        .filter(state=ProgressState.OVERDUE, agency=name, agency_id=agency_id)
        .annotate(plan_number=F("plan__number"))
        .values("pk", "code", "title", "plan_number", "due_on", "overdue_periods")
        .order_by("due_on", "plan__number", "position", "pk")[:LATE_TASKS_SHOWN]
    )
    return [{**task, "days_overdue": (on - task["due_on"]).days} for task in overdue]
