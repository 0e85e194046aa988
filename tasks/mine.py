"""The work a user's agency owes ("Việc của tôi"): the tasks it leads or coordinates on active plans,
and the periods (occurrences) of those that recur or report periodically, most urgent first.

A task with occurrences is represented by its occurrences, each judged on its own due date. Both
kinds are merged and ordered in the database with one UNION, so a page costs the same number of
queries with ten items or ten thousand.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from agencies.models import Agency
from config.compiled_queries import compiled_rows
from plans.models import PlanStatus
from tasks.models import AssignmentRole, Occurrence, Task, TaskStatus, TaskUpdate
from tasks.permissions import can_contribute, can_report
from tasks.states import (
    DONE_STATES,
    DUE_SOON_DAYS,
    OPEN_STATES,
    ProgressState,
    add_counts,
    attention_rank,
    due_soon,
    judged_groups,
    tally,
)

FAR_FUTURE = datetime.date(9999, 12, 31)  # sorts work without a due date after dated work
ORDER = ["rank", "sort_due", "sort_plan", "sort_position", "item_kind", "item_pk"]
HORIZON_DAYS = 14  # "due within 14 days": the home page's look ahead
# Work still to be done, within its deadline or past it: what a coordinating agency contributes to.
UNFINISHED_STATES = (ProgressState.OVERDUE, *OPEN_STATES)


def status_condition(status, on):
    """The filter behind each choice of the "status" filter (see ``MyTasksFilterForm``).
    "awaiting_contribution" needs the ``contribution_awaited`` annotation
    (:func:`with_contribution_awaited`)."""
    return {
        "overdue": Q(state=ProgressState.OVERDUE),
        "due_soon": due_soon(on),
        "due_14": due_soon(on, HORIZON_DAYS),
        "in_progress": Q(state=ProgressState.IN_PROGRESS),
        "not_started": Q(state=ProgressState.NOT_STARTED),
        "no_due_date": Q(state__in=(ProgressState.ONGOING, ProgressState.UNSCHEDULED)),
        "done": Q(state__in=DONE_STATES),
        "awaiting_acceptance": Q(status=TaskStatus.AWAITING_ACCEPTANCE),
        "returned": Q(status=TaskStatus.RETURNED),
        "awaiting_contribution": Q(contribution_awaited=True, state__in=UNFINISHED_STATES, awaiting=False),
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
    assigned = assigned.for_agency(user.agency_id, role, on) if user.agency_id else assigned.none()
    if plan is not None:
        assigned = assigned.filter(plan=plan)
    tasks = assigned.filter(~Exists(Occurrence.objects.filter(task=OuterRef("pk")))).with_state(on)
    occurrences = Occurrence.objects.filter(task__in=assigned).with_state(on)
    if status == "awaiting_contribution":
        tasks, occurrences = with_contribution_awaited(tasks, occurrences, user.agency_id, on)
    if status:
        tasks, occurrences = tasks.filter(status_condition(status, on)), occurrences.filter(
            status_condition(status, on)
        )
    return tasks, occurrences


def with_contribution_awaited(tasks, occurrences, agency, on):
    """``tasks`` and ``occurrences`` (of :func:`agency_work`) annotated with ``contribution_awaited``:
    ``agency`` (a pk) coordinates the task on ``on`` and has sent no contribution on it, itself or
    an agency merged into it (``Agency.objects.carried_by``): on a task, ever; on a period, since
    the period before it fell due. With the state (see ``status_condition("awaiting_contribution")``),
    the work a coordinating agency still owes its input to."""
    coordinated = Task.objects.for_agency(agency, AssignmentRole.COORDINATOR, on).values("pk")
    contributions = TaskUpdate.objects.filter(
        kind=TaskUpdate.Kind.CONTRIBUTION, agency__in=Agency.objects.carried_by(agency, on).values("pk")
    )
    awaited_on_task = Q(pk__in=coordinated) & ~Exists(contributions.filter(task=OuterRef("pk")))
    period_before = Occurrence.objects.filter(task=OuterRef("task"), due__lt=OuterRef("due")).order_by("-due")
    opened_after = Coalesce(Subquery(period_before.values("due")[:1]), Value(datetime.date.min))
    awaited_on_period = Q(task__in=coordinated) & ~Exists(
        contributions.filter(task=OuterRef("task"), created_at__date__gt=OuterRef("opened_after"))
    )
    return (
        tasks.annotate(contribution_awaited=ExpressionWrapper(awaited_on_task, output_field=BooleanField())),
        occurrences.alias(opened_after=opened_after).annotate(
            contribution_awaited=ExpressionWrapper(awaited_on_period, output_field=BooleanField())
        ),
    )


def work_counts(user, on, statuses):
    """How many items of the user's agency work each choice of ``statuses`` lists ("Việc của tôi"
    filtered by it, all plans and roles): two grouped queries, whatever the number of tasks.

    Each kind of item is counted per (state, due date, status, awaiting, contribution awaited) —
    the state expression compiled once per process (``config.compiled_queries``) — and each group
    read by :func:`in_status`, the same test as :func:`status_condition`
    (``tests/tasks/test_work_counts_grouped.py`` checks the figures against its filtered counts)."""
    counts = dict.fromkeys(statuses, 0)
    if not user.agency_id:
        return counts
    for kind in ("tasks", "occurrences"):
        groups = compiled_work(user, on, kind, _work_groups)
        for group in groups:
            for status in statuses:
                if in_status(status, group, on):
                    counts[status] += group["n"]
    return counts


WORK_VALUES = ("on", "agency", "province", "plan")


def compiled_work(user, on, kind, rows_of, filters=(None, None, None), work_of=agency_work,
                  uses=WORK_VALUES):
    """The rows of the ``kind`` ("tasks" or "occurrences") of ``rows_of(tasks, occurrences, agency,
    on)``, a pair of ``values()`` querysets over ``work_of(user, on, plan, role, status)``
    (:func:`agency_work` by default; ``filters`` are the last three), its SQL compiled once per
    process (``config.compiled_queries``): the day, agency, province and plan (those of them that
    ``work_of`` uses) are its values; the role, status and what the user is make its shape."""
    plan, role, status = filters
    values = {"on": on, "agency": user.agency_id, "province": user.province_id,
              "plan": getattr(plan, "pk", plan)}
    values = {name: value for name, value in values.items() if value is not None and name in uses}
    shape = (user.is_superuser, user.role, *sorted(values), role, status)

    def build(on, agency=None, province=None, plan=None):
        someone = get_user_model()(agency_id=agency, province_id=province, is_superuser=user.is_superuser,
                                   role=user.role)
        return rows_of(*work_of(someone, on, plan, role, status), agency, on)[kind == "occurrences"]

    name = f"{work_of.__module__}.{work_of.__qualname__}:{rows_of.__qualname__}.{kind}"
    return compiled_rows(name, build, shape, **values)


def work_state_counts(user, on, plan=None, role=None, status=None):
    """``tasks.states.state_counts`` of the tasks and occurrences of :func:`agency_work`, added up:
    the figures over "Việc của tôi" as filtered."""
    return add_counts(*(
        tally(compiled_work(user, on, kind, _judged_groups, (plan, role, status)), on)
        for kind in ("tasks", "occurrences")
    ))


def _judged_groups(tasks, occurrences, agency, on):
    return judged_groups(tasks), judged_groups(occurrences)


def _work_groups(tasks, occurrences, agency, on):
    """The agency work's tasks and occurrences counted per what :func:`in_status` reads."""
    return tuple(
        items.order_by()
        .values("state", "due_on", "status", "awaiting", "contribution_awaited")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        for items in with_contribution_awaited(tasks, occurrences, agency, on)
    )


