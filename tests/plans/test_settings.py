import datetime

import pytest
from django.urls import reverse

from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _post(client, plan, **fields):
    data = {
        "status": "active",
        "end_year": "",
        "reporting_deadline_text": plan.reporting_deadline_text,
        "reminder_days": "7,3,1",
        "escalate_after": "14",
        "escalate_admin_after": "30",
        "report_recipient": "",
        **fields,
    }
    return client.post(reverse("plans:settings", args=[plan.pk]), data)


def test_admin_extends_the_horizon_and_recurring_tasks_get_more_periods(client, province_admin, plan):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    client.force_login(province_admin)

    response = _post(client, plan, end_year="2026")

    assert response.status_code == 302
    assert task.occurrences.order_by("due").last().due == datetime.date(2026, 12, 31)


def test_admin_counts_work_awaiting_acceptance_as_completed(client, province_admin, plan):
    client.force_login(province_admin)

    _post(client, plan, awaiting_counts_as_done="on")

    plan.refresh_from_db()
    assert plan.awaiting_counts_as_done


def test_admin_changes_the_reminder_days(client, province_admin, plan):
    client.force_login(province_admin)

    _post(client, plan, reminder_days="14,7,1")

    plan.refresh_from_db()
    assert plan.reminder_policy.before_days == (14, 7, 1)


def test_bad_reminder_days_are_refused_and_kept_in_the_form(client, province_admin, plan):
    client.force_login(province_admin)

    response = _post(client, plan, reminder_days="1,7")

    plan.refresh_from_db()
    assert response.status_code == 200
    assert 'value="1,7"' in response.text
    assert "lớn trước" in response.text
    assert plan.reminder_days == "7,3,1"


def test_admin_cannot_escalate_to_the_admin_before_the_leaders(client, province_admin, plan):
    client.force_login(province_admin)

    response = _post(client, plan, escalate_after="30", escalate_admin_after="14")

    plan.refresh_from_db()
    assert response.status_code == 200
    assert plan.escalate_after == 14
