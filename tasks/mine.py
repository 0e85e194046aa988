"""The work a user's agency owes ("Việc của tôi"): the tasks it leads or coordinates on active plans,
and the periods (occurrences) of those that recur or report periodically, most urgent first.

A task with occurrences is represented by its occurrences, each judged on its own due date. Both
kinds are merged and ordered in the database with one UNION, so a page costs the same number of
queries with ten items or ten thousand.
"""

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce

from plans.models import PlanStatus
from tasks.models import Occurrence, Task, TaskStatus
from tasks.permissions import can_contribute, can_report
from tasks.states import DONE_STATES, ProgressState, attention_rank, due_soon

FAR_FUTURE = datetime.date(9999, 12, 31)  # sorts work without a due date after dated work
ORDER = ["rank", "sort_due", "sort_plan", "sort_position", "item_kind", "item_pk"]


def status_condition(status, on):
    """The filter behind each choice of the "status" filter (see ``MyTasksFilterForm``)."""
    return {
        "overdue": Q(state=ProgressState.OVERDUE),
        "due_soon": due_soon(on),
        "in_progress": Q(state=ProgressState.IN_PROGRESS),
        "not_started": Q(state=ProgressState.NOT_STARTED),
        "no_due_date": Q(state__in=(ProgressState.ONGOING, ProgressState.UNSCHEDULED)),
        "done": Q(state__in=DONE_STATES),
        "awaiting_acceptance": Q(status=TaskStatus.AWAITING_ACCEPTANCE),
        "returned": Q(status=TaskStatus.RETURNED),
    }[status]


@dataclass(frozen=True)
class WorkItem:
    """One line of the list: a task, or one period of it, with what the user may do to it."""

    task: Task
    occurrence: Occurrence | None
    can_report: bool
    can_contribute: bool

    @property
    def record(self):
        """What carries the state and status shown: the period if any, else the task."""
        return self.occurrence or self.task

    @property
    def dom_id(self):
        return f"occurrence-{self.occurrence.pk}" if self.occurrence else f"task-{self.task.pk}"


def agency_work(user, on, plan=None, role=None, status=None):
    """``(tasks, occurrences)``: the querysets of the user's agency work, with ``with_state(on)``."""
    assigned = Task.objects.visible_to(user).filter(plan__status=PlanStatus.ACTIVE)
    assigned = assigned.for_agency(user.agency_id, role) if user.agency_id else assigned.none()
    if plan is not None:
        assigned = assigned.filter(plan=plan)
    tasks = assigned.filter(~Exists(Occurrence.objects.filter(task=OuterRef("pk")))).with_state(on)
    occurrences = Occurrence.objects.filter(task__in=assigned).with_state(on)
    if status:
        tasks, occurrences = tasks.filter(status_condition(status, on)), occurrences.filter(
            status_condition(status, on)
        )
    return tasks, occurrences


def _sort_columns(queryset, kind, task_prefix, on):
    return (
        queryset.order_by()
        .annotate(
            item_kind=Value(kind, output_field=CharField()),
            item_pk=F("pk"),
            rank=attention_rank(on),
            sort_due=Coalesce("due_on", Value(FAR_FUTURE)),
            sort_plan=F(f"{task_prefix}plan_id"),
            sort_position=F(f"{task_prefix}position"),
        )
        .values(*ORDER)
    )


def ordered(tasks, occurrences, on):
    """Rows ``{"item_kind", "item_pk", …}`` of both querysets, most urgent first (a UNION)."""
    return (
        _sort_columns(tasks, "task", "", on)
        .union(_sort_columns(occurrences, "occurrence", "task__", on), all=True)
        .order_by(*ORDER)
    )


def work_items(rows, user, on):
    """The :class:`WorkItem` of each row, in order: five queries whatever the number of rows."""
    tasks = (
        Task.objects.select_related("plan").with_assignments().with_state(on).with_roles_of(user)
    )
    ids = {kind: [row["item_pk"] for row in rows if row["item_kind"] == kind]
           for kind in ("task", "occurrence")}
    by_pk = tasks.in_bulk(ids["task"])
    occurrences = (
        Occurrence.objects.with_state(on).prefetch_related(Prefetch("task", queryset=tasks)).in_bulk(
            ids["occurrence"]
        )
    )
    items = []
    for row in rows:
        occurrence = occurrences[row["item_pk"]] if row["item_kind"] == "occurrence" else None
        task = occurrence.task if occurrence else by_pk[row["item_pk"]]
        items.append(WorkItem(task, occurrence, can_report(user, task), can_contribute(user, task)))
    return items
