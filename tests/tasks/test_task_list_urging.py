"""Urging from the task list: whoever may urge ticks tasks (a box a task, the ``task`` parameters of a
GET form) and opens the urge page with them, no script needed; nobody else sees the boxes, and the
urge page refuses them anyway."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from tests.factories import AssignmentFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("tasks:list")
URGE = reverse("tasks:urge")
BOX = re.compile(r'<input class="form-check-input" type="checkbox" name="task" value="(\d+)"'
                 r' form="urge-selection"')


@pytest.fixture
def work(plan, lead_agency):
    today = timezone.localdate()
    tasks = []
    for code, days in (("1", -10), ("2", 3), ("3", 60)):
        task = TaskFactory(plan=plan, code=code, due_override=today + datetime.timedelta(days=days))
        AssignmentFactory(task=task, agency=lead_agency)
        tasks.append(task)
    return tasks


def _page(client, user, **params):
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response.content.decode()


def test_an_admin_gets_a_box_a_task_in_a_get_form_opening_the_urge_page(client, province_admin, work):
    html = _page(client, province_admin)

    assert sorted(int(pk) for pk in BOX.findall(html)) == sorted(task.pk for task in work)
    form = re.search(r'<form method="get" action="([^"]+)" id="urge-selection">', html)
    assert form and form.group(1) == URGE
    assert "Đôn đốc các nhiệm vụ đã chọn" in html
    assert 'data-label="Đôn đốc"' in html  # the box says what it is for on a phone's card


def test_the_tasks_ticked_open_the_urge_page_with_them(client, province_admin, work):
    html = _page(client, province_admin)
    overdue, soon, later = work
    ticked = [pk for pk in BOX.findall(html) if int(pk) in (overdue.pk, soon.pk)]

    response = client.get(URGE, {"task": ticked})  # what the browser sends for the form

    assert response.status_code == 200
    assert sorted(response.context["task_ids"]) == sorted([overdue.pk, soon.pk])
    listed = {line.task.pk for line in response.context["found"].lines}
    assert listed == {overdue.pk, soon.pk}


def test_another_provinces_admin_gets_no_box_on_this_provinces_tasks(client, other_province, work):
    superuser = UserFactory(username="root", province=None, agency=None, is_superuser=True, is_staff=True)
    admin = UserFactory(province=other_province, role=Role.PROVINCE_ADMIN, agency=None, username="qn.admin2")

    assert len(BOX.findall(_page(client, superuser))) == len(work)
    assert BOX.findall(_page(client, admin)) == []


@pytest.mark.parametrize("who", ["leader", "lead_focal_point"])
def test_who_may_not_urge_sees_no_box_and_the_urge_page_refuses_them(client, request, who, work):
    user = request.getfixturevalue(who)

    html = _page(client, user)

    assert BOX.findall(html) == []
    assert 'id="urge-selection"' not in html
    assert "Đôn đốc các nhiệm vụ đã chọn" not in html
    assert 'name="task"' not in html
    assert client.get(URGE, {"task": [task.pk for task in work]}).status_code == 403
