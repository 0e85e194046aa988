"""A superuser's edits in the Django admin keep the task's history: a changed deadline or agency is
written as an "Edited" entry (as the portal's own pages write it), status, progress and completion
cannot be changed there, and what the portal writes (reminders, periods, notifications) is shown
read-only, failing reminders at a glance."""

import datetime

import pytest
import tablib
from django.urls import reverse

from tasks.models import Occurrence, ReminderLog, ReminderStatus, TaskStatus, TaskUpdate
from tasks.resources import TaskResource
from tests.factories import AgencyFactory, UserFactory
from tests.tasks.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(is_superuser=True, is_staff=True, province=None, agency=None, username="root")
    client.force_login(user)
    return user


def _field_value(bound):
    value = bound.value()
    if value is None or value is False:
        return None
    return value.isoformat() if isinstance(value, datetime.date) else value


def _change(client, task, **changes):
    """POST the task's admin change form as it is shown, with ``changes`` made."""
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = client.get(url)
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {bound.html_name: _field_value(bound) for form in forms for bound in form}
    data.update(changes)
    response = client.post(url, {name: value for name, value in data.items() if value is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors
    task.refresh_from_db()


def _edits(task):
    edits = TaskUpdate.objects.filter(task=task, kind=TaskUpdate.Kind.EDIT)
    return list(edits.values_list("changes", flat=True))


@pytest.mark.parametrize(
    ("field", "value", "recorded"),
    [
        ("deadline_text", "Quý IV năm 2025", ["Năm 2024", "Quý IV năm 2025"]),
        ("due_override", "2025-03-31", ["", "2025-03-31"]),
    ],
)
def test_a_deadline_changed_in_the_admin_is_written_in_the_history(client, root, task, field, value,
                                                                   recorded):
    task.deadline_text = "Năm 2024"
    task.save()

    _change(client, task, **{field: value})

    assert _edits(task) == [{field: recorded}]


def test_a_deadline_changed_in_the_admin_moves_the_version_on(client, root, task):
    version = task.version

    _change(client, task, due_override="2025-03-31")

    assert task.version > version


def test_an_edit_that_changes_no_date_writes_no_history(client, root, task):
    _change(client, task, title="Rà soát lại quy chế")

    assert (task.title, _edits(task)) == ("Rà soát lại quy chế", [])


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", TaskStatus.COMPLETED), ("progress", "100"), ("completed_on", "2025-01-01")],
)
def test_status_progress_and_completion_cannot_be_changed_in_the_admin(client, root, task, field, value):
    before = getattr(task, field)

    _change(client, task, **{field: value})

    assert getattr(task, field) == before


def test_the_task_page_links_to_the_portal_for_status_changes(client, root, task):
    response = client.get(reverse("admin:tasks_task_change", args=[task.pk]))

    assert task.get_absolute_url() in response.content.decode()


def test_an_agency_changed_in_the_admin_is_written_in_the_history(client, root, task, province):
    finance = AgencyFactory(province=province, name="Sở Tài chính")

    _change(client, task, **{"assignments-0-agency": finance.pk})

    assert _edits(task) == [{"lead": ["Sở Nội vụ", "Sở Tài chính"]}]


def test_a_deadline_imported_in_the_admin_is_written_in_the_history(root, task):
    before = task.deadline_text
    sheet = tablib.Dataset(headers=["plan", "code", "title", "deadline_text"])
    sheet.append([task.plan_id, task.code, task.title, "Quý II năm 2025"])

    result = TaskResource().import_data(sheet, dry_run=False, user=root)

    assert not result.has_errors()
    task.refresh_from_db()
    assert task.deadline_text == "Quý II năm 2025"
    assert _edits(task) == [{"deadline_text": [before, "Quý II năm 2025"]}]


@pytest.fixture
def reminders(task, lead_focal_point):
    day = datetime.date(2025, 3, 1)
    common = {"recipient": lead_focal_point, "task": task, "day": day, "due": day, "scanned_on": day}
    return {
        "failing": ReminderLog.objects.create(kind="due_soon", last_error="SMTP 451", attempts=2, **common),
        "pending": ReminderLog.objects.create(kind="overdue", **common),
        "sent": ReminderLog.objects.create(kind="escalation", status=ReminderStatus.SENT, **common),
    }


@pytest.mark.parametrize(("query", "shown"), [({"failing": "yes"}, {"failing"}),
                                               ({"status__exact": "pending"}, {"failing", "pending"})])
def test_pending_and_failing_reminders_are_filtered(client, root, reminders, query, shown):
    response = client.get(reverse("admin:tasks_reminderlog_changelist"), query)

    listed = set(response.context["cl"].result_list)
    assert listed == {reminders[name] for name in shown}


DUE = datetime.date(2025, 3, 31)


@pytest.fixture
def written_by_the_portal(task, lead_focal_point, reminders):
    return {
        "reminderlog": set(reminders.values()),
        "occurrence": {Occurrence.objects.create(task=task, due=DUE, purpose="report")},
        "notification": {NotificationFactory(recipient=lead_focal_point, task=task)},
    }


@pytest.mark.parametrize("model", ["reminderlog", "occurrence", "notification"])
def test_what_the_portal_writes_is_listed(client, root, written_by_the_portal, model):
    response = client.get(reverse(f"admin:tasks_{model}_changelist"))

    assert set(response.context["cl"].result_list) == written_by_the_portal[model]


@pytest.mark.parametrize("model", ["reminderlog", "occurrence", "notification", "taskassignment"])
def test_they_and_assignments_are_read_only(client, root, written_by_the_portal, task, model):
    records = written_by_the_portal.get(model) or {task.assignments.get()}
    record = next(iter(records))
    page = client.get(reverse(f"admin:tasks_{model}_change", args=[record.pk]))

    context = page.context
    assert (page.status_code, context["has_change_permission"], context["has_delete_permission"]) == (
        200, False, False
    )
    assert client.get(reverse(f"admin:tasks_{model}_add")).status_code == 403
