import contextlib
import datetime
import hashlib
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from icalendar import Calendar

from agencies.models import User
from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _events(response):
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_calendar_lists_the_agencys_open_deadlines(client, lead_focal_point, task):
    token = lead_focal_point.renew_calendar_token()

    response = client.get(reverse("agencies:calendar", args=[token]))

    assert response["Content-Type"].startswith("text/calendar")
    [event] = _events(response)
    assert event.decoded("dtstart") == datetime.date(2024, 12, 31)
    assert "I.1" in str(event["summary"])


def test_calendar_lists_each_occurrence_of_a_recurring_task(client, lead_focal_point, plan, lead_agency):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    AssignmentFactory(task=task, agency=lead_agency)
    token = lead_focal_point.renew_calendar_token()

    response = client.get(reverse("agencies:calendar", args=[token]))

    # The plan's horizon: the end of the year after its date.
    assert sorted(e.decoded("dtstart") for e in _events(response)) == [
        datetime.date(2024, 6, 30), datetime.date(2024, 9, 30), datetime.date(2024, 12, 31),
        datetime.date(2025, 3, 31), datetime.date(2025, 6, 30), datetime.date(2025, 9, 30),
        datetime.date(2025, 12, 31),
    ]


def test_revoked_link_stops_working(client, lead_focal_point, task):
    token = lead_focal_point.renew_calendar_token()
    client.force_login(lead_focal_point)

    client.post(reverse("agencies:calendar_link"), {"action": "revoke"})
    client.logout()

    assert client.get(reverse("agencies:calendar", args=[token])).status_code == 404


def test_renewed_link_replaces_the_old_one(client, lead_focal_point, task):
    old = lead_focal_point.renew_calendar_token()
    client.force_login(lead_focal_point)

    client.post(reverse("agencies:calendar_link"), {"action": "renew"})
    client.logout()

    assert client.get(reverse("agencies:calendar", args=[old])).status_code == 404


def test_user_turns_email_reminders_off(client, lead_focal_point):
    client.force_login(lead_focal_point)

    client.post(
        reverse("agencies:profile"), {"first_name": "Bình", "last_name": "Trần", "email": "b@example.vn"}
    )

    lead_focal_point.refresh_from_db()
    assert lead_focal_point.email_reminders is False


def test_only_a_hash_of_the_secret_is_stored(lead_focal_point):
    token = lead_focal_point.renew_calendar_token()

    stored = User.objects.filter(pk=lead_focal_point.pk).values().get()
    assert token not in str(stored)
    assert stored["calendar_token_hash"] == hashlib.sha256(token.encode()).hexdigest()


def test_a_new_link_is_shown_once_and_works(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    shown = client.post(reverse("agencies:calendar_link"), {"action": "renew"}, follow=True)
    [url] = re.findall(r'value="(http://testserver/agencies/calendar/[^"]+)"', shown.content.decode())
    again = client.get(reverse("agencies:profile"))
    client.logout()

    assert url not in again.content.decode()
    assert client.get(url).status_code == 200


def test_a_wrong_link_is_logged_without_its_secret(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("agencies:calendar", args=["Zm9yZ290LXRoaXMtc2VjcmV0"]))

    assert "Not Found: /agencies/calendar/[secret]" in caplog.text
    assert "Zm9yZ290LXRoaXMtc2VjcmV0" not in caplog.text


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorns_access_log_masks_the_secret(tmp_path):
    secret = "c2VjcmV0LWtleQ"
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--access-logfile", "-", "--workers", "1"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.1)
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/agencies/calendar/{secret}.ics", timeout=10)
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=30)

    assert '"GET /agencies/calendar/[secret] HTTP/1.1"' in log
    assert secret not in log


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_links():
    executor = MigrationExecutor(connection)
    executor.migrate([("agencies", "0003_province_mergers")])
    OldUser = executor.loader.project_state([("agencies", "0003_province_mergers")]).apps.get_model(
        "agencies", "User"
    )
    OldUser.objects.create(username="cu", calendar_token="an-old-link-secret")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    user = User.objects.get(username="cu")
    assert user.calendar_token_hash == hashlib.sha256(b"an-old-link-secret").hexdigest()
