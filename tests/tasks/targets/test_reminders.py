"""Reminders to report a target's value for a period of its plan's reporting cycle: before the
reporting date, on it and weekly once late, to the agency answering for the target; once only
whatever the number of scans; none once a value is reported."""

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tasks.jobs import scan_reminders
from tasks.models import Notification, NotificationKind, ReminderLog
from tasks.targets.reminders import reporting_period, scan_targets
from tests.factories import AgencyFactory, TargetFactory, TargetReportFactory

pytestmark = pytest.mark.django_db

QUARTERLY = "Hằng quý"
# Q4 2026 reports are due 31/12/2026; the plan's reminders open 7 days before.
BEFORE = datetime.date(2026, 12, 26)


@pytest.fixture
def target(plan, lead_agency):
    plan.reporting_deadline_text = QUARTERLY
    plan.save()
    return TargetFactory(plan=plan, reporting_agency=lead_agency, due=datetime.date(2027, 12, 31))


def test_the_reporting_period_of_a_date():
    assert reporting_period("quarter", datetime.date(2026, 12, 31)) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert reporting_period("year", datetime.date(2026, 11, 30)) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )


def test_the_focal_point_is_reminded_before_the_reporting_date(target, lead_focal_point):
    assert scan_targets(BEFORE) == 1
    log = ReminderLog.objects.get()
    assert (log.recipient, log.target, log.kind, log.due) == (
        lead_focal_point,
        target,
        "before_7",
        datetime.date(2026, 12, 31),
    )


def test_a_second_scan_in_the_same_window_records_nothing(target, lead_focal_point):
    scan_targets(BEFORE)
    assert scan_targets(BEFORE + datetime.timedelta(days=1)) == 0
    assert ReminderLog.objects.count() == 1


def test_a_value_reported_for_the_period_stops_the_reminders(target, lead_focal_point):
    TargetReportFactory(
        target=target,
        status="awaiting",
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    assert scan_targets(BEFORE) == 0


def test_a_value_of_an_earlier_period_does_not(target, lead_focal_point):
    TargetReportFactory(target=target)  # Q3 2026
    assert scan_targets(BEFORE) == 1


def test_late_reports_are_reminded_weekly(target, lead_focal_point):
    assert scan_targets(datetime.date(2027, 1, 5)) == 1
    assert scan_targets(datetime.date(2027, 1, 6)) == 0
    assert scan_targets(datetime.date(2027, 1, 12)) == 1
    assert set(ReminderLog.objects.values_list("kind", flat=True)) == {"overdue"}


def test_a_target_past_its_deadline_is_not_reminded(target, lead_focal_point):
    target.due = datetime.date(2026, 9, 30)
    target.save()
    assert scan_targets(BEFORE) == 0


def test_without_a_reporting_agency_the_admins_are_reminded(plan, target, province_admin, lead_focal_point):
    target.reporting_agency = None
    target.save()
    scan_targets(BEFORE)
    assert list(ReminderLog.objects.values_list("recipient", flat=True)) == [province_admin.pk]


def test_the_successor_of_a_merged_agency_is_reminded(target, province, lead_agency, lead_focal_point):
    target.reporting_agency = AgencyFactory(
        province=province,
        name="Sở Lao động - Thương binh và Xã hội",
        active_until=datetime.date(2025, 2, 28),
        successor=lead_agency,
    )
    target.save()
    scan_targets(BEFORE)
    assert list(ReminderLog.objects.values_list("recipient", flat=True)) == [lead_focal_point.pk]


def test_the_daily_job_sends_the_target_reminder_by_mail_and_in_the_portal(
    settings, target, reachable_focal_point, province
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    scan_reminders(BEFORE.isoformat())
    assert len(mail.outbox) == 1 and target.name in mail.outbox[0].body
    notification = Notification.objects.get(recipient=reachable_focal_point)
    assert (notification.kind, notification.target) == (NotificationKind.TARGET_DUE, target)


def test_the_command_lists_target_reminders(target, reachable_focal_point):
    out = StringIO()
    call_command("send_reminders", "--date", BEFORE.isoformat(), "--json", "--dry-run", stdout=out)
    assert json.loads(out.getvalue())["emails"] == [
        {"to": reachable_focal_point.email, "items": [{"target": target.pk, "kind": "before_7"}]}
    ]
