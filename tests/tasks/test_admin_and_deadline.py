"""The Django admin names agencies on tasks (their focal points are told); a deadline edit by the
provincial admin counts as a change of the task (its version moves on)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tasks.admin import TaskAdmin, TaskAssignmentInline
from tasks.models import Notification, NotificationKind, Task
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_naming_an_agency_in_the_admin_notifies_its_focal_points(task, province):
    agency = AgencyFactory(province=province, name="Sở Tài chính")
    focal_point = UserFactory(province=province, agency=agency)
    request = RequestFactory().post("/")
    request.user = UserFactory(province=None, agency=None, is_superuser=True, is_staff=True)
    formset_class = TaskAssignmentInline(Task, admin.site).get_formset(request, task)
    formset = formset_class(
        {
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "0",
            "assignments-0-role": "coordinator",
            "assignments-0-agency": agency.pk,
            "assignments-0-mention": "Sở Tài chính",
            "assignments-0-position": "7",
        },
        instance=task,
        prefix="assignments",
    )
    assert formset.is_valid(), formset.errors

    TaskAdmin(Task, admin.site).save_formset(request, None, formset, change=True)

    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (focal_point.pk, NotificationKind.ASSIGNED)
    ]


def test_deadline_edit_moves_the_version_on(client, province_admin, task):
    client.force_login(province_admin)

    client.post(
        reverse("tasks:edit_deadline", args=[task.pk]),
        {"deadline_text": task.deadline_text, "due_override": "31/03/2025"},
    )

    task.refresh_from_db()
    assert task.version == 2
