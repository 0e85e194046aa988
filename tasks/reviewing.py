"""The provincial admin's review queue: work reported complete that awaits acceptance (tasks, and
periods of recurring or ongoing tasks), each item with its latest report and that report's evidence,
judged by the project's one rule (:func:`tasks.states.reported_in_time`); and the decisions on one
item or several, each through :func:`tasks.workflow.review` in its own transaction.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tasks import workflow
from tasks.mine import CompiledWork, ordered
from tasks.models import Occurrence, Task, TaskStatus, TaskUpdate
from tasks.permissions import can_review
from tasks.review_forms import ItemRef
from tasks.states import reported_in_time


def awaiting(user, on):
    """``(tasks, occurrences)`` awaiting acceptance in the provinces ``user`` sees, ``with_state(on)``."""
    status = TaskStatus.AWAITING_ACCEPTANCE
    return (
        Task.objects.visible_to(user).filter(status=status).with_state(on),
        Occurrence.objects.visible_to(user).filter(status=status).with_state(on),
    )


def queue_rows(user, on, task_ids=None):
    """The rows (see :func:`tasks.mine.ordered`) of the queue, most urgent first: the whole queue
    compiled once per process (:class:`tasks.mine.CompiledWork`), or a queryset of ``task_ids``'
    items."""
    if task_ids is None:
        return CompiledWork(user, on, work_of=_awaiting_work, uses=("on", "province"))
    tasks, occurrences = awaiting(user, on)
    return ordered(tasks.filter(pk__in=task_ids), occurrences.filter(task__in=task_ids), on)


def _awaiting_work(user, on, plan, role, status):
    return awaiting(user, on)


@dataclass(frozen=True)
class ReviewItem:
    """One item of the queue: a task or one of its periods, with the report that sent it for
    acceptance (``report``, its author, agency and evidence loaded) and whether ``user`` may decide."""

    task: Task
    occurrence: Occurrence | None
    report: TaskUpdate | None
    can_review: bool

    @property
    def record(self):
        """What carries the status, progress, completion date and judgement: the period, else the task."""
        return self.occurrence or self.task

    @property
    def ref(self):
        kind = "occurrence" if self.occurrence else "task"
        return ItemRef(kind, self.record.pk, self.task.version)

    @property
    def dom_id(self):
        return self.ref.dom_id

    @property
    def bulk_value(self):
        """The value of the item's checkbox in a bulk decision: which item, and the version seen."""
        return f"{self.dom_id}:{self.task.version}"

    @property
    def in_time(self):
        """Reported complete by its due date (:func:`tasks.states.reported_in_time`, in SQL)."""
        return self.record.reported_in_time

    @property
    def days_late(self):
        """Days between the due date and the completion date reported, for work completed late."""
        due, done = self.record.due_on, self.record.completed_on
        if self.in_time or due is None or done is None:
            return None
        return (done - due).days


def _latest_report(for_period):
    """The pk of the latest progress report on the task (``for_period`` False: on the task as a
    whole) or on the period at ``OuterRef("pk")``: the one that sent it for acceptance, as nothing
    can be reported on work awaiting acceptance."""
    reports = TaskUpdate.objects.filter(kind=TaskUpdate.Kind.REPORT)
    if for_period:
        reports = reports.filter(task=OuterRef("task_id"), occurrence=OuterRef("pk"))
    else:
        reports = reports.filter(task=OuterRef("pk"), occurrence__isnull=True)
    return Subquery(reports.order_by("-created_at", "-pk").values("pk")[:1])


def review_items(rows, user, on):
    """The :class:`ReviewItem` of each row, in order: four queries whatever the number of rows
    (tasks, periods with their tasks, the reports with their authors and agencies, their evidence)."""
    in_time = ExpressionWrapper(reported_in_time(on), output_field=BooleanField())
    ids = {kind: [row["item_pk"] for row in rows if row["item_kind"] == kind]
           for kind in ("task", "occurrence")}
    tasks = (
        Task.objects.select_related("plan").with_state(on)
        .annotate(reported_in_time=in_time, latest_report=_latest_report(for_period=False))
        .in_bulk(ids["task"])
    )
    occurrences = (
        Occurrence.objects.select_related("task__plan").with_state(on)
        .annotate(reported_in_time=in_time, latest_report=_latest_report(for_period=True))
        .in_bulk(ids["occurrence"])
    )
    report_ids = [r.latest_report for r in (*tasks.values(), *occurrences.values()) if r.latest_report]
    reports = (
        TaskUpdate.objects.select_related("author", "agency").prefetch_related("evidence").in_bulk(report_ids)
    )
    items = []
    for row in rows:
        occurrence = occurrences.get(row["item_pk"]) if row["item_kind"] == "occurrence" else None
        task = occurrence.task if occurrence else tasks.get(row["item_pk"])
        if task is None:  # decided and gone between the two queries
            continue
        record = occurrence or task
        items.append(ReviewItem(task, occurrence, reports.get(record.latest_report), can_review(user, task)))
    return items


