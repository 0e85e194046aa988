"""Where a task (or an occurrence of a recurring task) stands on a given day.

The Government Office's task-tracking reports sort tasks on a 2×2 grid: completed or not, within
the deadline or past it. Tasks with no due date (ongoing "Thường xuyên", unscheduled "Theo lộ trình
của …", or a deadline nobody could read) are counted apart. The completion rate is taken over the
tasks whose deadline has come (đến hạn), completed or not.

Everything here builds SQL expressions, so lists, dashboards, reminders and reports count in the
database with one ``annotate``/``aggregate`` and never load tasks to classify them.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Count, Exists, Max, Min, Q, Subquery, Value, When
from django.db.models.lookups import Exact, GreaterThan
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


# The one place the words of where work stands come from (with TaskStatus, the workflow's): pages,
# filters, charts, e-mails, exports and the report documents (reports.documents.content, which prints
# them in Vietnamese whatever the interface's language) all read these.
NO_DUE_DATE_LABEL = _("Ongoing / no due date")  # ONGOING and UNSCHEDULED, counted together
CATEGORY_LABELS = {  # the categories of a summary's totals (reports.summary), in the reports' order
    "done_on_time": ProgressState.DONE_ON_TIME.label,
    "done_late": ProgressState.DONE_LATE.label,
    "in_progress": ProgressState.IN_PROGRESS.label,
    "not_started": ProgressState.NOT_STARTED.label,
    "overdue": ProgressState.OVERDUE.label,
    "ongoing": NO_DUE_DATE_LABEL,
}


def state_label(key):
    """The label of a :class:`ProgressState` value; "no_due_date" names ongoing work and work with
    no due date counted together (``NO_DUE_DATE_LABEL``: the "ongoing" category of a summary, the
    task list's filter)."""
    if key == "no_due_date":
        return NO_DUE_DATE_LABEL
    return ProgressState(key).label


DONE_STATES = (ProgressState.DONE_ON_TIME, ProgressState.DONE_LATE)
OPEN_STATES = (ProgressState.IN_PROGRESS, ProgressState.NOT_STARTED)


@dataclass(frozen=True)
class Columns:
    """Where a record's fields are, relative to the queryset judging it: a task's own columns, or
    a period's (occurrence) with its plan one step further."""

    due: str = "due_on"
    status: str = "status"
    completed_on: str = "completed_on"
    kind: str = "deadline_kind"
    awaiting_done: str = "plan__awaiting_counts_as_done"


TASK = Columns()
PERIOD = Columns(kind="task__deadline_kind", awaiting_done="task__plan__awaiting_counts_as_done")


def accepted(on, c=TASK):
    """Work counted as completed on ``on``: accepted (status "completed") with a completion date by
    then; also work reported complete and awaiting acceptance where the plan counts it so
    (:attr:`plans.models.Plan.awaiting_counts_as_done`)."""
    done = Q(**{c.status: "completed"}) | Q(**{c.status: "awaiting_acceptance", c.awaiting_done: True})
    return done & Q(**{f"{c.completed_on}__lte": on})


def accepted_late(on, c=TASK):
    return accepted(on, c) & Q(**{f"{c.completed_on}__gt": models.F(c.due)})


def awaiting_acceptance(on, c=TASK):
    """Work reported complete by ``on`` that the provincial admin has yet to accept or return."""
    return Q(**{c.status: "awaiting_acceptance", f"{c.completed_on}__lte": on})


def reported_in_time(on, c=TASK):
    """Work its agency reported complete by its due date (and by ``on``) that awaits acceptance:
    not overdue while the reviewer has yet to decide, though not done until accepted."""
    return awaiting_acceptance(on, c) & Q(**{f"{c.completed_on}__lte": models.F(c.due)})


def overdue(on, c=TASK):
    """Work past its due date on ``on``, neither completed, cancelled nor reported complete in time."""
    return (
        Q(**{f"{c.due}__lt": on})
        & ~Q(**{c.status: "cancelled"})
        & ~accepted(on, c)
        & ~reported_in_time(on, c)
    )


def progress_state(on, c=TASK):
    """A ``Case`` giving the :class:`ProgressState` of one record (a task, or one period of it) on
    day ``on``.

    A record counts as completed only once accepted (see :func:`accepted`) with a completion date
    on or before ``on``; it is on time when that date is not after its due date. Work still open is
    overdue the day after its due date: a record due today is still within its deadline.
    """
    completed = accepted(on, c)
    no_due = Q(**{f"{c.due}__isnull": True})
    return Case(
        When(**{c.status: "cancelled"}, then=Value(ProgressState.CANCELLED)),
        When(completed & (no_due | Q(**{f"{c.completed_on}__lte": models.F(c.due)})),
             then=Value(ProgressState.DONE_ON_TIME)),
        When(completed, then=Value(ProgressState.DONE_LATE)),
        When(no_due & Q(**{c.kind: "ongoing"}), then=Value(ProgressState.ONGOING)),
        When(no_due, then=Value(ProgressState.UNSCHEDULED)),
        When(reported_in_time(on, c), then=Value(ProgressState.IN_PROGRESS)),
        When(**{f"{c.due}__lt": on}, then=Value(ProgressState.OVERDUE)),
        When(**{c.status: "not_started"}, then=Value(ProgressState.NOT_STARTED)),
        default=Value(ProgressState.IN_PROGRESS),
        output_field=models.CharField(),
    )


def overdue_band(days_overdue):
    """The age band of work overdue by ``days_overdue`` days: "over_120", "over_60", "over_30" or ""."""
    if days_overdue is None:
        return ""
    return next((f"over_{days}" for days in OVERDUE_BANDS if days_overdue > days), "")


def in_band(on, days, wider=None):
    """Overdue work in the band "over ``days``" on ``on`` (and not in the ``wider`` one above)."""
    band = Q(state=ProgressState.OVERDUE, due_on__lt=on - datetime.timedelta(days=days))
    if wider is not None:
        band &= Q(due_on__gte=on - datetime.timedelta(days=wider))
    return band


def judged_by_periods(periods, on, awaiting):
    """How one recurring task stands on ``on``, from ``periods``: the occurrences it is judged by
    (correlated to the task with ``OuterRef``, with their ``due_on``; see
    ``OccurrenceQuerySet.judged``), and ``awaiting``, those that may await acceptance. A dict of
    subqueries, each NULL when there is no period:

    - ``state``: overdue if any period is overdue; completed on time if every period was completed
      on time, late if every one was completed and one late; else within the deadline: in progress
      if any period has been started, not started otherwise;
    - ``due_on``: the earliest overdue period's date, else the earliest open one's, else the last's;
    - ``done_on``: when every period is completed, the last completion date;
    - ``overdue_periods``: how many periods are overdue;
    - ``awaiting``: whether one of the ``awaiting`` periods was reported complete and awaits
      acceptance.

    Each figure is a plain filtered aggregate over the periods' columns (:data:`PERIOD`), so the
    SQL stays small however often the task's state is used.
    """
    c = PERIOD
    periods = periods.order_by().values("task")
    is_overdue, is_done = overdue(on, c), accepted(on, c)
    n = Count("pk")
    n_overdue = Count("pk", filter=is_overdue)
    n_done = Count("pk", filter=is_done)
    some_overdue = GreaterThan(n_overdue, 0)
    all_done = Exact(n_done, n)
    state = Case(
        When(some_overdue, then=Value(ProgressState.OVERDUE)),
        When(all_done & GreaterThan(Count("pk", filter=accepted_late(on, c)), 0),
             then=Value(ProgressState.DONE_LATE)),
        When(all_done, then=Value(ProgressState.DONE_ON_TIME)),
        When(GreaterThan(Count("pk", filter=~Q(status="not_started")), 0),
             then=Value(ProgressState.IN_PROGRESS)),
        default=Value(ProgressState.NOT_STARTED),
        output_field=models.CharField(),
    )
    due_on = Case(
        When(some_overdue, then=Min("due_on", filter=is_overdue)),
        When(all_done, then=Max("due_on")),
        default=Min("due_on", filter=~is_done),
        output_field=models.DateField(),
    )
    done_on = Case(When(all_done, then=Max("completed_on")), default=None, output_field=models.DateField())

    def one(expression, field):
        return Subquery(periods.annotate(judged=expression).values("judged")[:1], output_field=field)

    return {
        "state": one(state, models.CharField()),
        "due_on": one(due_on, models.DateField()),
        "done_on": one(done_on, models.DateField()),
        "overdue_periods": one(n_overdue, models.IntegerField()),
        "awaiting": Exists(awaiting.filter(awaiting_acceptance(on, c))),
    }


class JudgedRecord:
    """What a task or a period loaded ``with_state(on)`` tells about itself."""

    @property
    def state_label(self):
        return ProgressState(self.state).label

    @property
    def days_overdue(self):
        """Days past the due date on the day it was judged, for overdue work; else None."""
        return (self.judged_on - self.due_on).days if self.state == ProgressState.OVERDUE else None

    @property
    def overdue_band(self):
        return overdue_band(self.days_overdue)


def bands():
    """(days, the next wider band's days or None) for each band, largest first."""
    return zip(OVERDUE_BANDS, (None, *OVERDUE_BANDS[:-1]), strict=True)


def due_soon(on, days=DUE_SOON_DAYS):
    """Open work (within its deadline) falling due between ``on`` and ``days`` days later."""
    return Q(state__in=OPEN_STATES, due_on__lte=on + datetime.timedelta(days=days))


def come_due(on):
    """Work whose deadline has come by ``on`` (đến hạn): the completion rate's denominator.
    Cancelled work (its own status, whatever its periods) is left out."""
    return Q(due_on__lte=on) & ~Q(status="cancelled")


def state_counts(queryset, on, due_soon_days=DUE_SOON_DAYS):
    """Counts per state, due-soon, awaiting-acceptance and overdue-band counts, the completion and
    on-time rates, in one grouped query.

    ``queryset`` must carry the ``with_state(on)`` annotations. Both rates are over the work whose
    deadline has come by ``on`` (đến hạn): completed (or completed on time) among it, divided by
    all of it. Work done early, before its due date, is counted as done but not yet in the rates.
    "awaiting_acceptance" counts work reported complete that waits for the admin's decision; it is
    also in one of the states (within its deadline, or completed where the plan counts it so).

    The records are counted per (state, due date, awaiting) in the database — the state expression
    is compiled once — and the figures added up from those groups (:func:`tally`). A filtered
    ``Count`` per figure would have Django rebuild the whole state expression for each one (65 KB
    of SQL, most of the time of "Việc của tôi", whatever the number of tasks).
    """
    return tally(judged_groups(queryset), on, due_soon_days)


def judged_groups(queryset):
    """``queryset`` (with the ``with_state`` annotations) counted per ``state``, ``due_on`` and
    ``awaiting``: rows ``{"state", "due_on", "awaiting", "n"}``. A record is counted once however
    many rows of the queryset it has (a task with two lead agencies, say)."""
    return (
        queryset.order_by().values("state", "due_on", "awaiting").annotate(n=Count("pk", distinct=True))
        .order_by()
    )


def tally(groups, on, due_soon_days=DUE_SOON_DAYS):
    """The figures of :func:`state_counts` from the rows of :func:`judged_groups`.

    Each figure reads a group as the predicate of the same name filters records: :func:`due_soon`
    (open, due by ``on`` + ``due_soon_days``), :func:`in_band` (through :func:`overdue_band`, the
    band of its days overdue), :func:`come_due` (due by ``on``, not cancelled: a record's state is
    "cancelled" exactly when its status is). ``tests/tasks/test_state_counts_grouped.py`` checks
    them against those predicates' filtered counts."""
    counts = dict.fromkeys(
        ("total", *ProgressState.values, "due_soon", "awaiting_acceptance",
         *(f"over_{days}" for days in OVERDUE_BANDS), "come_due", "come_due_done", "come_due_on_time"),
        0,
    )
    soon = on + datetime.timedelta(days=due_soon_days)
    for group in groups:
        state, due, n = group["state"], group["due_on"], group["n"]
        counts["total"] += n
        counts[state] += n
        if group["awaiting"]:
            counts["awaiting_acceptance"] += n
        if due is None:
            continue
        if state in OPEN_STATES and due <= soon:
            counts["due_soon"] += n
        if state == ProgressState.OVERDUE and (band := overdue_band((on - due).days)):
            counts[band] += n
        if due <= on and state != ProgressState.CANCELLED:
            counts["come_due"] += n
            if state in DONE_STATES:
                counts["come_due_done"] += n
            if state == ProgressState.DONE_ON_TIME:
                counts["come_due_on_time"] += n
    return with_rates(counts)


def rate(part, whole):
    """A percentage with one decimal, or None over nothing."""
    return round(100 * part / whole, 1) if whole else None


def with_rates(counts):
    """``counts`` with "completion_rate" and "on_time_rate" over the work come due."""
    counts["completion_rate"] = rate(counts["come_due_done"], counts["come_due"])
    counts["on_time_rate"] = rate(counts["come_due_on_time"], counts["come_due"])
    return counts


def add_counts(*counts):
    """The sum of several :func:`state_counts` results (tasks and occurrences, for instance), with
    the rates over them all."""
    keys = [key for key in counts[0] if key not in ("completion_rate", "on_time_rate")]
    return with_rates({key: sum(c[key] for c in counts) for key in keys})


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
