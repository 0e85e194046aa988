"""Appendix tasks, the agencies assigned to them, their append-only history with its evidence,
extension requests and the notifications the workflow sends."""

import uuid
from functools import partial
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency, ProvinceScopedQuerySet, holds_on, in_force
from config.bulk import insert_rows
from config.compiled_expressions import CompiledOnce
from config.expressions import AnyOf
from plans.models import Plan, PlanScopedQuerySet, PlanSection
from reports.periods import quarter_of, year_of
from tasks.answering import answer_lines, answer_text
from tasks.deadlines import ROMAN, Deadline, parse_deadline, period_of
from tasks.states import (
    PERIOD,
    TASK,
    Columns,
    JudgedRecord,
    ProgressState,
    awaiting_acceptance,
    due_soon,
    judged_by_periods,
    overdue,
    progress_state,
)


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    RETURNED = "returned", _("Returned for more work")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Fixed date")
    PERIOD = "period", pgettext_lazy("deadline kind", "Period")
    RECURRING = "recurring", _("Recurring")
    ONGOING = "ongoing", _("Ongoing")
    UNSCHEDULED = "unscheduled", _("Unscheduled")
    UNKNOWN = "unknown", _("Unknown")


class Recurrence(models.TextChoices):
    YEAR = "year", _("Every year")
    HALF = "half", _("Every six months")
    QUARTER = "quarter", _("Every quarter")
    MONTH = "month", _("Every month")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COORDINATOR = "coordinator", _("Coordinator")


# What ``TaskQuerySet.with_state`` annotates, in this order, and the annotations' types.
_JUDGED_FIELDS = {
    "state": models.CharField(), "due_on": models.DateField(), "done_on": models.DateField(),
    "awaiting": models.BooleanField(), "overdue_periods": models.IntegerField(),
}


def _stored_deadline(text, kind, due, every):
    """A task's deadline from its columns, where a deadline that does not repeat stores ``every`` as ""."""
    return Deadline(text, kind, due, every or None)


PERIODIC_KINDS = (DeadlineKind.RECURRING, DeadlineKind.ONGOING)


def kept_windows(today):
    """The report periods whose figures are kept (``tasks.judgements``), as the province overview
    and the leader's home take them on ``today``: ``{slot: (day, (start, end))}``, the day being the
    period's data cut-off or today before it (``reports.periods.Window.figures_day``)."""
    quarter = quarter_of(today)
    periods = {"quarter": quarter, "last_quarter": quarter.previous(), "year": year_of(today)}
    return {slot: (period.window().figures_day(today), (period.start, period.end))
            for slot, period in periods.items()}


def kept_slot(on, within, today):
    """Which kept figures may serve ``with_state(on, within)`` on ``today``: "day" for today without
    a report period, the slot of :func:`kept_windows` holding that period as of that day, else None."""
    if within is None:
        return "day" if on == today else None
    return next((slot for slot, kept in kept_windows(today).items() if kept == (on, tuple(within))), None)


def period_figures(on, within=None):
    """How each task stands by its periods on ``on`` (for the report period ``within``, if given):
    the subqueries of :func:`tasks.states.judged_by_periods`, correlated to the task."""
    periods = Occurrence.objects.filter(task=OuterRef("pk"))
    counted = periods.judged(on, within)
    # Work awaiting acceptance: any period of the task on a day, those judged in a report.
    awaiting = counted if within else periods.exclude(status=TaskStatus.CANCELLED)
    return judged_by_periods(counted, on, awaiting)


def _judged(tasks, on, start=None, end=None, occurrences=True, kept=None):
    """``tasks`` with the annotations of ``TaskQuerySet.with_state`` built in full, reading the
    figures kept in the slot ``kept`` (see :func:`kept_slot`) where they are for this day and period;
    ``with_state`` compiles them once per process (``config.compiled_expressions.CompiledOnce``)."""
    within = None if start is None else (start, end)
    single_due = Coalesce("extended_due", "due_override", "deadline_due")
    row = Columns(due="single_due")
    row_awaiting = ExpressionWrapper(awaiting_acceptance(on, row), output_field=models.BooleanField())
    if not occurrences:
        return tasks.alias(single_due=single_due).annotate(
            due_on=F("single_due"), state=progress_state(on, row), done_on=F("completed_on"),
            awaiting=row_awaiting, overdue_periods=Value(0),
        )
    judged = period_figures(on, within)
    relation = f"{kept}_judgement"
    kept_today = Q(**{f"{relation}__judged_on": on})
    if within is not None:
        kept_today &= Q(**{f"{relation}__window_start": start, f"{relation}__window_end": end})
    by_periods = Q(deadline_kind=DeadlineKind.RECURRING, due_override__isnull=True,
                   extended_due__isnull=True) & ~Q(status=TaskStatus.CANCELLED)
    periodic = Q(deadline_kind__in=PERIODIC_KINDS)

    def of_periods(name, condition=by_periods):
        # The figures kept for this day (and window), when there are, spare the periods' subqueries.
        field = judged[name].output_field
        if kept is None:
            return Case(When(condition, then=judged[name]), default=None, output_field=field)
        return Case(When(condition & kept_today, then=F(f"{relation}__{name}")),
                    When(condition, then=judged[name]), default=None, output_field=field)

    return tasks.alias(single_due=single_due, period_state=of_periods("state")).annotate(
        state=Coalesce("period_state", progress_state(on, row)),
        due_on=Coalesce(of_periods("due_on"), "single_due"),
        done_on=Case(When(period_state__isnull=False, then=of_periods("done_on")),
                     default=F("completed_on")),
        awaiting=Coalesce(of_periods("awaiting"), row_awaiting),
        overdue_periods=Coalesce(of_periods("overdue_periods", periodic), 0),
    )


