"""The progress summary of a plan, or of every plan of a province, for a reporting period.

Figures are taken as of the period's data cut-off date (see :mod:`reports.periods`), or as of
today while the cut-off has not come ("Số liệu tính đến ngày …": ``period.as_of``), with the task
list's own annotation, ``Task.objects.with_state(as_of, within=period)``, and
``tasks.states.state_counts``, so they equal what the task list's status filter shows on that day.
The report's six categories partition the tasks (cancelled tasks are left out): completed on time,
completed late, in progress within the deadline, not started within the deadline, overdue, and
ongoing (ongoing, unscheduled or unreadable deadlines: no due date). Work awaiting acceptance is a
figure of its own, also counted in one of them.

A recurring task counts once, judged by its periods due within the report period (see
``TaskQuerySet.with_state``): a period of an earlier report period is not counted again.

Every figure is a SQL aggregate; the number of queries does not depend on the number of tasks.
"""

import datetime

from django.db.models import BooleanField, Case, Count, F, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies.models import Province, in_force, in_office
from config.expressions import AnyOf
from plans.models import Plan, PlanStatus, plan_label
from reports.models import ReportSettings
from reports.periods import Period
from reports.targets import of_plans, reported_by, summary_targets
from tasks.models import AssignmentRole, Evidence, Task, TaskAssignment, TaskStatus, TaskUpdate
from tasks.states import (
    DONE_STATES,
    OVERDUE_BANDS,
    ProgressState,
    come_due,
    overdue_band,
    state_counts,
    with_rates,
)

CATEGORIES = ("done_on_time", "done_late", "in_progress", "overdue", "not_started", "ongoing")
NO_DUE_DATE = (ProgressState.ONGOING, ProgressState.UNSCHEDULED)
DONE = DONE_STATES


def as_of(window, today=None):
    """The day a report's figures are taken (:meth:`reports.periods.Window.figures_day`)."""
    return window.figures_day(today or timezone.localdate())


def tasks_in_period(tasks, period, on):
    """``tasks`` annotated for a report on ``period`` with figures as of ``on`` (see
    ``TaskQuerySet.with_state``). Cancelled tasks and plans not yet in force on ``on`` are left
    out."""
    return (
        # A plan counts from its reference date. A task's state is "cancelled" exactly when its status
        # is (tasks.states.progress_state, and periods judge only tasks not cancelled): testing the
        # column spares the database the whole state expression in every report query's WHERE.
        tasks.filter(plan__reference_date__lte=on).exclude(status=TaskStatus.CANCELLED)
        .with_state(on, within=(period.start, period.end))
    )


def plans_in_scope(province, plan=None, on=None):
    """The plan asked for, or every plan that is not a draft of the province and of those merged
    into it by ``on`` (default: today): after 1 July 2025 Đà Nẵng's reports cover the former Quảng
    Nam's plans; a report as of an earlier day covers Đà Nẵng's own, as it did then."""
    if plan is not None:
        return Plan.objects.filter(pk=plan.pk)
    held = Province.objects.held_by(province, on or timezone.localdate())
    return Plan.objects.filter(province__in=held).exclude(status=PlanStatus.DRAFT)


def totals(tasks, on):
    """The six categories, their total, the overdue bands and the completion rate, in one query."""
    counts = state_counts(tasks, on)
    result = {"total": counts["total"], **{c: counts[c] for c in CATEGORIES if c != "ongoing"}}
    result["ongoing"] = sum(counts[s] for s in NO_DUE_DATE)
    result["bands"] = {f"over_{days}": counts[f"over_{days}"] for days in OVERDUE_BANDS}
    for key in ("awaiting_acceptance", "come_due", "come_due_done", "come_due_on_time", "completion_rate",
                "on_time_rate"):
        result[key] = counts[key]
    return result


def grouped_counts(tasks, on, **group):
    """The six categories, the lead count and the completion rates per value of ``group`` (names
    to expressions, as for ``values()``), in one query, ordered by ``group``."""
    return add_up(state_tally(tasks, on, **group).order_by(*group), list(group))


