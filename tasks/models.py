"""Appendix tasks, the agencies assigned to them and their append-only history."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, ProvinceScopedQuerySet
from plans.models import Plan, PlanSection
from tasks.deadlines import Deadline, occurrences, parse_deadline
from tasks.states import ProgressState, due_soon, overdue_band, progress_state


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    RETURNED = "returned", _("Returned for more work")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Fixed date")
    PERIOD = "period", _("Period")
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


class TaskQuerySet(ProvinceScopedQuerySet):
    province_path = "plan__province"

    def for_agency(self, agency, role=None):
        """Tasks the agency is assigned to, directly or through a group it belongs to
        ("Các sở, ban, ngành Tỉnh" makes every department a lead)."""
        assignments = TaskAssignment.objects.filter(
            Q(agency=agency) | Q(agency__members=agency), task=OuterRef("pk")
        )
        if role:
            assignments = assignments.filter(role=role)
        return self.filter(Exists(assignments))

    def with_state(self, on):
        """Annotate ``due_on`` (the date the task is judged against on ``on``), ``state`` (a
        :class:`~tasks.states.ProgressState`) and ``overdue_band``.

        ``due_on`` is the admin's override if any, else, for a recurring task, the earliest of its
        occurrences still open on ``on``, else the parsed deadline.
        """
        open_occurrence = (
            Occurrence.objects.filter(task=OuterRef("pk"))
            .exclude(status=TaskStatus.COMPLETED, completed_on__lte=on)
            .order_by("due")
            .values("due")[:1]
        )
        recurring_due = Coalesce("due_override", Subquery(open_occurrence), "deadline_due")
        return self.annotate(
            due_on=models.Case(
                models.When(deadline_kind=DeadlineKind.RECURRING, then=recurring_due),
                default=Coalesce("due_override", "deadline_due"),
                output_field=models.DateField(),
            )
        ).annotate(state=progress_state(on), overdue_band=overdue_band(on))

    def in_state(self, on, *states):
        return self.with_state(on).filter(state__in=states)

    def overdue(self, on):
        return self.in_state(on, ProgressState.OVERDUE)

    def due_within(self, days, on):
        """Open work falling due between ``on`` and ``days`` days later (inclusive)."""
        return self.with_state(on).filter(due_soon(on, days))

    def unknown_deadline(self):
        """Tasks whose deadline nobody could read and no admin has dated yet: to fix."""
        return self.filter(deadline_kind=DeadlineKind.UNKNOWN, due_override__isnull=True)

    def sync_occurrences(self):
        """Give each task the occurrences its deadline calls for, up to its plan's horizon: one per
        period for a recurring task, one per reporting date of the plan for an ongoing task.

        Occurrences that no longer fit (the deadline text changed) are removed unless someone
        already worked on them. Three queries whatever the number of tasks.
        """
        tasks = list(self.select_related("plan"))
        wanted = {}
        for task in tasks:
            purpose = (
                Occurrence.Purpose.RECURRENCE
                if task.deadline_kind == DeadlineKind.RECURRING
                else Occurrence.Purpose.REPORT
            )
            wanted.update({(task.pk, due): purpose for due in task.occurrence_dates()})
        existing = Occurrence.objects.filter(task__in=tasks)
        stale = [
            pk
            for pk, task_id, due in existing.filter(status=TaskStatus.NOT_STARTED).values_list(
                "pk", "task_id", "due"
            )
            if (task_id, due) not in wanted
        ]
        Occurrence.objects.filter(pk__in=stale).delete()
        Occurrence.objects.bulk_create(
            [Occurrence(task_id=pk, due=due, purpose=purpose) for (pk, due), purpose in wanted.items()],
            ignore_conflicts=True,
        )

    def with_assignments(self):
        """Prefetch lead and coordinating agencies in a fixed number of queries."""
        return self.prefetch_related(
            Prefetch("assignments", queryset=TaskAssignment.objects.select_related("agency"))
        )


class Task(models.Model):
    """One row of a plan's appendix: what to do, by whom, by when, with what result."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan"))
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
            models.Index(fields=["status", "deadline_due"], name="task_status_due"),
            models.Index(fields=["deadline_due"], name="task_due"),
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
        every = self.deadline_every or None
        return Deadline(self.deadline_text, self.deadline_kind, self.deadline_due, every)

    @property
    def due(self):
        """The date the task is judged against: the admin's override wins over the parsed deadline."""
        return self.due_override or self.deadline_due

    def occurrence_dates(self):
        """Due dates of the task's occurrences up to its plan's horizon (see ``sync_occurrences``)."""
        if self.deadline_kind == DeadlineKind.RECURRING:
            return occurrences(self.deadline, until=self.plan.horizon_end)
        if self.deadline_kind == DeadlineKind.ONGOING:
            return self.plan.reporting_dates()
        return []

    @property
    def state_label(self):
        """The label of the ``state`` annotation (see ``TaskQuerySet.with_state``)."""
        return ProgressState(self.state).label

    def _assigned(self, role):
        # Reads the prefetched assignments (see TaskQuerySet.with_assignments) without a query.
        return [a for a in self.assignments.all() if a.role == role]

    @property
    def leads(self):
        return self._assigned(AssignmentRole.LEAD)

    @property
    def coordinators(self):
        return self._assigned(AssignmentRole.COORDINATOR)


