"""Access rules that cut across apps: login, admin, province boundaries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency
from tasks.models import Task
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "plans:list", "tasks:list", "agencies:list"])
def test_every_page_requires_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_health_check_needs_no_login(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.text == "ok"


def test_leader_cannot_reach_admin(client, leader):
    client.force_login(leader)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_leader_cannot_change_a_task_through_admin(client, leader, task):
    client.force_login(leader)

    response = client.post(reverse("admin:tasks_task_change", args=[task.pk]), {"title": "Changed"})

    task.refresh_from_db()
    assert response.status_code == 302
    assert task.title != "Changed"


def test_leader_cannot_import_agencies(client, leader):
    sheet = SimpleUploadedFile("agencies.csv", "province,name,kind\ndong-thap,Sở mới,department\n".encode())
    client.force_login(leader)

    response = client.post(
        reverse("admin:agencies_agency_import"), {"import_file": sheet, "format": "0"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not Agency.objects.filter(name="Sở mới").exists()


def test_task_of_another_province_is_404(client, other_admin, task):
    client.force_login(other_admin)

    response = client.get(reverse("tasks:detail", args=[task.pk]))

    assert response.status_code == 404


def test_task_list_is_scoped_to_the_province(client, other_admin, task):
    client.force_login(other_admin)

    response = client.get(reverse("tasks:list"))

    assert task.title not in response.text
    assert Task.objects.visible_to(other_admin).count() == 0


def test_home_tells_admins_about_unreadable_deadlines(client, province_admin, plan):
    TaskFactory(plan=plan, deadline_text="Sớm nhất có thể")
    client.force_login(province_admin)

    response = client.get(reverse("home"))

    assert response.context["unknown_deadline_count"] == 1