def state_tally(tasks, on, awaiting=True, **group):
    """The query behind :func:`grouped_counts`, unordered: the tasks (with ``with_state(on)``'s
    annotations) counted per value of ``group``, ``state``, ``has_come_due``
    (``tasks.states.come_due(on)``) and, unless ``awaiting`` is False, ``awaiting``.

    Counting per state and adding up in Python (:func:`add_up`) rather than one ``Count`` filtered
    on ``state`` per figure: each mention of ``state`` has Django compile its whole expression
    again, which made those queries slow to build (not to run). A task is counted once in a group
    however many of its rows fall in it (two lead assignments, say)."""
    due_by = Case(When(come_due(on), then=Value(True)), default=Value(False), output_field=BooleanField())
    return (
        tasks.annotate(**group, has_come_due=due_by)
        .values(*group, "state", "has_come_due", *(["awaiting"] if awaiting else []))
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )


def add_up(tallies, names):
    """The rows of :func:`grouped_counts` from :func:`state_tally`'s, one per value of ``names``, in
    the order they first come: "lead" (every task), the six categories, "awaiting_acceptance",
    "come_due", "come_due_done", "come_due_on_time" and both rates over the tasks come due (work done early,
    before its due date, is not yet in them)."""
    rows = {}
    for tally in tallies:
        key = tuple(tally[name] for name in names)
        if key not in rows:
            rows[key] = {**{name: tally[name] for name in names}, "lead": 0, **dict.fromkeys(CATEGORIES, 0),
                         "awaiting_acceptance": 0, "come_due": 0, "come_due_done": 0, "come_due_on_time": 0}
        row, state, n = rows[key], tally["state"], tally["n"]
        row["lead"] += n
        category = "ongoing" if state in NO_DUE_DATE else state
        if category in CATEGORIES:
            row[category] += n
        row["awaiting_acceptance"] += n if tally.get("awaiting") else 0
        if tally["has_come_due"]:
            row["come_due"] += n
            row["come_due_done"] += n if state in DONE else 0
            row["come_due_on_time"] += n if state == ProgressState.DONE_ON_TIME else 0
    return [with_rates(row) for row in rows.values()]


def sum_rows(rows):
    """The figures of :func:`totals` but the overdue bands, from rows of :func:`grouped_counts`
    whose groups share no task (one row per plan: a task is in one plan), without a query."""
    def total(key):
        return sum(row[key] for row in rows)

    keys = (*CATEGORIES, "awaiting_acceptance", "come_due", "come_due_done", "come_due_on_time")
    return with_rates({"total": total("lead"), **{key: total(key) for key in keys}})


def agency_rows(tasks, on):
    """One row per lead agency, in one query. A task led by a group ("UBND cấp huyện") counts in
    the group's row; a task with two lead agencies counts in both rows; a task of an agency merged
    away before ``on`` counts in its successor's row; a lead printed with no agency of the province
    behind it is its own row, under the words printed."""
    rows = grouped_counts(
        tasks.filter(in_force(on, "assignments__"), assignments__role=AssignmentRole.LEAD), on,
        agency=Coalesce(in_office("assignments__agency", on, "name"), F("assignments__mention")),
        agency_id=in_office("assignments__agency", on),
    )
    return list(rows)


LISTED = ("pk", "code", "title", "plan__number", "plan__title")  # what every list of tasks in a report shows


def overdue_tasks(tasks):
    """The overdue ones of ``tasks`` (with the ``with_state`` annotations), longest overdue first,
    as the rows :func:`overdue_rows` reads: the report's list, a page at a time on the plan's page."""
    return (
        tasks.filter(state=ProgressState.OVERDUE).values(*LISTED, "due_on", "overdue_periods")
        .order_by("due_on", "plan__number", "position", "pk")
    )


def overdue_rows(tasks, on):
    """Overdue tasks, longest overdue first, with their lead agencies (two queries). ``tasks`` is a
    queryset (every overdue task is listed) or rows of :func:`overdue_tasks` already loaded."""
    overdue = overdue_tasks(tasks) if isinstance(tasks, QuerySet) else tasks
    rows = []
    for task, leads in _with_leads(overdue, on):
        days_overdue = (on - task["due_on"]).days
        rows.append({
            "task": task["code"],
            "title": task["title"],
            "agency": leads,
            "days_overdue": days_overdue,
            "overdue_periods": task["overdue_periods"],
            "plan": plan_label(task["plan__number"], task["plan__title"]),
            "due": task["due_on"].isoformat(),
            "band": overdue_band(days_overdue),
            "task_id": task["pk"],
        })
    return rows


