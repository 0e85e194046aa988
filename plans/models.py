"""Plans (Kế hoạch) issued by a provincial People's Committee and the sections of their appendix."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Province, ProvinceScopedQuerySet
from config.expressions import AnyOf
from plans.fields import CompressedJSONField
from tasks.deadlines import DeadlineKind, occurrences, parse_deadline, printed_horizon
from tasks.reminders import ReminderPolicy

# As in 115/KH-UBND: agencies fold their progress into the yearly report due before 30 November.
DEFAULT_REPORTING_DEADLINE = "Hằng năm, trước ngày 30 tháng 11"


def reminder_policy(days, escalate_after, escalate_admin_after):
    days = tuple(int(day) for day in days.split(","))
    return ReminderPolicy(days, escalate_after, escalate_admin_after)


def validate_reminder_days(value):
    try:
        reminder_policy(value, 0, 0)
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of days, largest first, separated by commas: 7,3,1.")
        ) from None


def open_periodic_task(prefix=""):
    """Recurring or ongoing tasks neither completed nor cancelled as a whole."""
    return Q(**{f"{prefix}deadline_kind__in": ["recurring", "ongoing"]}) & ~Q(
        **{f"{prefix}status__in": ["completed", "cancelled"]}
    )


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class PlanQuerySet(ProvinceScopedQuerySet):
    def _count_of_tasks(self, *conditions):
        """Each plan's tasks meeting ``conditions``, counted per plan from the index on the tasks'
        (plan, status, deadline kind) alone: joining the plans to their tasks had PostgreSQL scan
        every task of the country (issue 16: 200 ms of the admin's home at 1,000,000 tasks)."""
        tasks = self.model._meta.get_field("tasks").related_model.objects
        counted = (
            tasks.filter(*conditions, plan=OuterRef("pk")).order_by().values("plan")
            .annotate(n=Count("*")).values("n")
        )
        return Coalesce(Subquery(counted), 0)

    def with_open_periodic_work(self):
        """Annotate ``open_periodic_work``: how many recurring or ongoing tasks are still open (their
        periods are tracked only up to the plan's horizon)."""
        return self.annotate(open_periodic_work=self._count_of_tasks(open_periodic_task()))

    def past_horizon(self, on):
        """Active plans whose horizon ended before ``on`` with recurring or ongoing work still open:
        tracking them stops unless their admin extends the horizon or closes the plan. The horizon
        may come from the title, so the (few) active plans are checked in Python."""
        plans = self.filter(status=PlanStatus.ACTIVE).with_open_periodic_work()
        plans = plans.filter(open_periodic_work__gt=0)
        return [plan for plan in plans if plan.horizon_passed(on)]

    def with_task_counts(self):
        return self.annotate(
            task_count=self._count_of_tasks(),
            completed_count=self._count_of_tasks(Q(status="completed")),
        )


class PlanScopedQuerySet(ProvinceScopedQuerySet):
    """Rows belonging to a province through a plan (``plan_path``).

    Rows are picked by their plans' ids (``plan_id = ANY(ARRAY(plans))``, ``config.expressions.AnyOf``),
    a user's as those of the held provinces' plans, so PostgreSQL reads them through the plan index
    before judging any of them, rather than scanning the country's rows to join each to its plan: it
    estimates a quarter of the plans for an unknown province and took the scan (issue 16: 200 ms of
    the overdue task list at 1,000,000 tasks)."""

    plan_path = "plan"

    def of_plans(self, plans):
        """The rows of ``plans`` (a queryset of plans)."""
        return self.filter(AnyOf(F(f"{self.plan_path}_id"), Subquery(plans.values("pk"))))

    def visible_to(self, user):
        if not user.is_authenticated or user.is_superuser or user.province_id is None:
            return super().visible_to(user)
        return self.of_plans(Plan.objects.visible_to(user))


def plan_label(number, title):
    """How a plan is named wherever it is listed: its number, else its title marked as unnumbered
    (some plans are published without a number)."""
    return number or _("Plan (unnumbered): %(title)s") % {"title": title[:60]}


class Plan(models.Model):
    """A plan such as "115/KH-UBND" whose appendix lists the tasks agencies must carry out."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="plans", verbose_name=_("province")
    )
    number = models.CharField(
        _("number"), max_length=50, blank=True, help_text=_('As printed, e.g. "115/KH-UBND".')
    )
    kind = models.CharField(
        _("kind of document"), max_length=50, blank=True,
        help_text=_('As the document names itself: "Kế hoạch", "Quyết định", "Chương trình"…'),
    )
    title = models.TextField(_("title"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    reference_date = models.DateField(
        _("deadline reference date"),
        help_text=_('Deadlines such as "Hằng quý" are read from this date: the issue date, or the '
                    "date of the draft."),
    )
    issuer = models.CharField(_("issuing body"), max_length=255)
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=255, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True, help_text=_("One document per line."))
    related_documents = models.TextField(_("related documents"), blank=True)
    end_year = models.PositiveSmallIntegerField(
        _("last year of the plan"),
        null=True,
        blank=True,
        help_text=_("Recurring tasks get a due date each period until the end of this year. Left "
                    "blank: the year the title names (“đến năm 2025”, “giai đoạn 2024 - 2026”), "
                    "else the year after the plan's date."),
    )
    awaiting_counts_as_done = models.BooleanField(
        _("count work awaiting acceptance as completed"),
        default=False,
        help_text=_("By default, work reported complete counts as within its deadline until the "
                    "admin accepts it. Some provinces count it as completed in their figures."),
    )
    indicators_required = models.BooleanField(
        _("a task is complete only when its product indicators are met"),
        default=False,
        help_text=_("Then work is accepted only when the values reported for every product indicator "
                    "of the task (“Tối thiểu 20 doanh nghiệp …”) meet them."),
    )
    reporting_deadline_text = models.CharField(
        _("reporting cycle"),
        max_length=255,
        default=DEFAULT_REPORTING_DEADLINE,
        help_text=_('When agencies report on ongoing tasks, written as in plans: "Hằng năm, trước '
                    'ngày 30 tháng 11", "Hằng quý", "Định kỳ 6 tháng".'),
    )
    reminder_days = models.CharField(
        _("remind lead agencies (days before the due date)"),
        max_length=30,
        default="7,3,1",
        validators=[validate_reminder_days],
        help_text=_("Comma-separated, largest first. Reminders also go out on the due day and weekly "
                    "while overdue."),
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("escalate to the agency's leaders after (days overdue)"), default=14
    )
    escalate_admin_after = models.PositiveSmallIntegerField(
        _("escalate to the provincial admin after (days overdue)"), default=30
    )
    report_recipient = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_plans",
        verbose_name=_("report recipient"),
        help_text=_("The department that follows the plan up and receives the agencies' reports."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-reference_date", "number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number"],
                condition=~Q(number=""),
                name="plan_unique_number_per_province",
            ),
        ]
        indexes = [models.Index(fields=["province", "status"], name="plan_province_status")]

    def __str__(self):
        return plan_label(self.number, self.title)

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def year(self):
        return (self.issued_on or self.reference_date).year

    @property
    def horizon_year(self):
        """The last year periods are tracked: the end year set for the plan, else the one its title
        prints ("đến năm 2025", "giai đoạn 2024 - 2026"), else the year after its date."""
        if self.end_year:
            return self.end_year
        printed = printed_horizon(self.title)
        return max(printed, self.reference_date.year) if printed else self.reference_date.year + 1

    @property
    def horizon_end(self):
        return datetime.date(self.horizon_year, 12, 31)

    def horizon_passed(self, on):
        return on > self.horizon_end

    def reporting_dates(self):
        """The dates agencies report on ongoing tasks, from the reporting cycle to the horizon."""
        cycle = parse_deadline(self.reporting_deadline_text, self.reference_date)
        if cycle.kind != "recurring":
            return []
        return occurrences(cycle, until=self.horizon_end)

    def occurrence_dates(self, deadline):
        """Due dates of the occurrences of a task of this plan with ``deadline`` (a
        ``tasks.deadlines.Deadline``), up to the horizon: one per period of a recurring task, one
        per reporting date for an ongoing task, none otherwise."""
        if deadline.kind == DeadlineKind.RECURRING:
            return occurrences(deadline, until=self.horizon_end)
        if deadline.kind == DeadlineKind.ONGOING:
            return self.reporting_dates()
        return []

    @property
    def reminder_policy(self):
        return reminder_policy(self.reminder_days, self.escalate_after, self.escalate_admin_after)

    def clean(self):
        super().clean()
        try:
            self.reminder_policy  # noqa: B018 - validates the three fields together
        except ValueError:
            raise ValidationError(
                {"escalate_admin_after": _("The admin is reached after the leaders, not before.")}
            ) from None

    def report_recipient_on(self, day):
        """Who receives reports on ``day``: Sở TT&TT until 1 March 2025, then its successor Sở KH&CN."""
        if self.report_recipient is None:
            return None
        return self.report_recipient.in_office_on(day)


class PlanSection(models.Model):
    """A numbered section of a plan's appendix ("II. KIỆN TOÀN TỔ CHỨC BỘ MÁY …")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=20, help_text=_('As printed: "II", "5", "7.1".'))
    title = models.TextField(_("title"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="section_unique_code_per_plan")]

    def __str__(self):
        return f"{self.code}. {self.title}" if self.code else self.title


APPENDIX_FOLDER = "private/appendix"


def appendix_upload_path(instance, filename):
    """Uploaded appendices go under ``private/`` in the media folder, which no URL serves, in a folder
    of their month, with a random name (the original one is kept in the row)."""
    return f"{APPENDIX_FOLDER}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    READING = "reading", _("Reading the file")
    PREVIEWED = "previewed", _("Waiting for confirmation")
    COMMITTING = "committing", _("Saving")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class AppendixImport(models.Model):
    """One upload of an appendix file: its preview while the admin checks it, then what was saved.

    ``plan`` is empty until a new plan is created on confirmation (its fields wait in ``new_plan``).
    ``preview`` holds the tasks as they will be saved (see ``plans.importing``); ``rows_done`` out of
    ``rows_total`` drives the progress bar while a large file is read in the background.
    """

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="appendix_imports", verbose_name=_("province")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports",
        verbose_name=_("plan"),
    )
    new_plan = models.JSONField(_("plan to create"), default=dict, blank=True)
    reference_date = models.DateField(_("deadline reference date"))
    file = models.FileField(_("file"), upload_to=appendix_upload_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="appendix_imports", verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    preview = CompressedJSONField(_("preview"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("appendix import")
        verbose_name_plural = _("appendix imports")
        indexes = [models.Index(fields=["province", "-created_at"], name="import_province_created")]

    def __str__(self):
        return f"{self.original_name} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("plans:import_detail", args=[self.pk])

    @property
    def counts_pages(self):
        """A PDF's progress counts pages, a sheet's rows."""
        return self.original_name.lower().endswith(".pdf")

    @property
    def percent_done(self):
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    @property
    def in_progress(self):
        return self.status in (ImportStatus.UPLOADED, ImportStatus.READING, ImportStatus.COMMITTING)