class OccurrenceQuerySet(ProvinceScopedQuerySet):
    province_path = "task__plan__province"

    def with_state(self, on):
        return self.annotate(
            state=progress_state(on, due="due", kind="task__deadline_kind"),
            overdue_band=overdue_band(on, due="due"),
        )


class Occurrence(models.Model):
    """One due date of a recurring task ("Hằng quý": one per quarter), or one periodic report of an
    ongoing task on the plan's reporting cycle. Each has its own status and completion date."""

    class Purpose(models.TextChoices):
        RECURRENCE = "recurrence", _("Recurring deadline")
        REPORT = "report", _("Periodic report")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("task")
    )
    due = models.DateField(_("due date"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["task", "due"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [models.UniqueConstraint(fields=["task", "due"], name="occurrence_unique_due")]
        indexes = [models.Index(fields=["due", "status"], name="occurrence_due_status")]

    def __str__(self):
        return f"{self.task.code} · {self.due:%d/%m/%Y}"

    @property
    def state_label(self):
        return ProgressState(self.state).label

    @property
    def is_done(self):
        return self.status == TaskStatus.COMPLETED


class TaskAssignment(models.Model):
    """An agency named in a task's lead or coordinator cell, with the words the appendix used.

    ``agency`` is empty when the mention names no agency of the province (e.g. "Văn phòng Chính phủ"
    in a province that does not track it): the text is kept as printed.
    """

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("task")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    mention = models.CharField(_("as printed"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position in the cell"), default=0)

    class Meta:
        ordering = ["task", "role", "position"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["task", "role", "position"], name="assignment_unique_position"),
        ]
        indexes = [
            models.Index(fields=["agency", "role"], name="assignment_agency_role"),
            models.Index(fields=["task", "role"], name="assignment_task_role"),
        ]

    def __str__(self):
        return str(self.agency or self.mention)


class TaskUpdate(models.Model):
    """One entry of a task's history. Entries are never changed or deleted."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("Imported")
        EDIT = "edit", _("Edited")
        REPORT = "report", _("Progress report")
        CONTRIBUTION = "contribution", _("Coordinator's contribution")
        REVIEW = "review", _("Review")
        EXTENSION = "extension", _("Deadline extension")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates", verbose_name=_("task"))
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
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_('{"field": [before, after], …}')
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        indexes = [models.Index(fields=["task", "-created_at"], name="update_task_created")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.task.code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Task history cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Task history cannot be deleted."))
