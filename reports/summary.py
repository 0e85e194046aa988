"""The progress summary of a plan, or of every plan of a province, for a reporting period.

Figures are taken on the period's data cut-off date (see :mod:`reports.periods`) with the task
list's own annotation, ``Task.objects.with_state(cutoff)``, and ``tasks.states.state_counts``, so
they equal what the task list's status filter shows on that day. The report's six categories
partition the tasks (cancelled tasks are left out): completed on time, completed late, in progress
within the deadline, not started within the deadline, overdue, and ongoing (ongoing, unscheduled
or unreadable deadlines: no due date).

A recurring task counts once. Like the task list, it is judged by the first of its occurrences
still open on the cut-off date; so a missed occurrence of an earlier period keeps it overdue.
When every occurrence due by the end of the period was completed by the cut-off date, the task is
judged by the last occurrence due within the period, completed on time or late by that
occurrence's own completion date (against its extended due date if any), where the task list
would already show the next, future occurrence. An approved extension or a due date set by an
admin on the task wins over occurrences, as on the task list.

Every figure is a SQL aggregate; the number of queries does not depend on the number of tasks.
"""

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from agencies.models import in_office
from plans.models import Plan, PlanStatus
from reports.models import ReportSettings
from reports.periods import Period
from tasks.models import AssignmentRole, DeadlineKind, Evidence, Occurrence, Task, TaskStatus, TaskUpdate
from tasks.states import DONE_STATES, OVERDUE_BANDS, ProgressState, come_due, progress_state, state_counts

CATEGORIES = ("done_on_time", "done_late", "in_progress", "overdue", "not_started", "ongoing")
NO_DUE_DATE = (ProgressState.ONGOING, ProgressState.UNSCHEDULED)
DONE = DONE_STATES


def tasks_in_period(tasks, period, on):
    """``tasks`` annotated for a report on ``period`` with figures as of ``on``: ``due_on``,
    ``state`` and ``overdue_band`` as ``with_state(on)`` gives them, except for recurring tasks
    whose occurrences up to the period's end were all completed (see the module's docstring);
    and ``done_on``, the completion date the state was judged on. Cancelled tasks are left out."""
    occurrences = Occurrence.objects.filter(task=OuterRef("pk"), due__lte=period.end)
    last_in_period = occurrences.filter(due__gte=period.start).order_by("-due")
    closed_in_period = (
        Q(deadline_kind=DeadlineKind.RECURRING, due_override__isnull=True, extended_due__isnull=True)
        & ~Exists(occurrences.exclude(status=TaskStatus.COMPLETED, completed_on__lte=on))
        & Exists(last_in_period)
    )
    judged = progress_state(
        on, due="occurrence_due", status="occurrence_status", completed_on="occurrence_done_on"
    )
    return (
        tasks.filter(plan__reference_date__lte=on)  # a plan counts from its reference date
        .with_state(on)
        .alias(
            occurrence_due=Subquery(last_in_period.values(judged=Coalesce("extended_due", "due"))[:1]),
            occurrence_done_on=Subquery(last_in_period.values("completed_on")[:1]),
            occurrence_status=Value(TaskStatus.COMPLETED),
        )
        # ``state`` and ``due_on`` are replaced: every count and list below reads the period's view.
        .annotate(
            state=Case(When(closed_in_period, then=judged), default=F("state")),
            overdue_band=Case(When(closed_in_period, then=Value("")), default=F("overdue_band")),
            done_on=Case(When(closed_in_period, then=F("occurrence_done_on")), default=F("completed_on")),
        )
        .annotate(due_on=Case(When(closed_in_period, then=F("occurrence_due")), default=F("due_on")))
        .exclude(state=ProgressState.CANCELLED)
    )


def plans_in_scope(province, plan=None):
    """The plan asked for, or every plan of the province that is not a draft."""
    if plan is not None:
        return Plan.objects.filter(pk=plan.pk)
    return Plan.objects.filter(province=province).exclude(status=PlanStatus.DRAFT)


def totals(tasks, on):
    """The six categories, their total, the overdue bands and the completion rate, in one query."""
    counts = state_counts(tasks, on)
    result = {"total": counts["total"], **{c: counts[c] for c in CATEGORIES if c != "ongoing"}}
    result["ongoing"] = sum(counts[s] for s in NO_DUE_DATE)
    result["bands"] = {f"over_{days}": counts[f"over_{days}"] for days in OVERDUE_BANDS}
    result["come_due"] = counts["come_due"]
    result["completion_rate"] = counts["completion_rate"]
    return result


