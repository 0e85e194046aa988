"""``work_counts`` counts "Việc của tôi" per status in two grouped queries, with the figures the
filtered counts gave.

``filtered_counts`` below is how the figures were counted before (issue 16): one ``Count`` per
status, filtered by ``status_condition``, over a subquery selecting each item's state once. The
grouped counts must give the same figures on the varied data of ``test_state_counts_grouped``
(every deadline kind and status, periods, work awaiting acceptance, a task with two lead agencies),
with the agency coordinating some tasks and contributing to some, on days around every edge.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from tasks.forms import MyTasksFilterForm
from tasks.mine import agency_work, status_condition, with_contribution_awaited, work_counts
from tasks.models import AssignmentRole, TaskUpdate
from tests.factories import AssignmentFactory, UserFactory
from tests.tasks.test_state_counts_grouped import DAYS, make_tasks

pytestmark = pytest.mark.django_db

STATUSES = [value for value, _label in MyTasksFilterForm.STATUS_CHOICES if value]


def filtered_counts(user, on, statuses):
    """The figures as they were counted before the grouped query: a filtered Count per status."""
    counts = dict.fromkeys(statuses, 0)
    tasks, occurrences = with_contribution_awaited(*agency_work(user, on), user.agency_id, on)
    for queryset in (tasks, occurrences):
        judged = queryset.values("pk", "state", "due_on", "status", "awaiting", "contribution_awaited")
        figures = judged.distinct().aggregate(
            **{status: Count("pk", filter=status_condition(status, on)) for status in statuses}
        )
        for status in statuses:
            counts[status] += figures[status]
    return counts


def _focal_point(province, count):
    plans = make_tasks(province, count)
    tasks = list(plans[0].tasks.all()) + list(plans[1].tasks.all())
    agency = tasks[0].assignments.first().agency
    for index, task in enumerate(tasks):
        if index % 4 == 1:  # the agency coordinates a quarter of the others' tasks
            AssignmentFactory(task=task, agency=agency, role=AssignmentRole.COORDINATOR)
            if index % 8 == 1:  # and has contributed to half of those
                TaskUpdate.objects.create(task=task, agency=agency, kind=TaskUpdate.Kind.CONTRIBUTION,
                                          done="Đã gửi ý kiến")
    return UserFactory(province=province, agency=agency)


def test_grouped_counts_equal_the_filtered_counts(province):
    user = _focal_point(province, 60)
    seen = dict.fromkeys(STATUSES, 0)
    for day in DAYS:
        counts = work_counts(user, day, STATUSES)

        assert counts == filtered_counts(user, day, STATUSES), day
        for status, n in counts.items():
            seen[status] += n

    # The comparison means something only if the data reaches every status.
    assert [status for status, n in seen.items() if not n] == []


@pytest.mark.parametrize("count", [5, 60])
def test_two_statements_whatever_the_number_of_tasks(province, count):
    user = _focal_point(province, count)
    day = datetime.date(2025, 3, 1)

    with CaptureQueriesContext(connection) as queries:
        work_counts(user, day, STATUSES)

    assert len(queries.captured_queries) == 2