@dataclass(frozen=True)
class Decision:
    """What became of one item of a decision: ``done`` (accepted or returned as asked), else
    ``error`` says why it was refused; ``task`` and ``occurrence`` are None for an item the user
    may not see (another province's, or none)."""

    ref: ItemRef
    accept: bool
    done: bool
    error: str = ""
    task: Task | None = None
    occurrence: Occurrence | None = None

    @property
    def label(self):
        """How the item is named in a summary: "II.3 (Quý III/2026)", or its number when unknown."""
        if self.task is None:
            if self.ref.kind == "task":
                return _("Task #%(pk)s") % {"pk": self.ref.pk}
            return _("Period #%(pk)s") % {"pk": self.ref.pk}
        if self.occurrence is not None:
            return f"{self.task.code} ({self.occurrence.label})"
        return self.task.code


def queue_target(user, ref):
    """``(task, occurrence)`` named by ``ref`` in the provinces ``user`` sees (whatever its status),
    else ``(None, None)``: another province's work is never loaded, let alone changed."""
    if ref.kind == "task":
        return Task.objects.visible_to(user).select_related("plan").filter(pk=ref.pk).first(), None
    occurrence = Occurrence.objects.visible_to(user).select_related("task__plan").filter(pk=ref.pk).first()
    return (occurrence.task, occurrence) if occurrence else (None, None)


def decide(user, refs, *, accept, note=""):
    """Accept (or return, with ``note``) each item of ``refs`` (with the version of its task the user
    saw) through :func:`tasks.workflow.review`, which runs each in its own transaction (requests are
    not wrapped in one): an item refused (stale, decided meanwhile, out of the user's reach, not
    awaiting acceptance) is left unchanged and the others go through. Returns a :class:`Decision`
    per item, in order.

    Two periods of one task selected together were seen at the same version: once the first is
    decided here, the second is checked against the version that decision left, so only someone
    else's change refuses it."""
    decisions = []
    moved = {}  # task pk -> (version the user saw, version after this call's own decisions)
    for ref in refs:
        task, occurrence = queue_target(user, ref)
        if task is None:
            error = _("This item is not in your review queue: nothing was changed.")
            decisions.append(Decision(ref, accept, done=False, error=error))
            continue
        if not can_review(user, task):
            error = _("Only the provincial admin of the plan's province may accept or return this work.")
            decisions.append(Decision(ref, accept, False, error, task, occurrence))
            continue
        if (occurrence or task).status != TaskStatus.AWAITING_ACCEPTANCE:  # decided meanwhile, or never sent
            error = _("This work is no longer awaiting acceptance: nothing was changed.")
            decisions.append(Decision(ref, accept, False, error, task, occurrence))
            continue
        seen, now = moved.get(task.pk, (ref.version, ref.version))
        version = now if ref.version == seen else ref.version
        try:
            workflow.review(
                task, author=user, version=version, accept=accept, note=note, occurrence=occurrence
            )
        except workflow.WorkflowError as error:
            decisions.append(Decision(ref, accept, False, str(error.message), task, occurrence))
            continue
        moved[task.pk] = (seen, task.version)
        decisions.append(Decision(ref, accept, True, "", task, occurrence))
    return decisions


def outcome_text(decision, on):
    """What an item decided says in place of its buttons: "Accepted — completed on time" (where the
    accepted work now stands, by tasks.states) or "Returned"."""
    if not decision.accept:
        return pgettext("review outcome", "Returned")
    if decision.occurrence is not None:
        record = Occurrence.objects.with_state(on).select_related("task").get(pk=decision.occurrence.pk)
    else:
        record = Task.objects.with_state(on).get(pk=decision.task.pk)
    state = str(record.state_label)
    return pgettext("review outcome", "Accepted — %(state)s") % {"state": state[:1].lower() + state[1:]}