def completed_tasks(tasks, since):
    """The ones of ``tasks`` (with the ``with_state`` annotations) completed since ``since`` (the
    period's data window opened), in the order they were, as the rows :func:`completed_rows` reads."""
    return (
        tasks.filter(state__in=DONE, done_on__gte=since).values(*LISTED, "deliverable", "done_on", "state")
        .order_by("done_on", "plan__number", "position", "pk")
    )


def completed_rows(tasks, on, since=None):
    """Tasks completed since the period's data window opened, with their lead agencies on ``on`` (the
    report's day) and the evidence documents attached to their reports (three queries). ``tasks`` is
    a queryset (every task completed since ``since`` is listed) or rows of :func:`completed_tasks`
    already loaded."""
    done = _with_leads(completed_tasks(tasks, since) if isinstance(tasks, QuerySet) else tasks, on)
    evidence = {}
    for row in Evidence.objects.filter(update__task__in=[task["pk"] for task, _leads in done]).values(
        "pk", "update__task_id", "reference", "original_name"
    ).order_by("pk"):
        evidence.setdefault(row["update__task_id"], []).append(
            {"reference": row["reference"] or row["original_name"], "file": row["original_name"],
             "evidence_id": row["pk"]}
        )
    return [
        {
            "task": task["code"],
            "title": task["title"],
            "agency": leads,
            "plan": plan_label(task["plan__number"], task["plan__title"]),
            "deliverable": task["deliverable"],
            "completed_on": task["done_on"].isoformat(),
            "on_time": task["state"] == ProgressState.DONE_ON_TIME,
            "evidence": evidence.get(task["pk"], []),
            "task_id": task["pk"],
        }
        for task, leads in done
    ]


def _with_leads(tasks, on):
    """``(row, lead agencies' text on on)`` for each of ``tasks`` (``values()`` rows), as every page
    shows them (``TaskAssignment.objects.answer_texts``): two queries for all of them."""
    tasks = list(tasks)
    leads = TaskAssignment.objects.answer_texts([task["pk"] for task in tasks], AssignmentRole.LEAD, on)
    return [(task, leads.get(task["pk"], "")) for task in tasks]


