"""The reminder scan and delivery on a fixed clock (task I.1 of the fixtures is due 31/12/2024)."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail

from agencies.models import AgencyKind, Role
from tasks.models import Notification, ReminderLog, ReminderStatus, Task
from tasks.reminder_delivery import deliver
from tasks.reminder_scan import scan
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2024, 12, 31)


def day(offset):
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture(autouse=True)
def outbox(mailoutbox):
    return mailoutbox


def _owed(user=None):
    logs = ReminderLog.objects.all() if user is None else ReminderLog.objects.filter(recipient=user)
    return sorted(logs.values_list("kind", "day"))


def test_lead_focal_point_is_reminded_seven_days_before(task, reachable_focal_point):
    scan(day(-7))

    assert _owed(reachable_focal_point) == [("before_7", day(-7))]


def test_nothing_is_owed_eight_days_before(task, reachable_focal_point):
    assert scan(day(-8)) == 0


def test_a_second_scan_on_the_same_day_owes_nothing_new(task, reachable_focal_point):
    scan(day(-3))

    assert scan(day(-3)) == 0
    assert ReminderLog.objects.count() == 1


def test_a_scan_missed_on_the_first_day_of_a_window_is_caught_up(task, reachable_focal_point):
    scan(day(-6))

    assert _owed(reachable_focal_point) == [("before_7", day(-7))]


def test_deleting_a_task_deletes_its_reminders(task, reachable_focal_point):
    scan(day(-7))

    task.delete()

    assert not ReminderLog.objects.exists()


def test_deleting_a_person_deletes_their_reminders(task, reachable_focal_point):
    scan(day(-7))

    reachable_focal_point.delete()

    assert not ReminderLog.objects.exists()


def test_overdue_work_is_reminded_once_a_week(task, reachable_focal_point):
    scan(day(1))
    scan(day(3))
    scan(day(6))

    assert _owed(reachable_focal_point) == [("overdue", day(-1)), ("overdue", day(6))]


def test_accepted_work_is_never_reminded(task, reachable_focal_point):
    Task.objects.filter(pk=task.pk).update(status="completed", completed_on=day(-10))

    assert scan(day(-7)) == 0


def test_work_awaiting_acceptance_is_not_reminded(task, reachable_focal_point):
    task.status, task.completed_on = "awaiting_acceptance", day(-10)
    task.save()

    assert scan(day(30)) == 0


def test_work_of_a_closed_plan_is_never_reminded(task, reachable_focal_point):
    task.plan.status = "closed"
    task.plan.save()

    assert scan(day(-7)) == 0


def test_coordinators_are_reminded_before_the_due_date_only(task, province, coordinator_focal_point):
    scan(day(-1))
    scan(day(1))

    assert _owed(coordinator_focal_point) == [("before_1", day(-1))]


def test_reachable_focal_points_of_a_group_member_are_reminded(plan, province):
    department = AgencyFactory(province=province)
    group = AgencyFactory(province=province, kind=AgencyKind.GROUP)
    group.members.add(department)
    AssignmentFactory(task=TaskFactory(plan=plan), agency=group)
    member_focal_point = UserFactory(province=province, agency=department)

    scan(day(0))

    assert _owed(member_focal_point) == [("due_today", day(0))]


def test_the_successor_of_a_merged_agency_is_reminded_of_its_tasks(merged_agency_task, reachable_focal_point):
    scan(datetime.date(2025, 3, 24))

    assert _owed(reachable_focal_point) == [("before_7", datetime.date(2025, 3, 24))]


def test_an_agency_is_reminded_of_its_own_tasks_until_its_merger(
    merged_agency, merged_agency_task, reachable_focal_point, province
):
    before_merger = UserFactory(province=province, agency=merged_agency, email="ldtbxh@example.vn")
    merged_agency_task.deadline_text = "Tháng 02 năm 2025"
    merged_agency_task.save()

    scan(datetime.date(2025, 2, 21))

    assert _owed(before_merger) == [("before_7", datetime.date(2025, 2, 21))]
    assert _owed(reachable_focal_point) == []


def test_escalation_reaches_the_agency_leader_after_14_days(task, lead_agency, province):
    head = UserFactory(province=province, agency=lead_agency, role=Role.LEADER)

    scan(day(14))
    assert _owed(head) == []
    scan(day(15))
    assert _owed(head) == [("escalation", day(13))]


def test_escalation_reaches_the_provincial_admin_after_30_days(task, province_admin):
    scan(day(30))
    assert _owed(province_admin) == []
    scan(day(31))
    assert _owed(province_admin) == [("escalation", day(27))]


def test_a_plan_may_remind_earlier(task, reachable_focal_point):
    task.plan.reminder_days = "14,7,1"
    task.plan.save()

    scan(day(-14))

    assert _owed(reachable_focal_point) == [("before_14", day(-14))]


def test_occurrences_of_a_recurring_task_are_reminded(plan, lead_agency, reachable_focal_point):
    quarterly = TaskFactory(plan=plan, deadline_text="Hằng quý")
    AssignmentFactory(task=quarterly, agency=lead_agency)

    scan(datetime.date(2024, 9, 27))

    # The second quarter's meeting was never reported: that occurrence is overdue.
    assert sorted(ReminderLog.objects.filter(task=quarterly).values_list("kind", "due")) == [
        ("before_3", datetime.date(2024, 9, 30)),
        ("overdue", datetime.date(2024, 6, 30)),
    ]


def test_an_occurrence_dropped_by_a_new_deadline_takes_its_reminders(
    plan, lead_agency, reachable_focal_point
):
    quarterly = TaskFactory(plan=plan, deadline_text="Hằng quý")
    AssignmentFactory(task=quarterly, agency=lead_agency)
    scan(datetime.date(2024, 9, 27))

    quarterly.deadline_text = "Năm 2025"
    quarterly.save()

    assert not ReminderLog.objects.filter(occurrence__isnull=False).exists()


def test_one_email_per_person_with_all_their_tasks(plan, lead_agency, task, reachable_focal_point, outbox):
    second = TaskFactory(plan=plan, title="Nhiệm vụ thứ hai")
    AssignmentFactory(task=second, agency=lead_agency)
    scan(day(-7))

    deliver(reachable_focal_point.pk, day(-7))

    [message] = outbox
    assert message.to == ["noivu@example.vn"]
    assert task.title in message.body and "Nhiệm vụ thứ hai" in message.body
    assert "còn 7 ngày" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_reminders_also_appear_in_the_portal(task, reachable_focal_point):
    scan(day(-7))

    deliver(reachable_focal_point.pk, day(-7))

    assert (
        Notification.objects.filter(recipient=reachable_focal_point, task=task, kind="due_soon").count() == 1
    )


def test_a_person_who_turned_email_off_is_not_emailed(task, reachable_focal_point, outbox):
    reachable_focal_point.email_reminders = False
    reachable_focal_point.save()
    scan(day(-7))

    deliver(reachable_focal_point.pk, day(-7))

    assert outbox == []
    assert ReminderLog.objects.get().status == ReminderStatus.NOT_EMAILED


def test_escalations_are_emailed_even_with_reminders_off(task, lead_agency, province):
    head = UserFactory(
        province=province,
        agency=lead_agency,
        role=Role.LEADER,
        email="head@example.vn",
        email_reminders=False,
    )
    scan(day(15))

    deliver(head.pk, day(15))

    assert [m.to for m in mail.outbox] == [["head@example.vn"]]


def test_a_failed_send_stays_pending_then_goes_out(task, reachable_focal_point, outbox):
    scan(day(-7))
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=smtplib.SMTPServerDisconnected("down")
        ),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        deliver(reachable_focal_point.pk, day(-7))
    log = ReminderLog.objects.get()
    assert (log.status, log.attempts, log.last_error) == (ReminderStatus.PENDING, 1, "down")

    deliver(reachable_focal_point.pk, day(-6))

    assert len(outbox) == 1
    assert ReminderLog.objects.get().status == ReminderStatus.SENT
    assert Notification.objects.filter(recipient=reachable_focal_point).count() == 1


def test_sent_reminders_are_not_sent_again(task, reachable_focal_point, outbox):
    scan(day(-7))
    deliver(reachable_focal_point.pk, day(-7))

    scan(day(-6))
    deliver(reachable_focal_point.pk, day(-6))

    assert len(outbox) == 1


def test_scan_query_count_does_not_grow_with_tasks(
    plan, lead_agency, reachable_focal_point, django_assert_num_queries
):
    for _ in range(30):
        AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)

    # the policies; the savepoint and its release; the stage's CREATE, ANALYZE and DROP;
    # per policy one INSERT per kind of item (tasks, occurrences); one INSERT per audience; the
    # SELECT of the work fallen overdue, for the webhooks
    with django_assert_num_queries(1 + 2 + 3 + 2 + 4 + 1):
        scan(day(-7))

    assert ReminderLog.objects.count() == 30