class TaskQuerySet(PlanScopedQuerySet):
    def for_agency(self, agency, role=None, on=None):
        """Tasks the agency answers for on ``on`` (default today): assigned to it, to a group it
        belongs to, or to an agency merged into it, by an assignment holding that day."""
        return self.filter(assigned_to(agency, role, on))

    def with_roles_of(self, user):
        """Annotate ``user_leads`` and ``user_coordinates``: whether the user's agency leads or
        coordinates each task (directly, through a group, or for an agency merged into it).
        Permissions read these (tasks.permissions)."""
        if not user.is_authenticated or user.agency_id is None:
            return self.annotate(user_leads=Value(False), user_coordinates=Value(False))
        return self.annotate(
            user_leads=assigned_to(user.agency_id, AssignmentRole.LEAD),
            user_coordinates=assigned_to(user.agency_id, AssignmentRole.COORDINATOR),
        )

    def with_state(self, on, within=None, occurrences=True):
        """Annotate where each task stands on ``on``: ``state`` (a
        :class:`~tasks.states.ProgressState`), ``due_on`` (the date it is judged against),
        ``judged_on`` (``on``), ``done_on`` (the completion date it is judged by), ``awaiting`` (work
        reported complete awaits acceptance) and ``overdue_periods``.

        A task with one deadline is judged by its own row: ``due_on`` is an approved extension,
        else the admin's date, else the parsed deadline. A recurring task is judged by its periods
        (occurrences, see :meth:`OccurrenceQuerySet.judged` and
        :func:`tasks.states.judged_by_periods`): on a day, by its current period and any period
        left overdue; for a report period ``within`` (a ``(start, end)`` pair), by the periods due
        within it. A due date an admin set on a recurring task wins over its periods.
        ``overdue_periods`` counts the overdue periods of recurring work and of ongoing tasks'
        periodic reports (ongoing tasks stay "ongoing", counted apart).

        The periods' figures are read from those kept for ``on`` (and ``within``) where there are
        (:mod:`tasks.judgements` keeps today's), else worked out from the periods.

        ``occurrences=False`` judges every task by its own row, for callers that handle periods
        themselves (the reminder scan): PostgreSQL then plans those queries better.
        """
        values = {"on": on} if within is None else {"on": on, "start": within[0], "end": within[1]}
        kept = kept_slot(on, within, timezone.localdate()) if occurrences else None
        shape = ("task-state", within is not None, occurrences, kept)
        build = partial(_judged, occurrences=occurrences, kept=kept)
        joins = [TASK.awaiting_done]
        if kept is not None:
            joins.append(f"{kept}_judgement__judged_on")
        judged = {
            name: CompiledOnce(shape, name, build, values, field, joins=joins)
            for name, field in _JUDGED_FIELDS.items()
        }
        return self.annotate(**judged, judged_on=Value(on, output_field=models.DateField()))

    def in_state(self, on, *states):
        return self.with_state(on).filter(state__in=states)

    def overdue(self, on):
        return self.in_state(on, ProgressState.OVERDUE)

    def due_within(self, days, on):
        """Open work falling due between ``on`` and ``days`` days later (inclusive)."""
        return self.with_state(on).filter(due_soon(on, days))

    def with_orphaned(self, on):
        """Annotate ``orphaned``: open work (neither completed nor cancelled) whose lead agencies
        have all ended by ``on`` with nobody in force answering for them
        (``Agency.objects.answered_in_force``), such as the district People's Committees dissolved
        on 1 July 2025. A body still in force that the catalogue lists without members (a steering
        committee) is not orphaned work."""
        leads = TaskAssignment.objects.in_force(on).filter(task=OuterRef("pk"), role=AssignmentRole.LEAD)
        answered = Agency.objects.filter(
            Q(pk__in=Agency.objects.answered_in_force(on)) | Q(pk__in=Agency.objects.active(on))
        ).values("pk")
        # Every lead agency is answered or not: "some lead not answered, none answered" is "some
        # lead, none answered", with the few unanswered agencies picked once (an InitPlan on
        # PostgreSQL) rather than every lead of the country hashed (issue 16).
        unanswered = Agency.objects.exclude(pk__in=answered).values("pk")
        still_open = ~Q(status__in=[TaskStatus.COMPLETED, TaskStatus.CANCELLED])
        orphaned = (
            still_open
            & Exists(leads.filter(AnyOf(F("agency_id"), Subquery(unanswered))))
            & ~Exists(leads.filter(AnyOf(F("agency_id"), Subquery(answered))))
        )
        return self.annotate(orphaned=ExpressionWrapper(orphaned, output_field=models.BooleanField()))

    def orphaned(self, on):
        return self.with_orphaned(on).filter(orphaned=True)

    def unknown_deadline(self):
        """Tasks whose deadline nobody could read and no admin has dated yet: to fix."""
        return self.filter(deadline_kind=DeadlineKind.UNKNOWN, due_override__isnull=True)

    def sync_occurrences(self):
        """Give each task the occurrences its deadline calls for, up to its plan's horizon: one per
        period for a recurring task, one per reporting date of the plan for an ongoing task.

        Occurrences that no longer fit (the deadline text changed) are removed unless someone
        already worked on them; the figures kept for the tasks (``tasks.judgements``) are written
        again. A fixed number of queries whatever the number of tasks.
        """
        columns = ("pk", "plan_id", "deadline_text", "deadline_kind", "deadline_due", "deadline_every")
        tasks = list(self.order_by().values_list(*columns))
        plans = Plan.objects.in_bulk({plan_id for _pk, plan_id, *_deadline in tasks})
        dates = {}  # a plan's tasks share a few deadlines: each one's dates are computed once
        wanted = {}
        for pk, plan_id, text, kind, due, every in tasks:
            deadline = _stored_deadline(text, kind, due, every)
            if (plan_id, deadline) not in dates:
                dates[plan_id, deadline] = plans[plan_id].occurrence_dates(deadline)
            purpose = (
                Occurrence.Purpose.RECURRENCE if kind == DeadlineKind.RECURRING else Occurrence.Purpose.REPORT
            )
            wanted.update({(pk, due): purpose for due in dates[plan_id, deadline]})
        untouched = Occurrence.objects.filter(
            task__in=self.order_by().values("pk"), status=TaskStatus.NOT_STARTED, updates__isnull=True
        )
        stale = [
            pk
            for pk, task_id, due in untouched.values_list("pk", "task_id", "due")
            if (task_id, due) not in wanted
        ]
        Occurrence.objects.filter(pk__in=stale).delete()
        new = [{"task_id": pk, "due": due, "purpose": purpose} for (pk, due), purpose in wanted.items()]
        insert_rows(Occurrence, new, ignore_conflicts=True)
        from tasks.judgements import judge_again  # it reads this module's models

        judge_again(self)

    def with_assignments(self):
        """Prefetch lead and coordinating agencies in a fixed number of queries."""
        return self.prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related(
                    "agency__province", "agency__successor__successor", "handover"
                ),
            )
        )


