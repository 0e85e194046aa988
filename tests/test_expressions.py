"""config.expressions: conditions written for PostgreSQL's planner select the same rows as Django's."""

import pytest
from django.db.models import Exists, OuterRef

from config.expressions import PerRowExists
from tasks.models import AssignmentRole, Task, TaskAssignment
from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks():
    led, coordinated, bare = TaskFactory(), TaskFactory(), TaskFactory()
    AssignmentFactory(task=led, role=AssignmentRole.LEAD)
    AssignmentFactory(task=coordinated, role=AssignmentRole.COORDINATOR)
    return led, coordinated, bare


def _leads():
    return TaskAssignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.LEAD)


def test_per_row_exists_keeps_the_rows_exists_keeps(tasks):
    led = tasks[0]
    per_row = Task.objects.filter(PerRowExists(_leads()))

    assert list(per_row) == list(Task.objects.filter(Exists(_leads()))) == [led]


def test_a_negated_per_row_exists_keeps_the_other_rows(tasks):
    _led, coordinated, bare = tasks

    assert set(Task.objects.filter(~PerRowExists(_leads()))) == {coordinated, bare}


def test_per_row_exists_filters_as_an_alias_compared_with_false(tasks):
    _led, coordinated, bare = tasks

    assert set(Task.objects.alias(led=PerRowExists(_leads())).filter(led=False)) == {coordinated, bare}