def in_status(status, item, on):
    """Whether ``item`` (a dict of its ``state``, ``due_on``, ``status``, ``awaiting`` and
    ``contribution_awaited``) is what :func:`status_condition` ``(status, on)`` filters."""
    state, due = item["state"], item["due_on"]

    def due_within(days):
        return state in OPEN_STATES and due is not None and due <= on + datetime.timedelta(days=days)

    if status == "due_soon":
        return due_within(DUE_SOON_DAYS)
    if status == "due_14":
        return due_within(HORIZON_DAYS)
    if status == "awaiting_contribution":
        return bool(item["contribution_awaited"]) and state in UNFINISHED_STATES and not item["awaiting"]
    return {
        "overdue": state == ProgressState.OVERDUE,
        "in_progress": state == ProgressState.IN_PROGRESS,
        "not_started": state == ProgressState.NOT_STARTED,
        "no_due_date": state in (ProgressState.ONGOING, ProgressState.UNSCHEDULED),
        "done": state in DONE_STATES,
        "awaiting_acceptance": item["status"] == TaskStatus.AWAITING_ACCEPTANCE,
        "returned": item["status"] == TaskStatus.RETURNED,
    }[status]


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


class CompiledWork:
    """The rows of :func:`ordered` over ``work_of(user, on, *filters)`` (:func:`agency_work` by
    default) for a ``Paginator``: its count and each page's slice compiled once per process
    (:func:`compiled_work`)."""

    def __init__(self, user, on, filters=(None, None, None), work_of=agency_work, uses=WORK_VALUES):
        self.user, self.on, self.filters = user, on, filters
        self.work = {"work_of": work_of, "uses": uses}

    def count(self):
        return sum(
            row["n"] for kind in ("tasks", "occurrences")
            for row in compiled_work(self.user, self.on, kind, _row_count, self.filters, **self.work)
        )

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop

        def page_rows(tasks, occurrences, agency, on):
            rows = ordered(tasks, occurrences, on)[start:stop]
            return rows, rows  # one query: its rows hold both kinds

        page_rows.__qualname__ = f"page_rows[{start}:{stop}]"
        return compiled_work(self.user, self.on, "tasks", page_rows, self.filters, **self.work)


def _row_count(tasks, occurrences, agency, on):
    return tuple(
        items.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
        for items in (tasks, occurrences)
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
