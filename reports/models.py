"""Periodic progress reports: each agency's report to the plan's recipient department and that
department's consolidated report to the provincial People's Committee, and the per-plan cut-off
and due days of the reporting regime; and the PDF conversions waiting for the Celery worker."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from plans.models import Plan, PlanScopedQuerySet
from reports.labels import period_label
from reports.periods import DEFAULT_CUTOFF_DAY, DEFAULT_DUE_DAY, parse_period

_DAY = [MinValueValidator(1), MaxValueValidator(28)]  # a day every month has


class ReportSettings(models.Model):
    """The reporting regime of a plan: day of the period's last month on which data is cut off
    (Decree 09/2019/NĐ-CP: the 14th) and on which agencies' reports are due. A plan without a row
    uses the defaults."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="report_settings", verbose_name=_("plan")
    )
    cutoff_day = models.PositiveSmallIntegerField(
        _("data cut-off day"), default=DEFAULT_CUTOFF_DAY, validators=_DAY,
        help_text=_("Day of the period's last month on which figures are taken (Decree 09/2019: 14)."),
    )
    due_day = models.PositiveSmallIntegerField(
        _("report due day"), default=DEFAULT_DUE_DAY, validators=_DAY,
        help_text=_("Day of the period's last month by which agencies send their reports."),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_day__gte=models.F("cutoff_day")), name="report_due_after_cutoff"
            ),
        ]

    def __str__(self):
        return str(self.plan)

    def clean(self):
        if self.due_day is not None and self.cutoff_day is not None and self.due_day < self.cutoff_day:
            raise ValidationError({"due_day": _("Reports cannot be due before the data cut-off.")})

    @classmethod
    def days_for(cls, plan):
        """(cut-off day, due day) of ``plan``, or the defaults (without a query when ``plan`` is None)."""
        row = cls.objects.filter(plan=plan).first() if plan is not None else None
        return (row.cutoff_day, row.due_day) if row else (DEFAULT_CUTOFF_DAY, DEFAULT_DUE_DAY)


class ReportQuerySet(PlanScopedQuerySet):
    def visible_to(self, user):
        """Provincial admins see every report of their province; a focal point sees its own agency's
        reports only; leaders and others see none."""
        reports = super().visible_to(user)
        if user.is_superuser or user.is_province_admin:
            return reports
        if user.is_focal_point:
            return reports.filter(kind=Report.Kind.AGENCY, agency_id=user.agency_id)
        return reports.none()


class Report(models.Model):
    """A progress report on one plan for one period, as a Vietnamese administrative document.

    ``kind`` agency: an agency reports on the tasks it leads to the plan's recipient department.
    ``kind`` consolidated: the recipient department reports on every agency to the provincial
    People's Committee. A draft is edited freely; once submitted, ``snapshot`` holds every figure
    and table as they stood, and the report is shown and exported from it, never recomputed.
    """

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Agency report")
        CONSOLIDATED = "consolidated", _("Consolidated report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports", verbose_name=_("plan"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="reports", verbose_name=_("issuing agency")
    )
    recipient = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="received_reports",
        verbose_name=_("addressed to"),
    )
    period = models.CharField(_("period"), max_length=25, help_text=_('"2024", "2024-H1", "2024-Q3".'))
    number = models.CharField(_("number and symbol"), max_length=50, blank=True,
                              help_text=_('As it will be printed, e.g. "125/BC-SNV".'))
    report_date = models.DateField(_("report date"))
    summary = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-report_date", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "agency", "kind", "period"], name="report_unique_per_period"
            ),
        ]
        indexes = [models.Index(fields=["plan", "period", "kind"], name="report_plan_period")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.agency} · {period_label(self.period_obj)}"

    def get_absolute_url(self):
        return reverse("reports:document", args=[self.pk])

    @property
    def period_obj(self):
        return parse_period(self.period)

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


PDF_FOLDER = "private/pdf"


def pdf_export_path(export, filename):
    """Exported files go under ``private/`` in the media folder, which no URL serves (they are
    downloaded through ``reports:pdf_export_file``, by their owner only), with a random name."""
    return f"{PDF_FOLDER}/{timezone.now():%Y/%m/%d}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class PdfExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees the conversions they asked for; a superuser every one."""
        if user.is_superuser:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


class PdfExport(models.Model):
    """A report's .docx waiting for (or done with) its conversion to PDF by the Celery worker of the
    ``pdf`` queue (``reports.pdf_exports``). ``name`` is the file name given to the user, without its
    extension. Kept one day (``pdf_exports.KEPT_FOR``), then removed with its files."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be converted")
        CONVERTING = "converting", _("Converting")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pdf_exports",
        verbose_name=_("requested by"),
    )
    name = models.CharField(_("file name"), max_length=150)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    source = models.FileField(_(".docx file"), upload_to=pdf_export_path, max_length=255)
    pdf = models.FileField(_("PDF file"), upload_to=pdf_export_path, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The .pdf link followed (path and query), to ask for the file again after a failure.
    requested_path = models.CharField(_("requested from"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PdfExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("PDF export")
        verbose_name_plural = _("PDF exports")
        # The queue position counts the waiting ones; the daily clean-up finds the old ones.
        indexes = [
            models.Index(fields=["status", "created_at"], name="pdf_export_status_created"),
            models.Index(fields=["created_at"], name="pdf_export_created"),
        ]

    def __str__(self):
        return f"{self.name}.pdf · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("reports:pdf_export", args=[self.pk])
