"""Reminders to report targets: the part of the daily reminder scan (``tasks.jobs.scan_reminders``)
that finds the targets whose value is owed for a period of their plan's reporting cycle ("Hằng quý",
"Hằng năm, trước ngày 30 tháng 11"), and records one reminder per person and window in the same
``ReminderLog`` the tasks use: its unique keys make a second scan find nothing new.

A value is owed for a reporting date when nothing accepted or waiting was reported for a period
ending within the cycle's period of that date (the quarter, the half, the year). The owed report is
reminded before its date by the plan's reminder days, on the day, and weekly once late, until the next
reporting date comes near. It goes to the focal points of the agencies answering for the target
(``tasks.permissions.target_answerers``), or to the province's admins when it names no agency.
"""

import datetime

from django.db.models import Q

from agencies.models import Role, User
from plans.models import Plan, PlanStatus, reminder_policy
from tasks.deadlines import DeadlineKind, month_end, occurrences, parse_deadline, period_of
from tasks.models import ReminderLog
from tasks.permissions import target_answerers
from tasks.reminder_scan import scan
from tasks.reminders import lead_reminder
from tasks.targets.models import ReportStatus, TargetReport

_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}


def reporting_period(every, due):
    """(first, last day) of the cycle's period a reporting date closes: 30/11/2026 yearly is 2026."""
    year, index = period_of(every, due)
    months = _MONTHS[str(every)]
    first_month = (index - 1) * months + 1
    last_month = first_month + months - 1
    return datetime.date(year, first_month, 1), month_end(year, last_month)


def owed_dates(plan, day, policy):
    """The reporting dates of ``plan`` a reminder may be owed for on ``day``: the next one within the
    reminder lookahead, else the last one passed."""
    deadline = parse_deadline(plan.reporting_deadline_text, plan.reference_date)
    if deadline.kind != DeadlineKind.RECURRING:
        return []
    dues = occurrences(deadline, day + datetime.timedelta(days=policy.lookahead))
    return [(deadline.every, dues[-1])] if dues else []


def record_reminders(day):
    """Every reminder owed on ``day``, of tasks and of targets: what the morning job and the
    ``send_reminders`` command record. Returns how many are new."""
    return scan(day) + scan_targets(day)


def scan_targets(day):
    """Record the target reminders owed on ``day``; returns how many are new."""
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE, targets__isnull=False).distinct()
    plans = plans.select_related("province").prefetch_related("targets")
    wanted, recipients = [], {}
    for plan in plans:
        policy = reminder_policy(plan.reminder_days, plan.escalate_after, plan.escalate_admin_after)
        for every, due in owed_dates(plan, day, policy):
            reminder = lead_reminder(due, day, policy)
            if reminder is None:
                continue
            start, end = reporting_period(every, due)
            running = [t for t in plan.targets.all() if t.due is None or t.due >= start]
            reported = _reported(running, start, end)
            for target in running:
                if target.pk in reported:
                    continue
                key = (target.reporting_agency_id, plan.province_id)  # one look-up per agency, not per target
                if key not in recipients:
                    recipients[key] = _recipients(target, day)
                wanted += [
                    ReminderLog(recipient_id=pk, target=target, kind=reminder.kind, day=reminder.anchor,
                                due=due, scanned_on=day)
                    for pk in recipients[key]
                ]
    before = ReminderLog.objects.filter(target__isnull=False).count()
    ReminderLog.objects.bulk_create(wanted, ignore_conflicts=True)
    return ReminderLog.objects.filter(target__isnull=False).count() - before


def _reported(targets, start, end):
    """Pks of the ``targets`` with a value accepted or waiting for a period ending within start–end."""
    reports = TargetReport.objects.filter(
        target__in=targets, period_end__gte=start, period_end__lte=end,
        status__in=[ReportStatus.ACCEPTED, ReportStatus.AWAITING],
    )
    return set(reports.values_list("target_id", flat=True))


def _recipients(target, day):
    people = User.objects.filter(is_active=True)
    if target.reporting_agency_id is None:
        holder = target.plan.province.in_office_on(day)
        people = people.filter(role=Role.PROVINCE_ADMIN, province=holder)
    else:
        people = people.filter(Q(role=Role.FOCAL_POINT) & Q(agency__in=target_answerers(target, day)))
    return list(people.values_list("pk", flat=True))


