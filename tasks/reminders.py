"""Who is reminded of what, on which day: the reminder policy as plain functions.

Each reminder belongs to a *window*: "7 days before" covers the days from 7 to 4 days before the
due date, "3 days before" from 3 to 2, then the eve, the due day, and one window per calendar week
(Monday to Sunday) while overdue: the first in the week the work falls overdue, then every Monday.
A reminder is keyed by the first day of its window (its ``anchor``), not by the day a scan happens
to run: a scan on any day of the window sends it if nobody has yet, so a day lost to a broker
outage is caught up by the next scan, and a second scan on the same day, or a retried job, finds
the key taken and sends nothing.

Escalations follow the same idea, one per week: to the lead agency's leaders once work is more
than ``escalate_after`` days overdue, and also to the provincial admin following the plan after
``escalate_admin_after`` days.
"""

import datetime
from dataclasses import dataclass

BEFORE_7, BEFORE_3, BEFORE_1 = "before_7", "before_3", "before_1"
DUE_TODAY, OVERDUE, ESCALATION = "due_today", "overdue", "escalation"
KINDS = (BEFORE_7, BEFORE_3, BEFORE_1, DUE_TODAY, OVERDUE, ESCALATION)


@dataclass(frozen=True)
class ReminderPolicy:
    """Reminder days; the defaults are the portal's, a plan's admin may change them per plan."""

    before_days: tuple[int, ...] = (7, 3, 1)
    escalate_after: int = 14
    escalate_admin_after: int = 30

    def __post_init__(self):
        days = list(self.before_days)
        if not days or sorted(set(days), reverse=True) != days or days[-1] < 1:
            raise ValueError("before_days must be positive, distinct and in decreasing order")
        if not 0 <= self.escalate_after <= self.escalate_admin_after:
            raise ValueError("escalations must go to leaders before they go to the admin")

    @property
    def lookahead(self):
        """How many days before a due date the first reminder window opens."""
        return max(self.before_days)


@dataclass(frozen=True)
class Reminder:
    kind: str
    anchor: datetime.date  # first day of the reminder's window: the log's key


def before_kind(days):
    return f"before_{days}"


def lead_reminder(due, today, policy=ReminderPolicy()):
    """The reminder a lead agency's focal point is owed on ``today`` for work due on ``due``."""
    days_left = (due - today).days
    if days_left == 0:
        return Reminder(DUE_TODAY, due)
    if days_left < 0:
        return Reminder(OVERDUE, week_start(today))
    return coordinator_reminder(due, today, policy)


def coordinator_reminder(due, today, policy=ReminderPolicy()):
    """Coordinating agencies are reminded before the due date only."""
    days_left = (due - today).days
    windows = [*policy.before_days, 0]
    for opens, closes in zip(windows, windows[1:], strict=False):
        if closes < days_left <= opens:
            return Reminder(before_kind(opens), due - datetime.timedelta(days=opens))
    return None


def escalation(due, today, policy=ReminderPolicy()):
    """``(Reminder, reaches_admin)`` once work is overdue past the ladder's first rung, else None."""
    to_leaders, to_admin = escalation_cutoffs(today, policy)
    if due >= to_leaders:
        return None
    return Reminder(ESCALATION, week_start(today)), due < to_admin


def escalation_cutoffs(today, policy=ReminderPolicy()):
    """Open work due before the first date is escalated to the lead agency's leaders on ``today``;
    due before the second, to the provincial admin as well."""
    return (
        today - datetime.timedelta(days=policy.escalate_after),
        today - datetime.timedelta(days=policy.escalate_admin_after),
    )


def week_start(day):
    """The Monday of ``day``'s week: overdue reminders and escalations are weekly."""
    return day - datetime.timedelta(days=day.weekday())
