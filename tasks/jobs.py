"""Background jobs of the tasks app (Celery autodiscovers ``jobs`` modules).

Beat runs ``keep_judgements`` just after midnight, ``scan_reminders`` every morning and
``send_weekly_digest`` on Mondays (the schedule is in the database: see the django-celery-beat pages
of the admin).
"""

import datetime
import smtplib

from celery import shared_task
from django.utils import timezone

from tasks.digest import send_digests
from tasks.judgements import keep_current
from tasks.models import ReminderLog, ReminderStatus
from tasks.notifications import email_mention, email_urging
from tasks.reminder_delivery import deliver
from tasks.targets.reminders import record_reminders

# A job that sends mail: an SMTP or network failure is retried with backoff (a minute, doubling up to
# an hour, twelve times: about half a day).
mail_job = shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=12,
)


def _day(value):
    """A day given as a date, or as ISO text (what JSON-serialised job arguments may turn it into)."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


@shared_task
def scan_reminders(day=None):
    """Record today's reminders, then hand each person's to a delivery job: one person's mail
    server trouble does not hold up the others."""
    day = _day(day)
    found = record_reminders(day)
    recipients = (
        ReminderLog.objects.filter(status=ReminderStatus.PENDING)
        .values_list("recipient_id", flat=True)
        .order_by()
        .distinct()
    )
    for recipient_id in recipients.iterator():
        deliver_reminders.delay(recipient_id, day.isoformat())
    return found


@mail_job
def deliver_reminders(recipient_id, day=None):
    """Send one person's pending reminders; a mail failure is retried with backoff (the reminders
    stay pending meanwhile, and the next morning's scan hands them out again)."""
    return deliver(recipient_id, _day(day))


@shared_task
def send_weekly_digest(day=None):
    return send_digests(_day(day))


@mail_job
def send_mention_email(comment_id, recipient_id):
    """E-mail one focal point that a comment mentions their agency; a mail failure is retried with
    backoff (tasks.notifications.notify_mentioned queues it)."""
    return email_mention(comment_id, recipient_id)


@mail_job
def send_urging_email(notice_id, recipient_id):
    """E-mail one person the tasks of their agency an urging notice names; a mail failure is retried
    with backoff (tasks.notifications.notify_urged queues it)."""
    return email_urging(notice_id, recipient_id)


@shared_task
def keep_judgements(day=None):
    """Keep the recurring and ongoing tasks' period figures for the new day (``tasks.judgements``)."""
    keep_current(_day(day))
