"""Where a task (or an occurrence of a recurring task) stands on a given day.

The Government Office's task-tracking reports sort tasks on a 2×2 grid: completed or not, within
the deadline or past it. Tasks with no due date (ongoing "Thường xuyên", unscheduled "Theo lộ trình
của …", or a deadline nobody could read) are counted apart. The completion rate is taken over the
tasks whose deadline has come (đến hạn), completed or not.

Everything here builds SQL expressions, so lists, dashboards, reminders and reports count in the
database with one ``annotate``/``aggregate`` and never load tasks to classify them.
"""

import datetime

from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.utils.translation import gettext_lazy as _

DUE_SOON_DAYS = 7
OVERDUE_BANDS = (120, 60, 30)  # days, largest first: "quá hạn trên 120 / 60 / 30 ngày"


class ProgressState(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("Completed on time")
    DONE_LATE = "done_late", _("Completed late")
    IN_PROGRESS = "in_progress", _("In progress, within the deadline")
    NOT_STARTED = "not_started", _("Not started, within the deadline")
    OVERDUE = "overdue", _("Overdue")
    ONGOING = "ongoing", _("Ongoing")
    UNSCHEDULED = "unscheduled", _("No due date")
    CANCELLED = "cancelled", _("Cancelled")


DONE_STATES = (ProgressState.DONE_ON_TIME, ProgressState.DONE_LATE)
OPEN_STATES = (ProgressState.IN_PROGRESS, ProgressState.NOT_STARTED)


def progress_state(on, *, due="due_on", status="status", completed_on="completed_on", kind="deadline_kind"):
    """A ``Case`` giving the :class:`ProgressState` on day ``on``.

    A task counts as completed only once accepted (status "completed") with a completion date on or
    before ``on``; it is on time when that date is not after its due date. Work still open is
    overdue the day after its due date: a task due today is still within its deadline.
    """
    completed = Q(**{status: "completed", f"{completed_on}__lte": on})
    return Case(
        When(**{status: "cancelled"}, then=Value(ProgressState.CANCELLED)),
        When(completed & (Q(**{f"{due}__isnull": True}) | Q(**{f"{completed_on}__lte": models.F(due)})),
             then=Value(ProgressState.DONE_ON_TIME)),
        When(completed, then=Value(ProgressState.DONE_LATE)),
        When(Q(**{f"{due}__isnull": True}, **{kind: "ongoing"}), then=Value(ProgressState.ONGOING)),
        When(**{f"{due}__isnull": True}, then=Value(ProgressState.UNSCHEDULED)),
        When(reported_in_time(on, due=due, status=status, completed_on=completed_on),
             then=Value(ProgressState.IN_PROGRESS)),
        When(**{f"{due}__lt": on}, then=Value(ProgressState.OVERDUE)),
        When(**{status: "not_started"}, then=Value(ProgressState.NOT_STARTED)),
        default=Value(ProgressState.IN_PROGRESS),
        output_field=models.CharField(),
    )


def reported_in_time(on, *, due="due_on", status="status", completed_on="completed_on"):
    """Work its agency reported complete by its due date (and by ``on``) that awaits acceptance:
    not overdue while the reviewer has yet to decide, though not done until accepted."""
    return Q(**{status: "awaiting_acceptance", f"{completed_on}__lte": models.F(due)}) & Q(
        **{f"{completed_on}__lte": on}
    )


def overdue_band(on, *, due="due_on", status="status", completed_on="completed_on"):
    """The overdue age band of open work: "over_120", "over_60", "over_30" or ""."""
    still_open = (
        ~Q(**{status: "completed", f"{completed_on}__lte": on})
        & ~Q(**{status: "cancelled"})
        & ~reported_in_time(on, due=due, status=status, completed_on=completed_on)
    )
    whens = [
        When(still_open, **{f"{due}__lt": on - datetime.timedelta(days=days)}, then=Value(f"over_{days}"))
        for days in OVERDUE_BANDS
    ]
    return Case(*whens, default=Value(""), output_field=models.CharField())


def due_soon(on, days=DUE_SOON_DAYS):
    """Open work (within its deadline) falling due between ``on`` and ``days`` days later."""
    return Q(state__in=OPEN_STATES, due_on__lte=on + datetime.timedelta(days=days))


def come_due(on):
    """Work whose deadline has come by ``on`` (đến hạn): the completion rate's denominator."""
    return Q(due_on__lte=on) & ~Q(state=ProgressState.CANCELLED)


def state_counts(queryset, on, due_soon_days=DUE_SOON_DAYS):
    """Counts per state, due-soon and overdue-band counts and the completion rate, in one aggregate.

    ``queryset`` must carry the ``with_state(on)`` annotations. The completion rate is over the work
    whose deadline has come by ``on`` (đến hạn): completed among it, divided by all of it. Work done
    early, before its due date, is counted as done but not yet in the rate.
    """
    has_come_due = come_due(on)
    counts = queryset.aggregate(
        total=Count("pk"),
        **{state.value: Count("pk", filter=Q(state=state)) for state in ProgressState},
        due_soon=Count("pk", filter=due_soon(on, due_soon_days)),
        **{f"over_{days}": Count("pk", filter=Q(overdue_band=f"over_{days}")) for days in OVERDUE_BANDS},
        come_due=Count("pk", filter=has_come_due),
        come_due_done=Count("pk", filter=has_come_due & Q(state__in=DONE_STATES)),
    )
    return _with_completion_rate(counts)


def _with_completion_rate(counts):
    counts["completion_rate"] = (
        round(100 * counts["come_due_done"] / counts["come_due"], 1) if counts["come_due"] else None
    )
    return counts


def add_counts(*counts):
    """The sum of several :func:`state_counts` results (tasks and occurrences, for instance), with
    the completion rate over them all."""
    keys = [key for key in counts[0] if key != "completion_rate"]
    return _with_completion_rate({key: sum(c[key] for c in counts) for key in keys})


def attention_rank(on, due_soon_days=DUE_SOON_DAYS):
    """A number to sort work by how much it needs attention on ``on``: overdue, due soon, in
    progress, not started, without a due date, done, cancelled. Needs the ``with_state(on)``
    annotations."""
    return Case(
        When(state=ProgressState.OVERDUE, then=Value(0)),
        When(due_soon(on, due_soon_days), then=Value(1)),
        When(state=ProgressState.IN_PROGRESS, then=Value(2)),
        When(state=ProgressState.NOT_STARTED, then=Value(3)),
        When(state__in=(ProgressState.ONGOING, ProgressState.UNSCHEDULED), then=Value(4)),
        When(state__in=DONE_STATES, then=Value(5)),
        default=Value(6),
        output_field=models.IntegerField(),
    )
