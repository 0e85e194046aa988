import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _events(response):
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_calendar_lists_the_agencys_open_deadlines(client, lead_focal_point, task):
    lead_focal_point.renew_calendar_token()

    response = client.get(reverse("agencies:calendar", args=[lead_focal_point.calendar_token]))

    assert response["Content-Type"].startswith("text/calendar")
    [event] = _events(response)
    assert event.decoded("dtstart") == datetime.date(2024, 12, 31)
    assert "I.1" in str(event["summary"])


def test_calendar_lists_each_occurrence_of_a_recurring_task(client, lead_focal_point, plan, lead_agency):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    AssignmentFactory(task=task, agency=lead_agency)
    lead_focal_point.renew_calendar_token()

    response = client.get(reverse("agencies:calendar", args=[lead_focal_point.calendar_token]))

    # The plan's horizon: the end of the year after its date.
    assert sorted(e.decoded("dtstart") for e in _events(response)) == [
        datetime.date(2024, 6, 30), datetime.date(2024, 9, 30), datetime.date(2024, 12, 31),
        datetime.date(2025, 3, 31), datetime.date(2025, 6, 30), datetime.date(2025, 9, 30),
        datetime.date(2025, 12, 31),
    ]


def test_revoked_link_stops_working(client, lead_focal_point, task):
    lead_focal_point.renew_calendar_token()
    token = lead_focal_point.calendar_token
    client.force_login(lead_focal_point)

    client.post(reverse("agencies:calendar_link"), {"action": "revoke"})
    client.logout()

    assert client.get(reverse("agencies:calendar", args=[token])).status_code == 404


def test_renewed_link_replaces_the_old_one(client, lead_focal_point):
    lead_focal_point.renew_calendar_token()
    old = lead_focal_point.calendar_token
    client.force_login(lead_focal_point)

    client.post(reverse("agencies:calendar_link"), {"action": "renew"})

    lead_focal_point.refresh_from_db()
    assert lead_focal_point.calendar_token not in (None, old)


def test_user_turns_email_reminders_off(client, lead_focal_point):
    client.force_login(lead_focal_point)

    client.post(
        reverse("agencies:profile"), {"first_name": "Bình", "last_name": "Trần", "email": "b@example.vn"}
    )

    lead_focal_point.refresh_from_db()
    assert lead_focal_point.email_reminders is False