def grouped_counts(tasks, on, **group):
    """The six categories, the lead count and the completion rates per value of ``group`` (names
    to expressions, as for ``values()``), in one query, ordered by ``group``."""
    return add_up(state_tally(tasks, on, **group).order_by(*group), list(group))


def state_tally(tasks, on, **group):
    """The query behind :func:`grouped_counts`, unordered: the tasks (with ``with_state(on)``'s
    annotations) counted per value of ``group``, ``state`` and ``has_come_due``
    (``tasks.states.come_due(on)``).

    Counting per state and adding up in Python (:func:`add_up`) rather than one ``Count`` filtered
    on ``state`` per figure: each mention of ``state`` has Django compile its whole expression
    again, which made those queries slow to build (not to run). A task is counted once in a group
    however many of its rows fall in it (two lead assignments, say)."""
    due_by = Case(When(come_due(on), then=Value(True)), default=Value(False), output_field=BooleanField())
    return (
        tasks.annotate(**group, has_come_due=due_by)
        .values(*group, "state", "has_come_due")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )


def add_up(tallies, names):
    """The rows of :func:`grouped_counts` from :func:`state_tally`'s, one per value of ``names``, in
    the order they first come: "lead" (every task), the six categories, "come_due",
    "come_due_done", "come_due_on_time" and both rates over the tasks come due (work done early,
    before its due date, is not yet in them)."""
    rows = {}
    for tally in tallies:
        key = tuple(tally[name] for name in names)
        if key not in rows:
            rows[key] = {**{name: tally[name] for name in names}, "lead": 0, **dict.fromkeys(CATEGORIES, 0),
                         "come_due": 0, "come_due_done": 0, "come_due_on_time": 0}
        row, state, n = rows[key], tally["state"], tally["n"]
        row["lead"] += n
        category = "ongoing" if state in NO_DUE_DATE else state
        if category in CATEGORIES:
            row[category] += n
        if tally["has_come_due"]:
            row["come_due"] += n
            row["come_due_done"] += n if state in DONE else 0
            row["come_due_on_time"] += n if state == ProgressState.DONE_ON_TIME else 0
    for row in rows.values():
        row["completion_rate"] = rate(row["come_due_done"], row["come_due"])
        row["on_time_rate"] = rate(row["come_due_on_time"], row["come_due"])
    return list(rows.values())


def sum_rows(rows):
    """The figures of :func:`totals` but the overdue bands, from rows of :func:`grouped_counts`
    whose groups share no task (one row per plan: a task is in one plan), without a query."""
    def total(key):
        return sum(row[key] for row in rows)

    result = {"total": total("lead"), **{c: total(c) for c in CATEGORIES}, "come_due": total("come_due")}
    result["completion_rate"] = rate(total("come_due_done"), result["come_due"])
    return result


def agency_rows(tasks, on):
    """One row per lead agency, in one query. A task led by a group ("UBND cấp huyện") counts in
    the group's row; a task with two lead agencies counts in both rows; a task of an agency merged
    away before ``on`` counts in its successor's row; a lead printed with no agency of the province
    behind it is its own row, under the words printed."""
    rows = grouped_counts(
        tasks.filter(assignments__role=AssignmentRole.LEAD), on,
        agency=Coalesce(in_office("assignments__agency", on, "name"), F("assignments__mention")),
        agency_id=in_office("assignments__agency", on),
    )
    return list(rows)


def rate(part, whole):
    """A percentage with one decimal, or None over nothing."""
    return round(100 * part / whole, 1) if whole else None


def overdue_rows(tasks, on):
    """Overdue tasks, longest overdue first, with their lead agencies (two queries)."""
    overdue = (
        tasks.filter(state=ProgressState.OVERDUE).select_related("plan").with_assignments()
        .order_by("due_on", "plan__number", "position")
    )
    return [
        {
            "task": task.code,
            "title": task.title,
            "agency": "; ".join(str(a) for a in task.leads),
            "days_overdue": (on - task.due_on).days,
            "plan": task.plan.number,
            "due": task.due_on.isoformat(),
            "band": task.overdue_band,
            "task_id": task.pk,
        }
        for task in overdue
    ]


