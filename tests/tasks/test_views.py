import datetime

import pytest
from django.urls import reverse

from tasks.models import TaskUpdate
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_task_list_filters_by_state(client, province_admin, plan):
    overdue = TaskFactory(plan=plan, deadline_text="Năm 2020", title="Việc đã quá hạn")
    TaskFactory(plan=plan, deadline_text="Năm 2099", title="Việc còn hạn")
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"), {"state": "overdue"})

    assert [row.record for row in response.context["table"].rows] == [overdue]


def test_task_list_filters_tasks_due_within_days(client, province_admin, plan):
    soon = datetime.date.today() + datetime.timedelta(days=3)
    due_soon = TaskFactory(plan=plan, deadline_text=soon.strftime("%d/%m/%Y"))
    TaskFactory(plan=plan, deadline_text="Năm 2099")
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"), {"due_within": "7"})

    assert [row.record for row in response.context["table"].rows] == [due_soon]


def test_task_list_lists_unreadable_deadlines_for_admins(client, province_admin, plan):
    unreadable = TaskFactory(plan=plan, deadline_text="Sớm nhất có thể")
    TaskFactory(plan=plan, deadline_text="Năm 2024")
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"), {"needs_date": "on"})

    assert [row.record for row in response.context["table"].rows] == [unreadable]


def test_task_page_shows_the_status_label_in_vietnamese(client, province_admin, plan):
    task = TaskFactory(plan=plan, deadline_text="Năm 2020")
    client.force_login(province_admin)

    response = client.get(reverse("tasks:detail", args=[task.pk]), HTTP_ACCEPT_LANGUAGE="vi")

    assert "Quá hạn" in response.text


def test_province_admin_sets_a_due_date(client, province_admin, task):
    client.force_login(province_admin)

    response = client.post(
        reverse("tasks:edit_deadline", args=[task.pk]),
        {"deadline_text": task.deadline_text, "due_override": "31/03/2025"},
    )

    task.refresh_from_db()
    assert response.status_code == 302
    assert task.due_override == datetime.date(2025, 3, 31)
    assert TaskUpdate.objects.get(task=task).changes == {"due_override": ["", "2025-03-31"]}


def test_bad_date_is_refused_and_the_typed_text_kept(client, province_admin, task):
    client.force_login(province_admin)

    response = client.post(
        reverse("tasks:edit_deadline", args=[task.pk]),
        {"deadline_text": "Quý IV năm 2025", "due_override": "31/02/2025"},
    )

    task.refresh_from_db()
    assert response.status_code == 200
    assert 'value="31/02/2025"' in response.text
    assert 'value="Quý IV năm 2025"' in response.text
    assert task.due_override is None
    assert task.deadline_text == "Năm 2024"


def test_focal_point_cannot_edit_a_deadline(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:edit_deadline", args=[task.pk]), {"deadline_text": "Năm 2030", "due_override": ""}
    )

    task.refresh_from_db()
    assert response.status_code == 403
    assert task.deadline_text == "Năm 2024"


def test_admin_of_another_province_gets_404_on_deadline_edit(client, other_admin, task):
    client.force_login(other_admin)

    response = client.get(reverse("tasks:edit_deadline", args=[task.pk]))

    assert response.status_code == 404