def _day_start(day):
    """Midnight starting ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def feedback_rows(tasks, since, until):
    """Difficulties and proposals the focal points wrote on these tasks from ``since`` to ``until``."""
    # By the tasks' ids and a time range, the history's (task, created_at) index reads them; a
    # semi-join on the tasks and a date cast had PostgreSQL scan the country's history (issue 16:
    # 280 ms of the plan report at 1,000,000 tasks).
    updates = (
        TaskUpdate.objects.filter(AnyOf(F("task_id"), Subquery(tasks.order_by().values("pk"))),
                                  created_at__gte=_day_start(since),
                                  created_at__lt=_day_start(until + datetime.timedelta(days=1)))
        .exclude(difficulties="", proposals="")
        .select_related("task__plan", "agency")
        .order_by("created_at", "pk")
    )
    return [
        {
            "agency": str(update.agency or ""),
            "task": update.task.code,
            "plan": str(update.task.plan),
            "difficulties": update.difficulties,
            "proposals": update.proposals,
            "date": update.created_at.date().isoformat(),
        }
        for update in updates
    ]


TASK_CHUNK = 2000  # tasks read at a time by iter_task_rows: two queries a chunk


def task_rows(tasks, on):
    """Every task with its category on ``on``, in appendix order (two queries up to TASK_CHUNK
    tasks)."""
    return list(iter_task_rows(tasks, on))


def iter_task_rows(tasks, on):
    """The rows of :func:`task_rows` as they are read, TASK_CHUNK tasks at a time (a database
    iterator, their leads read per chunk): a download of every task of a province streams."""
    listed = tasks.values(*LISTED, "deadline_text", "due_on", "state").order_by("plan__number", "position")
    chunk = []
    for task in listed.iterator(chunk_size=TASK_CHUNK):
        chunk.append(task)
        if len(chunk) == TASK_CHUNK:
            yield from _task_rows(chunk, on)
            chunk = []
    yield from _task_rows(chunk, on)


def _task_rows(tasks, on):
    for task, leads in _with_leads(tasks, on):
        yield {
            "task": task["code"],
            "title": task["title"],
            "agency": leads,
            "plan": plan_label(task["plan__number"], task["plan__title"]),
            "deadline": task["deadline_text"],
            "due": task["due_on"].isoformat() if task["due_on"] else None,
            "category": "ongoing" if task["state"] in NO_DUE_DATE else task["state"],
            "days_overdue": (on - task["due_on"]).days if task["state"] == ProgressState.OVERDUE else None,
            "task_id": task["pk"],
        }


def build_summary(province, period: Period, plan=None, agency=None, comparisons=True, with_tasks=False,
                  with_targets=False, today=None, lists=True, days=None):
    """Everything a progress report on ``period`` says, as JSON-ready data, with figures as of the
    period's data cut-off, or as of ``today`` (default: the real today) if that comes first.

    ``plan`` narrows it to one plan, ``agency`` to the tasks that agency leads (directly or through
    a group it belongs to). The keys "period", "totals", "agencies" and "overdue" are those of the
    ``build_report`` command (see :func:`as_contract`); the others feed the documents. With
    ``with_tasks``, "tasks" lists every task with its category (for the CSV and agency reports).
    With ``lists`` False, "overdue" and "completed" are left out: the plan's page shows them a page
    at a time (:func:`overdue_tasks`, :func:`completed_tasks` over :func:`period_tasks`). ``days``:
    the plan's (cut-off day, due day), when the caller has read them. With
    ``with_targets``, "targets" holds where the plans' targets (those the agency reports, for an
    agency) stand for the period (:func:`reports.targets.summary_targets`), when there are any.
    """
    days = days or ReportSettings.days_for(plan)
    tasks, current, window, on = period_tasks(province, period, plan, agency, today, days)
    summary = {
        "period": period.as_dict(window, as_of=on),
        "scope": {
            "province": province.name,
            "plan": plan.number if plan else None,
            "plan_title": plan.title if plan else None,
            "agency": agency.name if agency else None,
        },
        "totals": totals(current, on),
        "agencies": agency_rows(current, on),
        "feedback": feedback_rows(tasks, window.start, on),
    }
    if lists:
        summary["overdue"] = overdue_rows(current, on)
        summary["completed"] = completed_rows(current, on, window.start)
    if with_tasks:
        summary["tasks"] = task_rows(current, on)
    if with_targets and (targets := _scoped_targets(province, plan, agency, on, period)):
        summary["targets"] = targets
    if comparisons:
        summary["previous"] = _comparison(tasks, period.previous(), days, today)
        year_before = period.year_before()
        # For a year, the previous period is the year before: the same figures, computed once.
        summary["year_before"] = (summary["previous"] if year_before == period.previous()
                                  else _comparison(tasks, year_before, days, today))
    return summary


def period_tasks(province, period, plan=None, agency=None, today=None, days=None):
    """``(tasks, current, window, on)`` of a report on ``period``: the tasks in scope, those counted
    for the period (:func:`tasks_in_period`), its data window and the day its figures are taken.
    ``days``: the plan's (cut-off day, due day), when already read."""
    window = period.window(*(days or ReportSettings.days_for(plan)))
    on = as_of(window, today)
    tasks = _scoped_tasks(province, plan, agency, on)
    return tasks, tasks_in_period(tasks, period, on), window, on


def _scoped_tasks(province, plan, agency, on):
    tasks = Task.objects.of_plans(plans_in_scope(province, plan, on))
    if agency is not None:
        tasks = tasks.for_agency(agency, role=AssignmentRole.LEAD, on=on)
    return tasks


def _scoped_targets(province, plan, agency, on, period):
    targets = of_plans(plans_in_scope(province, plan, on))
    if agency is not None:
        targets = reported_by(targets, agency, on)
    return summary_targets(targets, period.start, period.end)


def _comparison(tasks, period, days, today):
    window = period.window(*days)
    on = as_of(window, today)
    current = tasks_in_period(tasks, period, on)
    return {"period": period.as_dict(window, as_of=on), "totals": totals(current, on)}


def as_contract(summary):
    """The ``build_report --format json`` shape of a summary, with exactly the documented keys, and
    "targets" (counts and rows) when the summary has targets."""
    contract = {
        "period": summary["period"],
        "totals": {key: summary["totals"][key] for key in ("total", *CATEGORIES, "awaiting_acceptance")},
        "agencies": [
            {key: row[key] for key in ("agency", "lead", *CATEGORIES, "awaiting_acceptance")}
            for row in summary["agencies"]
        ],
        "overdue": [{key: row[key] for key in ("task", "title", "agency", "days_overdue")}
                    for row in summary["overdue"]],
    }
    if summary.get("targets"):
        contract["targets"] = summary["targets"]
    return contract

