import datetime

import pytest

from tasks.reminders import Reminder, ReminderPolicy, coordinator_reminder, escalation, lead_reminder

DUE = datetime.date(2024, 12, 31)  # a Tuesday


def day(offset):
    return DUE + datetime.timedelta(days=offset)


@pytest.mark.parametrize(
    ("offset", "kind", "anchor"),
    [
        (-7, "before_7", -7),
        (-4, "before_7", -7),
        (-3, "before_3", -3),
        (-2, "before_3", -3),
        (-1, "before_1", -1),
        (0, "due_today", 0),
        (1, "overdue", -1),  # the week of 30/12/2024
        (5, "overdue", -1),
        (6, "overdue", 6),  # Monday 06/01/2025
        (12, "overdue", 6),
        (13, "overdue", 13),
    ],
)
def test_lead_reminder_windows(offset, kind, anchor):
    assert lead_reminder(DUE, day(offset)) == Reminder(kind, day(anchor))


def test_no_reminder_more_than_a_week_ahead():
    assert lead_reminder(DUE, day(-8)) is None


def test_a_missed_day_is_caught_up_with_the_same_key():
    # The scan of the first window day did not run (broker down); the next day's scan owes it.
    assert lead_reminder(DUE, day(-6)) == lead_reminder(DUE, day(-7))


@pytest.mark.parametrize("offset", [0, 1, 10])
def test_coordinators_are_not_reminded_from_the_due_day(offset):
    assert coordinator_reminder(DUE, day(offset)) is None


def test_coordinators_are_reminded_before_the_due_date():
    assert coordinator_reminder(DUE, day(-3)) == Reminder("before_3", day(-3))


def test_no_escalation_within_14_days_overdue():
    assert escalation(DUE, day(14)) is None


def test_escalation_goes_to_leaders_after_14_days():
    assert escalation(DUE, day(15)) == (Reminder("escalation", day(13)), False)


def test_escalation_reaches_the_admin_after_30_days():
    reminder, reaches_admin = escalation(DUE, day(31))

    assert reaches_admin
    assert reminder == Reminder("escalation", day(27))


def test_a_plan_can_remind_earlier():
    policy = ReminderPolicy(before_days=(14, 7, 1))

    assert lead_reminder(DUE, day(-10), policy) == Reminder("before_14", day(-14))


def test_policy_refuses_increasing_days():
    with pytest.raises(ValueError):
        ReminderPolicy(before_days=(1, 3, 7))
