"""Targets (chỉ tiêu) of a plan and the values agencies report for them.

A target is a promise in numbers: "Tỷ lệ hồ sơ trực tuyến toàn trình … tối thiểu 80%" is the
comparator ">=", the value 80 and the unit "%". Agencies report the value reached for a period; the
provincial admin accepts or returns each report, as for tasks. The state of a target for a period is
judged on the latest value accepted for it (``tasks.targets.judging``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from plans.measures import EQ, GE, GT, LE, LT, RANGE
from plans.models import Plan, PlanScopedQuerySet
from tasks.models import evidence_path, private_storage
from tasks.targets.judging import is_met

DECIMAL = {"max_digits": 16, "decimal_places": 4}


class Comparator(models.TextChoices):
    AT_LEAST = GE, _("at least")
    MORE_THAN = GT, _("more than")
    EQUAL = EQ, _("equal to")
    AT_MOST = LE, _("at most")
    LESS_THAN = LT, _("less than")
    BETWEEN = RANGE, _("between")


class TargetOrigin(models.TextChoices):
    IMPORTED = "imported", _("Imported from the plan's file")
    PROPOSED = "proposed", _("Read from the plan's objectives, confirmed by the admin")
    MANUAL = "manual", _("Entered by hand")


class TargetQuerySet(PlanScopedQuerySet):
    pass


class Target(models.Model):
    """One target of a plan, as printed, with the figure read from it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=20, help_text=_('As printed: "1", "2.3", "a".'))
    group = models.CharField(_("group"), max_length=300, blank=True, help_text=_('"2.2. Chính quyền số"'))
    name = models.TextField(_("target"))
    comparator = models.CharField(_("comparator"), max_length=5, choices=Comparator.choices, default=GE)
    value = models.DecimalField(_("value"), null=True, blank=True, **DECIMAL,
                                help_text=_("Blank while the figure to reach is not known."))
    value_max = models.DecimalField(_("upper value"), null=True, blank=True, **DECIMAL,
                                    help_text=_("For a range: 03–05 is 3 to 5."))
    unit = models.CharField(_("unit"), max_length=60, help_text=_('"%", "doanh nghiệp", "hồ sơ", "số"…'))
    level = models.CharField(_("level"), max_length=120, blank=True, help_text=_('"cấp tỉnh", "cấp xã"…'))
    deadline_text = models.CharField(_("deadline as printed"), max_length=255, blank=True)
    due = models.DateField(_("due"), null=True, blank=True, help_text=_("Read from the deadline."))
    reporting_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="targets",
        verbose_name=_("reporting agency"),
        help_text=_("The agency that reports the value; left blank, the provincial admin reports it."),
    )
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **DECIMAL)
    baseline_text = models.CharField(_("baseline as printed"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=TargetOrigin.choices,
                              default=TargetOrigin.MANUAL)
    position = models.PositiveIntegerField(_("position"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code_per_plan"),
            models.CheckConstraint(
                condition=~Q(comparator=RANGE) | Q(value_max__isnull=False),
                name="target_range_has_upper_value",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.name[:80]}"

    def get_absolute_url(self):
        return reverse("tasks:target", args=[self.pk])

    @property
    def title(self):
        return self.name


class ReportStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class TargetReportQuerySet(PlanScopedQuerySet):
    plan_path = "target__plan"

    def accepted(self):
        return self.filter(status=ReportStatus.ACCEPTED)


class TargetReport(models.Model):
    """A value reported for a target and a period, with its evidence, and its review. Never deleted: a
    report returned stays in the history and the agency reports again."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="reports", verbose_name=_("target")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("value reached"), **DECIMAL)
    note = models.TextField(_("explanation"), blank=True)
    evidence_reference = models.CharField(_("document reference"), max_length=255, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, max_length=255,
                                     blank=True, storage=private_storage)
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               related_name="target_reports", verbose_name=_("reported by"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="target_reports", verbose_name=_("agency"))
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.AWAITING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="target_reviews", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review comment"), blank=True)

    objects = TargetReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("target report")
        verbose_name_plural = _("target reports")
        indexes = [models.Index(fields=["target", "status", "period_end"], name="target_report_state")]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")),
                                   name="target_report_period_ordered"),
        ]

    def __str__(self):
        return f"{self.target.code} · {self.period_end:%d/%m/%Y} · {self.value}"


class Indicator(models.Model):
    """A measurable part of a task's deliverable ("Tối thiểu 20 doanh nghiệp được hỗ trợ" is ">= 20
    doanh nghiệp"), read at import and correctable by the admin, with the value the lead agency last
    reported for it. When its plan says so, a task is accepted only once every indicator is met."""

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="indicators",
                             verbose_name=_("task"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    comparator = models.CharField(_("comparator"), max_length=5, choices=Comparator.choices, default=GE)
    value = models.DecimalField(_("value"), **DECIMAL)
    value_max = models.DecimalField(_("upper value"), null=True, blank=True, **DECIMAL)
    unit = models.CharField(_("unit"), max_length=60)
    subject = models.CharField(_("what is counted"), max_length=500, blank=True)
    reported = models.DecimalField(_("value reported"), null=True, blank=True, **DECIMAL)

    class Meta:
        ordering = ["task", "position", "pk"]
        verbose_name = _("product indicator")
        verbose_name_plural = _("product indicators")
        constraints = [
            models.CheckConstraint(
                condition=~Q(comparator=RANGE) | Q(value_max__isnull=False),
                name="indicator_range_has_upper_value",
            ),
        ]

    def __str__(self):
        return describe(self)

    @property
    def met(self):
        return is_met(self.comparator, self.value, self.value_max, self.reported)


def describe(promise):
    """A target's or indicator's figure as a clerk writes it: "≥ 80 %", "3–5 dự án"."""
    value = format_number(promise.value)
    if promise.comparator == RANGE:
        figure = f"{value}–{format_number(promise.value_max)}"
    else:
        figure = f"{SYMBOLS[promise.comparator]} {value}"
    unit = promise.unit if promise.unit != "số" else ""
    return f"{figure} {unit}".strip() if unit != "%" else f"{figure}%"


SYMBOLS = {GE: "≥", GT: ">", EQ: "=", LE: "≤", LT: "<"}


def format_number(value):
    """A figure in Vietnamese: decimal comma, no trailing zeros ("99,5", "80")."""
    if value is None:
        return ""
    text = format(value.normalize() if hasattr(value, "normalize") else value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
