import datetime

import pytest
from django.core.exceptions import ValidationError

from agencies.models import AgencyKind
from tasks.models import Task, TaskUpdate
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_for_agency_includes_tasks_assigned_to_a_group_it_belongs_to(plan, lead_agency):
    group = AgencyFactory(province=plan.province, kind=AgencyKind.GROUP)
    group.members.add(lead_agency)
    task = TaskFactory(plan=plan)
    AssignmentFactory(task=task, agency=group)

    assert list(Task.objects.for_agency(lead_agency)) == [task]


def test_for_agency_with_role_keeps_only_that_role(task, lead_agency):
    assert list(Task.objects.for_agency(lead_agency, role="lead")) == [task]
    assert list(Task.objects.for_agency(lead_agency, role="coordinator")) == []


def test_for_agency_lists_a_task_once_when_named_twice(task, lead_agency):
    AssignmentFactory(task=task, agency=lead_agency, role="coordinator")

    assert Task.objects.for_agency(lead_agency).count() == 1


def test_due_override_wins_over_parsed_deadline(task):
    task.due_override = datetime.date(2025, 3, 31)

    assert task.due == datetime.date(2025, 3, 31)
    assert task.deadline_due == datetime.date(2024, 12, 31)


def test_task_history_cannot_be_changed(task):
    update = TaskUpdate.objects.create(task=task, kind=TaskUpdate.Kind.REPORT, note="Đã ban hành")
    update.note = "Sửa lại"

    with pytest.raises(ValidationError):
        update.save()


def test_task_history_cannot_be_deleted(task):
    update = TaskUpdate.objects.create(task=task, kind=TaskUpdate.Kind.REPORT)

    with pytest.raises(ValidationError):
        update.delete()

    assert TaskUpdate.objects.filter(pk=update.pk).exists()


def test_an_agency_answers_for_the_tasks_of_agencies_merged_into_it_twice(province, lead_agency, plan):
    """Huyện Nông Sơn merged into huyện Quế Sơn on 01/01/2025, which was merged in turn."""
    que_son = AgencyFactory(
        province=province,
        name="UBND huyện Quế Sơn",
        active_until=datetime.date(2025, 6, 30),
        successor=lead_agency,
    )
    nong_son = AgencyFactory(
        province=province,
        name="UBND huyện Nông Sơn",
        active_until=datetime.date(2024, 12, 31),
        successor=que_son,
    )
    task = TaskFactory(plan=plan)
    AssignmentFactory(task=task, agency=nong_son)

    assert list(Task.objects.for_agency(lead_agency)) == [task]