class Task(JudgedRecord, models.Model):
    """One row of a plan's appendix: what to do, by whom, by when, with what result."""

    # Indexed as the first column of (plan, position) and of the unique (plan, code).
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan"), db_index=False
    )
    section = models.ForeignKey(
        PlanSection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("section"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent task"),
        db_index=False,  # indexed where set (task_parent): most tasks have none
    )
    code = models.CharField(_("code"), max_length=30, help_text=_('As printed: "II.1", "5.1", "VII".'))
    position = models.PositiveIntegerField(_("position in the appendix"), default=0)
    title = models.TextField(_("task"))
    deliverable = models.TextField(_("deliverable"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    deadline_text = models.CharField(_("deadline as printed"), max_length=255, blank=True)
    deadline_kind = models.CharField(
        _("deadline kind"), max_length=12, choices=DeadlineKind.choices, default=DeadlineKind.UNKNOWN
    )
    deadline_due = models.DateField(_("parsed due date"), null=True, blank=True)
    deadline_every = models.CharField(
        _("recurrence"), max_length=8, choices=Recurrence.choices, blank=True, default=""
    )
    due_override = models.DateField(
        _("due date set by an admin"),
        null=True,
        blank=True,
        help_text=_("Wins over the parsed deadline, which is kept."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    extended_due = models.DateField(
        _("extended due date"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by an approved extension request; wins over the other due dates, which are kept."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by every change: detects lost updates.")
    )
    source_row = models.PositiveIntegerField(_("row in the imported file"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    DEADLINE_FIELDS = ("deadline_kind", "deadline_due", "deadline_every")

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_unique_code_per_plan"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_max_100"),
        ]
        indexes = [
            models.Index(fields=["plan", "position"], name="task_plan_position"),
            models.Index(fields=["parent"], condition=Q(parent__isnull=False), name="task_parent"),
            models.Index(fields=["status", "deadline_due"], name="task_status_due"),
            models.Index(fields=["deadline_due"], name="task_due"),
            # The admin's home counts the deadlines to fix (``unknown_deadline``): a few rows.
            models.Index(
                fields=["plan"],
                condition=Q(deadline_kind="unknown", due_override__isnull=True),
                name="task_unknown_deadline",
            ),
            # Plans count their tasks, completed ones and open periodic ones from this index alone
            # (``plans.models.PlanQuerySet``: the plan lists, the admin's home).
            models.Index(fields=["plan", "status", "deadline_kind"], name="task_plan_status_kind"),
        ]

    def __str__(self):
        return f"{self.code}. {self.title[:80]}"

    def save(self, *args, **kwargs):
        """Re-read the deadline whenever its printed text changes, and re-plan its occurrences."""
        deadline_changed = self.deadline_text != getattr(self, "_stored_deadline_text", None)
        if deadline_changed:
            self.apply_deadline(parse_deadline(self.deadline_text, self.plan.reference_date))
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], *self.DEADLINE_FIELDS}
        super().save(*args, **kwargs)
        self._stored_deadline_text = self.deadline_text
        if deadline_changed:
            Task.objects.filter(pk=self.pk).sync_occurrences()

    def get_absolute_url(self):
        return reverse("tasks:detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        task = super().from_db(db, field_names, values)
        task._stored_deadline_text = task.__dict__.get("deadline_text")
        return task

    def apply_deadline(self, deadline):
        """Store a parsed :class:`~tasks.deadlines.Deadline`; the printed text stays as it is."""
        self.deadline_kind = deadline.kind
        self.deadline_due = deadline.due
        self.deadline_every = deadline.every or ""

    @property
    def deadline(self):
        columns = (self.deadline_text, self.deadline_kind, self.deadline_due, self.deadline_every)
        return _stored_deadline(*columns)

    @property
    def due(self):
        """The date the task is judged against: an approved extension wins over the admin's override,
        which wins over the parsed deadline."""
        return self.extended_due or self.due_override or self.deadline_due

    def history(self):
        """The task's updates, newest first, with their authors, agencies, periods and evidence; a
        withdrawn comment with its withdrawal (shown on the comment, not as an entry of its own)."""
        updates = self.updates.exclude(kind=TaskUpdate.Kind.WITHDRAWAL).select_related(
            "author", "agency", "occurrence__task", "withdrawal__author"
        )
        return updates.prefetch_related("evidence")

    @property
    def judged_period_label(self):
        """For a recurring task judged by its periods, the period its ``due_on`` belongs to (the
        earliest overdue one, else the current one): "Quý IV/2026"."""
        if self.deadline_kind != DeadlineKind.RECURRING or self.due_override or self.extended_due:
            return ""
        return period_label(self.deadline_every, self.due_on)

    def _assigned(self, role):
        # Reads the prefetched assignments (see TaskQuerySet.with_assignments) without a query, as
        # of the day the task was judged on (a report's date), else today.
        day = getattr(self, "judged_on", None) or timezone.localdate()
        return answer_lines(self.assignments.all(), role, day)

    @property
    def leads(self):
        return self._assigned(AssignmentRole.LEAD)

    @property
    def coordinators(self):
        return self._assigned(AssignmentRole.COORDINATOR)


class OccurrenceQuerySet(PlanScopedQuerySet):
    plan_path = "task__plan"

    def with_state(self, on):
        """Annotate ``due_on`` (the extended due date if any, else the period's), ``state``,
        ``awaiting`` and ``judged_on``, with the names ``TaskQuerySet.with_state`` uses."""
        return self.annotate(due_on=Coalesce("extended_due", "due")).annotate(
            state=progress_state(on, PERIOD),
            awaiting=ExpressionWrapper(awaiting_acceptance(on, PERIOD), output_field=models.BooleanField()),
            judged_on=Value(on, output_field=models.DateField()),
        )

    def judged(self, on, within=None):
        """The periods a recurring task is judged by on ``on``, with their ``due_on`` (see
        :meth:`TaskQuerySet.with_state`). Cancelled periods are left out.

        On a day: the current period and every period overdue that day. A period is current while
        ``on`` is within it: after the previous period's due date, up to its own (extended) due
        date; an extended period and the next one can both be current. Past the last period's due
        date, the last one is. For a report period ``within`` = ``(start, end)``: the periods due
        within it, judged on ``on``; a task with none due within it (a yearly task in a quarterly
        report) by its current period on ``on``. Periods of earlier report periods are not
        counted again.
        """
        judged_due = Coalesce("extended_due", "due")
        same_task = (
            Occurrence.objects.filter(task=OuterRef("task")).exclude(status=TaskStatus.CANCELLED)
            .annotate(judged_due=judged_due)
        )
        started = ~Exists(same_task.filter(due__gte=on, due__lt=OuterRef("due")))
        current = (Q(due_on__gte=on) & started) | (
            ~Exists(same_task.filter(judged_due__gte=on)) & ~Exists(same_task.filter(due__gt=OuterRef("due")))
        )
        periods = self.exclude(status=TaskStatus.CANCELLED).annotate(due_on=judged_due)
        if within is None:
            return periods.filter(current | overdue(on, PERIOD))
        start, end = within
        in_window = Q(due__gte=start, due__lte=end)
        return periods.filter(in_window | (~Exists(same_task.filter(in_window)) & current))


class Occurrence(JudgedRecord, models.Model):
    """One due date of a recurring task ("Hằng quý": one per quarter), or one periodic report of an
    ongoing task on the plan's reporting cycle. Each has its own status and completion date."""

    class Purpose(models.TextChoices):
        RECURRENCE = "recurrence", _("Recurring deadline")
        REPORT = "report", _("Periodic report")

    # Indexed as the first column of the unique (task, due).
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("task"), db_index=False
    )
    due = models.DateField(_("due date"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    extended_due = models.DateField(_("extended due date"), null=True, blank=True, editable=False)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["task_id", "due"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [models.UniqueConstraint(fields=["task", "due"], name="occurrence_unique_due")]
        indexes = [
            models.Index(fields=["due", "status"], name="occurrence_due_status"),
            # The review queue and the admin's home count the periods awaiting acceptance: a few rows.
            models.Index(
                fields=["task"], condition=Q(status="awaiting_acceptance"), name="occurrence_awaiting"
            ),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.due:%d/%m/%Y}"

    @property
    def label(self):
        """The period as people name it: "Quý III/2025", "Năm 2025", "6 tháng đầu năm 2025"; a
        periodic report of an ongoing task by its date."""
        return period_label(self.task.deadline_every, self.due)

    @property
    def is_done(self):
        return self.status == TaskStatus.COMPLETED

    @property
    def judged_due(self):
        """The date this period is judged against: an approved extension wins over the period's end."""
        return self.extended_due or self.due


class KeptJudgement(models.Model):
    """How a task stands by its periods (:func:`period_figures`) on ``judged_on``, kept so that pages
    over a whole province do not work it out from every recurring task's periods again (issue 16).

    The figures follow from the task's periods and its plan's ``awaiting_counts_as_done`` alone, so a
    row holds for its day until one of those changes; :mod:`tasks.judgements` writes it again then,
    and every night for the new day. ``TaskQuerySet.with_state`` reads a row only for its own day."""

    judged_on = models.DateField()
    state = models.CharField(max_length=20, null=True)
    due_on = models.DateField(null=True)
    done_on = models.DateField(null=True)
    awaiting = models.BooleanField()
    overdue_periods = models.IntegerField(null=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.task_id} · {self.judged_on:%d/%m/%Y}"


def _kept_for(related_name):
    return models.OneToOneField(Task, on_delete=models.CASCADE, primary_key=True, related_name=related_name)


class DayJudgement(KeptJudgement):  # noqa: DJ008 (KeptJudgement.__str__)
    """A task's period figures on a day (``with_state(on)``): today's."""

    task = _kept_for("day_judgement")


class WindowJudgement(KeptJudgement):
    """A task's period figures on a day for the report period ``window_start``–``window_end``
    (``with_state(on, within=…)``)."""

    window_start = models.DateField()
    window_end = models.DateField()

    class Meta:
        abstract = True


class QuarterJudgement(WindowJudgement):  # noqa: DJ008 (KeptJudgement.__str__)
    """For the current quarter, which the leader's home shows."""

    task = _kept_for("quarter_judgement")


class LastQuarterJudgement(WindowJudgement):  # noqa: DJ008 (KeptJudgement.__str__)
    """For the quarter before, which the leader's home shows beside it."""

    task = _kept_for("last_quarter_judgement")


class YearJudgement(WindowJudgement):  # noqa: DJ008 (KeptJudgement.__str__)
    """For the current year, which the province overview shows first."""

    task = _kept_for("year_judgement")


def period_label(every, due):
    """The period of a series stepping by ``every`` that is due on ``due``, in the active language
    ("Quý III/2025" in Vietnamese); without a known recurrence, the due date."""
    if due is None:
        return ""
    if not every:
        return _("Period due %(date)s") % {"date": date_format(due, "SHORT_DATE_FORMAT")}
    year, index = period_of(every, due)
    if every == Recurrence.YEAR:
        return _("Year %(year)s") % {"year": year}
    if every == Recurrence.HALF:
        return (_("First half of %(year)s") if index == 1 else _("Second half of %(year)s")) % {"year": year}
    if every == Recurrence.QUARTER:
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[index], "year": year}
    return _("Month %(month)02d/%(year)s") % {"month": index, "year": year}


class AssignmentQuerySet(models.QuerySet):
    def in_force(self, on):
        """Assignments that hold on ``on``: neither handed over before it nor starting after it."""
        return self.filter(in_force(on))

    def answer_texts(self, task_ids, role, day):
        """``{task_id: text}``: who answers on ``day`` for the ``role`` cell of each of ``task_ids``,
        as ``tasks.answering.answer_text`` writes it for every page, in one query for the assignments
        and one for their agencies. Cells that read alike (the same agencies, words, dates and
        hand-overs) are worked out once: a report lists thousands of tasks of a few dozen agencies."""
        lines = self.filter(task_id__in=task_ids, role=role).order_by("task_id", "position")
        cells = {}
        for task_id, *line in lines.values_list("task_id", *_CELL_LINE):
            cells.setdefault(task_id, []).append(tuple(line))
        agencies = Agency.objects.select_related("province", "successor__successor").in_bulk(
            {line[0] for lines in cells.values() for line in lines if line[0]})
        texts, worked_out = {}, {}
        for task_id, lines in cells.items():
            cell = tuple(lines)
            if cell not in worked_out:
                assignments = [_assignment(role, agencies, *line) for line in cell]
                worked_out[cell] = answer_text(assignments, role, day)
            texts[task_id] = worked_out[cell]
        return texts


# What tasks.answering reads of an assignment, in the order _assignment takes it.
_CELL_LINE = ("agency_id", "mention", "active_from", "active_until", "ended_by_id", "handover_id",
              "handover__effective_on", "handover__decision")


def _assignment(role, agencies, agency_id, mention, active_from, active_until, ended_by_id, handover_id,
                effective_on, decision):
    handover = Handover(pk=handover_id, effective_on=effective_on, decision=decision) if handover_id else None
    return TaskAssignment(agency=agencies.get(agency_id), role=role, mention=mention, active_from=active_from,
                          active_until=active_until, ended_by_id=ended_by_id, handover=handover)


class TaskAssignment(models.Model):
    """An agency named in a task's lead or coordinator cell, with the words the appendix used.

    ``agency`` is empty when the mention names no agency of the province (e.g. "Văn phòng Chính phủ"
    in a province that does not track it): the text is kept as printed. A hand-over
    (:class:`Handover`) ends an assignment (``active_until``) and starts its replacements
    (``active_from``); both stay, so a report of a period before the hand-over still shows the
    former agency.
    """

    # Indexed as the first column of the unique (task, role, position).
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("task"), db_index=False
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("agency"),
        db_index=False,  # the first column of (agency, role)
    )
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    mention = models.CharField(_("as printed"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position in the cell"), default=0)
    active_from = models.DateField(_("assigned from"), null=True, blank=True)
    active_until = models.DateField(_("assigned until"), null=True, blank=True)
    handover = models.ForeignKey(
        "Handover",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("hand-over that made it"),
        db_index=False,  # indexed where set (assignment_handover): most assignments come from a plan
    )
    ended_by = models.ForeignKey(
        "Handover",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ended_assignments",
        verbose_name=_("hand-over that ended it"),
        db_index=False,  # indexed where set (assignment_ended_by)
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["task_id", "role", "position"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["task", "role", "position"], name="assignment_unique_position"),
        ]
        indexes = [
            models.Index(fields=["agency", "role"], name="assignment_agency_role"),
            models.Index(
                fields=["handover"], condition=Q(handover__isnull=False), name="assignment_handover"
            ),
            models.Index(
                fields=["ended_by"], condition=Q(ended_by__isnull=False), name="assignment_ended_by"
            ),
        ]

    def __str__(self):
        return str(self.agency or self.mention)

    def holds_on(self, day):
        return holds_on(self, day)


class Handover(models.Model):
    """A decision handing tasks over to other agencies (chuyển giao / điều chỉnh phân công), e.g.
    the district People's Committees' tasks to the communes from 1 July 2025."""

    decision = models.CharField(
        _("decision"), max_length=255, help_text=_("e.g. Quyết định số 1234/QĐ-UBND ngày 15/07/2025")
    )
    effective_on = models.DateField(_("effective from"))
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self):
        return self.decision


def assigned_to(agency, role=None, on=None):
    """An ``Exists`` telling whether ``agency`` (an Agency or its pk) answers on ``on`` (default
    today) for an assignment of the task at ``OuterRef("pk")`` holding that day: named in it,
    through a group it belongs to, or as the successor of a merged agency
    (:meth:`agencies.models.AgencyQuerySet.answered_by`)."""
    on = on or timezone.localdate()
    answered = Agency.objects.answered_by(agency, on).values("pk")
    assignments = TaskAssignment.objects.in_force(on).filter(agency__in=answered, task=OuterRef("pk"))
    if role:
        assignments = assignments.filter(role=role)
    return Exists(assignments)


class TaskUpdateQuerySet(PlanScopedQuerySet):
    plan_path = "task__plan"

    def comments(self):
        return self.filter(kind=TaskUpdate.Kind.COMMENT)


class TaskUpdate(models.Model):
    """One entry of a task's history: a report, a contribution, a review, an extension decision, an
    edit, a comment. Entries are never changed or deleted. ``changes`` holds ``{"field": [before,
    after]}`` for what the entry changed on the task, or on ``occurrence`` when it concerns one period.

    A comment's words are its ``note``, and ``mentions`` the agencies it @-mentions, as found when it
    was written (``tasks.mentions``). Withdrawing a comment is an entry of its own (kind
    ``withdrawal``, ``withdraws`` the comment): the comment stays with its author and time, its words
    are no longer shown (read them through :attr:`comment_text`)."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("Imported")
        EDIT = "edit", _("Edited")
        REPORT = "report", _("Progress report")
        CONTRIBUTION = "contribution", _("Coordinator's contribution")
        REVIEW = "review", _("Review")
        EXTENSION_REQUEST = "extension_request", _("Extension requested")
        EXTENSION = "extension", _("Deadline extension")
        EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
        HANDOVER = "handover", _("Hand-over")
        COMMENT = "comment", pgettext_lazy("discussion", "Comment")
        WITHDRAWAL = "withdrawal", _("Comment withdrawn")
        URGING = "urging", _("Urging")

    # Indexed as the first column of (task, -created_at).
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="updates", verbose_name=_("task"), db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_updates",
        verbose_name=_("author"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_updates",
        verbose_name=_("agency"),
    )
    occurrence = models.ForeignKey(
        "Occurrence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("period"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_('{"field": [before, after], …}')
    )
    done = models.TextField(_("what was done"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    note = models.TextField(_("note"), blank=True)
    mentions = models.JSONField(
        _("agencies mentioned"),
        default=list,
        blank=True,
        help_text=_(
            'In a comment: [{"start": …, "end": …, "agency": id, "name": "…"}, …], offsets in its note.'
        ),
    )
    withdraws = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="withdrawal",
        verbose_name=_("comment withdrawn"),
    )
    # An urging entry (kind "urging"): the notice it belongs to (tasks.urging).
    urging = models.ForeignKey(
        "UrgingNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("urging notice"),
    )
    # Written through the REST API: the API key's or personal access token's name.
    api_client = models.CharField(_("through the API"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = TaskUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        indexes = [models.Index(fields=["task", "-created_at"], name="update_task_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="withdrawal", withdraws__isnull=False)
                | (~Q(kind="withdrawal") & Q(withdraws__isnull=True)),
                name="update_withdrawal_withdraws_an_entry",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.task.code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Task history cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Task history cannot be deleted."))

    @property
    def withdrawal_entry(self):
        """The entry withdrawing this comment, or None (read from ``select_related("withdrawal")``
        without a query, as :meth:`Task.history` loads it)."""
        try:
            return self.withdrawal
        except TaskUpdate.DoesNotExist:
            return None

    @property
    def comment_text(self):
        """What a comment says; nothing once it is withdrawn. Every page shows comments through it."""
        if self.kind != self.Kind.COMMENT or self.withdrawal_entry is not None:
            return ""
        return self.note


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT that have no public URL: evidence is served only by a view that checks
    the user may see the task (tasks.workflow_views.evidence_file)."""

    def url(self, name):
        raise ValueError("Private files have no URL; link to the view that serves them.")


private_storage = PrivateStorage()


def evidence_path(evidence, filename):
    """A random name under ``evidence/<year>/``: nothing in the path tells what the file is."""
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{timezone.localdate():%Y}/{uuid.uuid4().hex}{suffix}"


class EvidenceQuerySet(PlanScopedQuerySet):
    plan_path = "update__task__plan"


class Evidence(models.Model):
    """A document supporting a report or contribution: its reference as written ("Quyết định số
    123/QĐ-UBND ngày 12/6/2024"), its file, or both. Files live privately under MEDIA_ROOT/evidence."""

    update = models.ForeignKey(
        TaskUpdate, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("update")
    )
    reference = models.CharField(_("document reference"), max_length=255, blank=True)
    file = models.FileField(
        _("file"), upload_to=evidence_path, storage=private_storage, max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["update", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reference="", file=""), name="evidence_has_reference_or_file"
            ),
        ]

    def __str__(self):
        return self.reference or self.original_name

    def get_absolute_url(self):
        return reverse("tasks:evidence", args=[self.pk])


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExtensionRequestQuerySet(PlanScopedQuerySet):
    plan_path = "task__plan"

    def pending(self):
        return self.filter(status=ExtensionStatus.PENDING)


class ExtensionRequest(models.Model):
    """A lead agency's request for more time on a task (or one period of it), and the provincial
    admin's decision. ``original_due`` is the date the work was judged against when asked."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="extension_requests", verbose_name=_("task")
    )
    occurrence = models.ForeignKey(
        Occurrence,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="extension_requests",
        verbose_name=_("period"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="extension_requests",
        verbose_name=_("requested by"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="extension_requests", verbose_name=_("agency")
    )
    original_due = models.DateField(_("due date when asked"))
    proposed_due = models.DateField(_("proposed due date"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_task",
            ),
        ]

    def __str__(self):
        return f"{self.task.code} → {self.proposed_due:%d/%m/%Y}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("New task for your agency")
    SUBMITTED = "submitted", _("Task reported complete, awaiting acceptance")
    ACCEPTED = "accepted", _("Completion accepted")
    RETURNED = "returned", _("Task returned for more work")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
    CONTRIBUTION = "contribution", _("New contribution from a coordinating agency")
    MENTION = "mention", _("Your agency was mentioned in a comment")
    DUE_SOON = "due_soon", _("Deadline approaching")
    OVERDUE = "overdue", _("Task overdue")
    ESCALATION = "escalation", _("Overdue task escalated to you")
    URGED = "urged", _("Your agency was urged to carry out its tasks")
    TARGET_SUBMITTED = "target_submitted", _("Target value reported, awaiting acceptance")
    TARGET_ACCEPTED = "target_accepted", _("Target value accepted")
    TARGET_RETURNED = "target_returned", _("Target value returned")
    TARGET_DUE = "target_due", _("A target's value is due for reporting")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own notifications: nobody reads another's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self):
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """Something a user should know about a task, shown in the portal until read. The headline comes
    from ``kind`` (translated when shown); ``message`` holds the words of the person who acted."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("task"),
    )
    # A notification about a target's reported value (tasks.targets) has no task.
    target = models.ForeignKey(
        "Target", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("target"),
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # An urging notification (kind "urged"): the notice, whose page it opens (tasks.urging).
    urging = models.ForeignKey(
        "UrgingNotice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("urging notice"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_recipient_read")]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False) | Q(target__isnull=False), name="notification_about_something"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.about.code}"

    @property
    def about(self):
        """The task or target the notification is about: what it opens."""
        return self.task or self.target


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    NOT_EMAILED = "not_emailed", _("Shown in the portal only")


class ReminderLog(models.Model):
    """One reminder owed to one person about one task (or occurrence) for one window.

    ``day`` is the first day of the reminder's window (see :mod:`tasks.reminders`); the unique
    constraints on (recipient, task or occurrence, kind, day) make a second scan, a retried job or a
    second beat process unable to owe — and so to send — the same reminder twice. A row stays
    pending until its e-mail went out, so a failed send is retried, never lost.

    The scan writes these rows in bulk, each from a user, task and occurrence it reads in the same
    statement; database foreign-key checks (one trigger per row and key, run at commit) made a
    backlog scan of half a million reminders twice as slow, so the keys are not enforced by
    PostgreSQL. Deleting a task, occurrence or user through Django still deletes its reminders.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("task"),
    )
    # A reminder to report a target's value for a period (tasks.targets.reminders) has no task.
    target = models.ForeignKey(
        "Target",
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("target"),
    )
    occurrence = models.ForeignKey(
        Occurrence,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,  # reminder_once_per_occurrence starts with it
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("occurrence"),
    )
    kind = models.CharField(_("kind"), max_length=16)
    day = models.DateField(_("window"))
    due = models.DateField(_("due date"))
    scanned_on = models.DateField(_("found by the scan of"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["recipient", "due"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "task", "kind", "day"],
                condition=Q(occurrence__isnull=True),
                name="reminder_once_per_task",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "recipient", "kind", "day"],
                condition=Q(occurrence__isnull=False),
                name="reminder_once_per_occurrence",
            ),
            models.UniqueConstraint(
                fields=["target", "recipient", "kind", "day"],
                condition=Q(target__isnull=False),
                name="reminder_once_per_target",
            ),
        ]
        indexes = [models.Index(fields=["status", "recipient"], name="reminder_status_recipient")]

    def __str__(self):
        return f"{self.kind} · {self.about.code} → {self.recipient}"

    @property
    def about(self):
        """The task or the target the reminder is about."""
        return self.task or self.target


class UrgingNoticeQuerySet(ProvinceScopedQuerySet):
    province_path = "province"


class UrgingNotice(models.Model):
    """An urging notice (thông báo đôn đốc): a provincial admin urged the agencies answering for
    overdue or due-soon work to carry it out (``tasks.urging.send``). Its items keep each task with
    the agency urged, the due date and the days overdue on the day it was sent; the portal told the
    agencies' users, each task's history has an entry pointing here, and the Công văn đôn đốc (a
    .docx to register and sign in the e-office system) is generated from it."""

    province = models.ForeignKey(
        "agencies.Province", on_delete=models.PROTECT, related_name="urging_notices",
        verbose_name=_("province"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="urging_notices",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    issuer = models.CharField(
        _("issuing department"), max_length=255,
        help_text=_("The department following the plans up on the day it was sent."),
    )
    subject = models.CharField(_("subject"), max_length=500)
    message = models.TextField(_("message"), blank=True)
    report_by = models.DateField(_("report back by"), null=True, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    signer_name = models.CharField(_("signer"), max_length=255, blank=True)
    number = models.CharField(
        _("number and symbol"), max_length=50, blank=True,
        help_text=_("Left blank: the letter is numbered when it is registered in the e-office system."),
    )

    objects = UrgingNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("urging notice")
        verbose_name_plural = _("urging notices")

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("tasks:urging_notice", args=[self.pk])

    @property
    def sent_on(self):
        """The day it was sent, in the portal's time zone: the day its tasks were judged on."""
        return timezone.localdate(self.created_at)


class UrgingItem(models.Model):
    """One task of an urging notice, for one agency answering for it that day as its lead, with the
    date it was judged against and how many days it was overdue then (None: not yet due)."""

    notice = models.ForeignKey(
        UrgingNotice, on_delete=models.CASCADE, related_name="items", verbose_name=_("urging notice")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="urging_items", verbose_name=_("task")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="urging_items", verbose_name=_("agency")
    )
    due_on = models.DateField(_("due date"))
    days_overdue = models.PositiveIntegerField(_("days overdue"), null=True, blank=True)
    period = models.CharField(_("period"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["notice", "position"]
        verbose_name = _("urged task")
        verbose_name_plural = _("urged tasks")
        constraints = [
            models.UniqueConstraint(fields=["notice", "task", "agency"], name="urging_item_once"),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.agency}"


# Targets and product indicators live in their own module; imported here so Django registers them.
from tasks.targets.models import Indicator, Target, TargetReport  # noqa: E402, F401
