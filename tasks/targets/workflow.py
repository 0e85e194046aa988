"""How a target's reported value moves: an agency reports the value reached for a period with its
evidence, the provincial admin accepts or returns it; returned, the agency reports again. Each step
checks the version of the target the user saw (``tasks.workflow.StaleVersion``) and tells the people
concerned. Who may call which step is ``tasks.permissions``'s."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Role, User
from tasks import notifications
from tasks.models import NotificationKind
from tasks.permissions import target_answerers
from tasks.targets.models import ReportStatus, Target, TargetReport
from tasks.workflow import STALE_MESSAGE, InvalidTransition, StaleVersion, WorkflowError


def _claim(target, version):
    bumped = Target.objects.filter(pk=target.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleVersion(STALE_MESSAGE)
    target.version = version + 1


def _reporters(report):
    """The focal points answering for the target today, and whoever reported the value."""
    answering = target_answerers(report.target, timezone.localdate())
    users = User.objects.filter(role=Role.FOCAL_POINT, is_active=True, agency__in=answering)
    return {*users.values_list("pk", flat=True), report.author_id}


@transaction.atomic
def report_value(target, *, author, version, period_start, period_end, value, note="",
                 evidence_reference="", evidence_file=None):
    """Record the value reached for the period; it waits for the provincial admin. One value per
    period waits at a time."""
    if period_start > period_end:
        raise WorkflowError(_("The period must start before it ends."))
    _claim(target, version)
    waiting = target.reports.filter(status=ReportStatus.AWAITING, period_end=period_end)
    if waiting.exists():
        raise WorkflowError(_("A value for this period is already awaiting acceptance."))
    report = TargetReport.objects.create(
        target=target, period_start=period_start, period_end=period_end, value=value, note=note,
        evidence_reference=evidence_reference, evidence_file=evidence_file or "",
        evidence_name=evidence_file.name[:255] if evidence_file else "",
        author=author, agency=author.agency,
    )
    admins = notifications.province_admins(target)
    notifications.notify_about_target(admins, NotificationKind.TARGET_SUBMITTED, target, note, author)
    return report


@transaction.atomic
def review_value(report, *, author, version, accept, note=""):
    """Accept the value, or return it with the reason (required); the reporters are told."""
    if not accept and not note.strip():
        raise WorkflowError(_("Say why the value is returned."))
    _claim(report.target, version)
    report = TargetReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.AWAITING:
        raise InvalidTransition(_("This value has already been reviewed."))
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_note = author, timezone.now(), note
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    kind = NotificationKind.TARGET_ACCEPTED if accept else NotificationKind.TARGET_RETURNED
    notifications.notify_about_target(_reporters(report), kind, report.target, note, author)
    return report
