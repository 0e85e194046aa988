"""config.bulk.insert_rows: many rows in one statement, defaults filled, conflicts skipped on request."""

import datetime

import pytest
from django.db import IntegrityError

from config.bulk import insert_rows
from tasks.models import Occurrence, Task, TaskStatus
from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 31)


def test_rows_are_inserted_with_the_model_defaults():
    task = TaskFactory()

    insert_rows(Occurrence, [{"task_id": task.pk, "due": DUE, "purpose": Occurrence.Purpose.RECURRENCE}])

    occurrence = Occurrence.objects.get(task=task)
    assert (occurrence.due, occurrence.status, occurrence.progress) == (DUE, TaskStatus.NOT_STARTED, 0)


def test_new_primary_keys_come_back_in_the_order_of_the_rows():
    plan = PlanFactory()
    rows = [{"plan_id": plan.pk, "code": code, "title": f"Nhiệm vụ {code}"} for code in ("3", "1", "2")]

    pks = insert_rows(Task, rows, returning=True)

    assert [Task.objects.get(pk=pk).code for pk in pks] == ["3", "1", "2"]


def test_a_conflicting_row_is_skipped_when_asked():
    task = TaskFactory()
    Occurrence.objects.create(task=task, due=DUE, progress=40)
    later = DUE.replace(month=6, day=30)

    insert_rows(Occurrence, [{"task_id": task.pk, "due": due} for due in (DUE, later)], ignore_conflicts=True)

    assert dict(Occurrence.objects.filter(task=task).values_list("due", "progress")) == {DUE: 40, later: 0}


def test_a_conflicting_row_fails_the_insert_by_default():
    task = TaskFactory()
    Occurrence.objects.create(task=task, due=DUE)

    with pytest.raises(IntegrityError):
        insert_rows(Occurrence, [{"task_id": task.pk, "due": DUE}])


def test_skipped_rows_cannot_return_keys():
    with pytest.raises(ValueError):
        insert_rows(Occurrence, [{"task_id": 1, "due": DUE}], returning=True, ignore_conflicts=True)
