"""Delivering the reminders the scan recorded: one message per person, shown in the portal too.

A person's pending reminders go out together in one e-mail (grouped by plan). A reminder stays
pending until its e-mail is sent, so a failed send is retried (by the Celery job, with backoff, or
by the next run) and never lost. Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED``, so two
workers never send the same reminder.
"""

import itertools

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.mail import MailItem, build_email
from tasks.models import Notification, NotificationKind, ReminderLog, ReminderStatus
from tasks.reminders import ESCALATION, OVERDUE

NOTIFICATION_KINDS = {ESCALATION: NotificationKind.ESCALATION, OVERDUE: NotificationKind.OVERDUE}


def pending():
    """Pending reminders, a person's together, streamed (memory does not grow with their number)."""
    logs = (
        ReminderLog.objects.filter(status=ReminderStatus.PENDING)
        .select_related("recipient", "task__plan", "target__plan")
        .order_by("recipient_id", "due", "task__plan_id", "task__position", "target__position")
    )
    return itertools.groupby(logs.iterator(chunk_size=2000), key=lambda log: log.recipient)


def emailed(recipient, logs):
    """The reminders of ``logs`` that go out by e-mail: escalations always, the others unless the
    person turned e-mail reminders off; nothing without an address."""
    if not recipient.email:
        return []
    return [log for log in logs if log.kind == ESCALATION or recipient.email_reminders]


def deliver(recipient_id, today):
    """Send one person's pending reminders. Raises the mail error after recording it, so the
    caller (a Celery job) retries; the reminders stay pending."""
    error = None
    with transaction.atomic():
        logs = list(
            ReminderLog.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient_id=recipient_id, status=ReminderStatus.PENDING)
            .select_related("recipient", "task__plan", "target__plan")
            .order_by("due", "task__plan_id", "task__position", "target__position")
        )
        if not logs:
            return 0
        _notify(logs)
        to_send = emailed(logs[0].recipient, logs)
        ReminderLog.objects.filter(pk__in=[log.pk for log in logs if log not in to_send]).update(
            status=ReminderStatus.NOT_EMAILED
        )
        if to_send:
            try:
                reminder_email(logs[0].recipient, to_send, today).send()
            except Exception as exc:  # SMTP and network errors alike: keep pending, retry later
                error = exc
                ReminderLog.objects.filter(pk__in=[log.pk for log in to_send]).update(
                    attempts=_plus_one(), last_error=str(exc)[:1000]
                )
            else:
                ReminderLog.objects.filter(pk__in=[log.pk for log in to_send]).update(
                    status=ReminderStatus.SENT, sent_at=timezone.now(), attempts=_plus_one()
                )
    if error:
        raise error
    return len(to_send)


def reminder_email(recipient, logs, today):
    items = [
        MailItem(
            plan=str(log.about.plan),
            code=log.about.code,
            title=log.task.title if log.task else _("Report the value of the target: %(name)s") % {
                "name": log.target.name},
            deadline_text=log.task.deadline_text if log.task else log.target.plan.reporting_deadline_text,
            due=log.due,
            kind=log.kind,
            url=settings.SITE_URL + log.about.get_absolute_url(),
            today=today,
        )
        for log in logs
    ]
    return build_email("reminder", recipient, {"items": items})


def _notify(logs):
    """Show first-time reminders in the portal (a retried send does not repeat them)."""
    Notification.objects.bulk_create(
        Notification(
            recipient_id=log.recipient_id,
            task_id=log.task_id,
            target_id=log.target_id,
            kind=_notification_kind(log),
        )
        for log in logs
        if log.attempts == 0 and not log.last_error
    )


def _notification_kind(log):
    if log.target_id is not None:
        return NotificationKind.TARGET_DUE
    return NOTIFICATION_KINDS.get(log.kind, NotificationKind.DUE_SOON)


def _plus_one():
    return F("attempts") + 1