def completed_rows(tasks, window):
    """Tasks completed within the period's data window, with their lead agencies and the evidence
    documents attached to their reports (three queries)."""
    done = list(
        tasks.filter(state__in=DONE, done_on__gte=window.start).select_related("plan").with_assignments()
        .order_by("done_on", "plan__number", "position")
    )
    evidence = {}
    for row in Evidence.objects.filter(update__task__in=[task.pk for task in done]).values(
        "pk", "update__task_id", "reference", "original_name"
    ).order_by("pk"):
        evidence.setdefault(row["update__task_id"], []).append(
            {"reference": row["reference"] or row["original_name"], "file": row["original_name"],
             "evidence_id": row["pk"]}
        )
    return [
        {
            "task": task.code,
            "title": task.title,
            "agency": "; ".join(str(a) for a in task.leads),
            "plan": task.plan.number,
            "deliverable": task.deliverable,
            "completed_on": task.done_on.isoformat(),
            "on_time": task.state == ProgressState.DONE_ON_TIME,
            "evidence": evidence.get(task.pk, []),
            "task_id": task.pk,
        }
        for task in done
    ]


def feedback_rows(tasks, window):
    """Difficulties and proposals the focal points wrote on these tasks within the data window."""
    updates = (
        TaskUpdate.objects.filter(task__in=tasks, created_at__date__gte=window.start,
                                  created_at__date__lte=window.cutoff)
        .exclude(difficulties="", proposals="")
        .select_related("task__plan", "agency")
        .order_by("created_at", "pk")
    )
    return [
        {
            "agency": str(update.agency or ""),
            "task": update.task.code,
            "plan": update.task.plan.number,
            "difficulties": update.difficulties,
            "proposals": update.proposals,
            "date": update.created_at.date().isoformat(),
        }
        for update in updates
    ]


def task_rows(tasks, on):
    """Every task with its category on ``on``, in appendix order (two queries)."""
    listed = tasks.select_related("plan").with_assignments().order_by("plan__number", "position")
    return [
        {
            "task": task.code,
            "title": task.title,
            "agency": "; ".join(str(a) for a in task.leads),
            "plan": task.plan.number,
            "deadline": task.deadline_text,
            "due": task.due_on.isoformat() if task.due_on else None,
            "category": "ongoing" if task.state in NO_DUE_DATE else task.state,
            "days_overdue": (on - task.due_on).days if task.state == ProgressState.OVERDUE else None,
            "task_id": task.pk,
        }
        for task in listed
    ]


def build_summary(province, period: Period, plan=None, agency=None, comparisons=True, with_tasks=False):
    """Everything a progress report on ``period`` says, as JSON-ready data.

    ``plan`` narrows it to one plan, ``agency`` to the tasks that agency leads (directly or through
    a group it belongs to). The keys "period", "totals", "agencies" and "overdue" are those of the
    ``build_report`` command (see :func:`as_contract`); the others feed the documents. With
    ``with_tasks``, "tasks" lists every task with its category (for the CSV and agency reports).
    """
    days = ReportSettings.days_for(plan)
    window = period.window(*days)
    tasks = _scoped_tasks(province, plan, agency)
    current = tasks_in_period(tasks, period, window.cutoff)
    summary = {
        "period": period.as_dict(window),
        "scope": {
            "province": province.name,
            "plan": plan.number if plan else None,
            "plan_title": plan.title if plan else None,
            "agency": agency.name if agency else None,
        },
        "totals": totals(current, window.cutoff),
        "agencies": agency_rows(current, window.cutoff),
        "overdue": overdue_rows(current, window.cutoff),
        "completed": completed_rows(current, window),
        "feedback": feedback_rows(tasks, window),
    }
    if with_tasks:
        summary["tasks"] = task_rows(current, window.cutoff)
    if comparisons:
        summary["previous"] = _comparison(tasks, period.previous(), days)
        year_before = period.year_before()
        # For a year, the previous period is the year before: the same figures, computed once.
        summary["year_before"] = (summary["previous"] if year_before == period.previous()
                                  else _comparison(tasks, year_before, days))
    return summary


def _scoped_tasks(province, plan, agency):
    tasks = Task.objects.filter(plan__in=plans_in_scope(province, plan))
    if agency is not None:
        tasks = tasks.for_agency(agency, role=AssignmentRole.LEAD)
    return tasks


def _comparison(tasks, period, days):
    window = period.window(*days)
    current = tasks_in_period(tasks, period, window.cutoff)
    return {"period": period.as_dict(window), "totals": totals(current, window.cutoff)}


def as_contract(summary):
    """The ``build_report --format json`` shape of a summary, with exactly the documented keys."""
    return {
        "period": summary["period"],
        "totals": {key: summary["totals"][key] for key in ("total", *CATEGORIES)},
        "agencies": [
            {key: row[key] for key in ("agency", "lead", *CATEGORIES)} for row in summary["agencies"]
        ],
        "overdue": [{key: row[key] for key in ("task", "title", "agency", "days_overdue")}
                    for row in summary["overdue"]],
    }

