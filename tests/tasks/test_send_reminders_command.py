import datetime
import json
import smtplib
import threading
from io import StringIO
from unittest import mock

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from plans.demo import load_demo
from tasks.models import ReminderLog
from tasks.reminder_scan import scan


@pytest.fixture(autouse=True)
def outbox(mailoutbox):
    return mailoutbox


def _run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_json_names_each_recipient_once_with_their_tasks(task, reachable_focal_point):
    result = _run("--date", "2024-12-24", "--json")

    assert result == {
        "date": "2024-12-24",
        "emails": [{"to": "noivu@example.vn", "items": [{"task": task.pk, "kind": "before_7"}]}],
        "skipped": 0,
    }


@pytest.mark.django_db
def test_dry_run_writes_and_sends_nothing(task, reachable_focal_point, outbox):
    result = _run("--date", "2024-12-24", "--dry-run", "--json")

    assert len(result["emails"]) == 1
    assert ReminderLog.objects.count() == 0
    assert outbox == []


@pytest.mark.django_db
def test_a_second_run_for_the_same_date_sends_nothing(task, reachable_focal_point, outbox):
    _run("--date", "2024-12-24", "--json")

    assert _run("--date", "2024-12-24", "--json")["emails"] == []
    assert len(outbox) == 1


@pytest.mark.django_db
def test_people_without_email_reminders_are_counted_as_skipped(task, reachable_focal_point):
    reachable_focal_point.email_reminders = False
    reachable_focal_point.save()

    result = _run("--date", "2024-12-24", "--json")

    assert (result["emails"], result["skipped"]) == ([], 1)


@pytest.mark.django_db
def test_demo_reachable_focal_points_of_dong_thap_are_named_once():
    load_demo()

    result = _run("--date", "2024-12-24", "--dry-run", "--json")

    recipients = [email["to"] for email in result["emails"]]
    assert len(recipients) == len(set(recipients))
    assert "dongthap.noivu@example.vn" in recipients


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_owe_each_reminder_once(task, reachable_focal_point):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is what PostgreSQL (production, CI) is for; SQLite serialises writers")
    day = datetime.date(2024, 12, 24)
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            scan(day)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert ReminderLog.objects.count() == 1


@pytest.mark.django_db
def test_one_persons_mail_failure_does_not_stop_the_others(
    task, reachable_focal_point, coordinator_focal_point, outbox
):
    coordinator_focal_point.email = "broken@example.vn"
    coordinator_focal_point.save()
    real_send = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == ["broken@example.vn"]:
            raise smtplib.SMTPRecipientsRefused({"broken@example.vn": (550, b"no")})
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(EmailMultiAlternatives, "send", send),
        pytest.raises(CommandError, match="1 người"),
    ):
        call_command("send_reminders", "--date", "2024-12-24", stdout=StringIO())

    assert [m.to for m in outbox] == [["noivu@example.vn"]]
    assert ReminderLog.objects.get(recipient=coordinator_focal_point).status == "pending"
