"""A target's value through the workflow: reported with evidence, returned with a reason, reported
again, accepted; each step checks the version seen and tells the people concerned."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Role
from tasks.models import Notification, NotificationKind
from tasks.permissions import can_report_target, can_review_target
from tasks.targets import workflow
from tasks.targets.models import ReportStatus
from tasks.workflow import InvalidTransition, StaleVersion, WorkflowError
from tests.factories import AgencyFactory, TargetFactory, UserFactory

pytestmark = pytest.mark.django_db

Q3 = {"period_start": datetime.date(2026, 7, 1), "period_end": datetime.date(2026, 9, 30)}
TODAY = datetime.date(2026, 12, 2)


@pytest.fixture
def target(plan, lead_agency):
    return TargetFactory(plan=plan, reporting_agency=lead_agency, value=80)


def report(target, author, value="78", **extra):
    target.refresh_from_db()
    return workflow.report_value(
        target, author=author, version=target.version, value=Decimal(value), **Q3, **extra
    )


def review(report_, admin, accept, note=""):
    report_.target.refresh_from_db()
    return workflow.review_value(
        report_, author=admin, version=report_.target.version, accept=accept, note=note
    )


def test_reported_returned_reported_again_and_accepted(target, lead_focal_point, province_admin):
    first = report(target, lead_focal_point, "78", evidence_reference="Báo cáo số 12/BC-SNV")
    assert first.status == ReportStatus.AWAITING and first.agency == target.reporting_agency
    review(first, province_admin, accept=False, note="Thiếu số liệu cấp xã")
    second = report(target, lead_focal_point, "82", note="Đã bổ sung số liệu cấp xã")
    accepted = review(second, province_admin, accept=True)
    statuses = list(target.reports.order_by("pk").values_list("value", "status", "review_note"))
    assert statuses == [
        (Decimal("78"), ReportStatus.RETURNED, "Thiếu số liệu cấp xã"),
        (Decimal("82"), ReportStatus.ACCEPTED, ""),
    ]
    assert accepted.reviewed_by == province_admin


def test_a_report_with_a_version_seen_before_a_change_is_refused(target, lead_focal_point):
    seen = target.version
    report(target, lead_focal_point)
    with pytest.raises(StaleVersion):
        workflow.report_value(target, author=lead_focal_point, version=seen, value=Decimal("90"), **Q3)
    assert target.reports.count() == 1


def test_one_value_per_period_waits_at_a_time(target, lead_focal_point):
    report(target, lead_focal_point)
    with pytest.raises(WorkflowError):
        report(target, lead_focal_point, "90")
    assert target.reports.count() == 1


def test_returning_needs_a_reason(target, lead_focal_point, province_admin):
    waiting = report(target, lead_focal_point)
    with pytest.raises(WorkflowError):
        review(waiting, province_admin, accept=False, note="  ")
    waiting.refresh_from_db()
    assert waiting.status == ReportStatus.AWAITING


def test_a_value_is_reviewed_once(target, lead_focal_point, province_admin):
    waiting = report(target, lead_focal_point)
    review(waiting, province_admin, accept=True)
    with pytest.raises(InvalidTransition):
        review(waiting, province_admin, accept=False, note="Nhầm")


def test_the_admins_hear_of_a_report_and_the_reporters_of_the_decision(
    target, lead_focal_point, province_admin
):
    waiting = report(target, lead_focal_point)
    assert list(Notification.objects.filter(target=target).values_list("recipient", "kind")) == [
        (province_admin.pk, NotificationKind.TARGET_SUBMITTED)
    ]
    review(waiting, province_admin, accept=False, note="Thiếu minh chứng")
    returned = Notification.objects.get(target=target, kind=NotificationKind.TARGET_RETURNED)
    assert (returned.recipient, returned.message) == (lead_focal_point, "Thiếu minh chứng")


def test_the_evidence_file_is_kept_privately(target, lead_focal_point, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    saved = report(target, lead_focal_point, evidence_file=upload)
    assert saved.evidence_name == "bao-cao.pdf"
    assert saved.evidence_file.name.startswith("evidence/") and "bao-cao" not in saved.evidence_file.name


# --- Who reports and reviews -------------------------------------------------------------------------


def test_the_focal_points_of_the_reporting_agency_report(target, lead_focal_point, province):
    other = UserFactory(province=province, agency=AgencyFactory(province=province, name="Sở Tài chính"))
    assert can_report_target(lead_focal_point, target, TODAY)
    assert not can_report_target(other, target, TODAY)


def test_the_successor_of_a_merged_reporting_agency_reports(plan, province, lead_agency, lead_focal_point):
    merged = AgencyFactory(
        province=province,
        name="Sở Lao động - Thương binh và Xã hội",
        active_until=datetime.date(2025, 2, 28),
        successor=lead_agency,
    )
    target = TargetFactory(plan=plan, reporting_agency=merged)
    assert can_report_target(lead_focal_point, target, TODAY)


def test_without_a_reporting_agency_the_plans_admin_reports(
    plan, province_admin, lead_focal_point, other_admin
):
    target = TargetFactory(plan=plan, reporting_agency=None)
    assert can_report_target(province_admin, target, TODAY)
    assert not can_report_target(lead_focal_point, target, TODAY)
    assert not can_report_target(other_admin, target, TODAY)


def test_nobody_reports_on_a_closed_plan(plan, target, lead_focal_point):
    plan.status = "closed"
    plan.save()
    assert not can_report_target(lead_focal_point, target, TODAY)


def test_only_the_plans_admins_review(target, province_admin, lead_focal_point, other_admin, province):
    leader = UserFactory(province=province, role=Role.LEADER)
    assert can_review_target(province_admin, target)
    assert not any(can_review_target(user, target) for user in (lead_focal_point, other_admin, leader))
