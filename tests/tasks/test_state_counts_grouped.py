"""``state_counts`` counts per state in one grouped query, with the figures the filtered counts gave.

``filtered_counts`` below is how the figures were counted before (issue 16): one ``Count`` per
figure, filtered by the predicates of ``tasks.states`` over a subquery selecting each record's state
once. The grouped counts must give the same figures on varied data (every deadline kind, statuses,
admin dates, extensions, periods, cancelled work, work awaiting acceptance in plans that count it
as done and plans that do not, a task with two lead agencies), for tasks, periods and report
periods, on days around every band's edge; and one statement, with the state expression written
once, whatever the number of tasks.
"""

import datetime
import random

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from tasks.models import Occurrence, Task
from tasks.states import (
    DONE_STATES,
    DUE_SOON_DAYS,
    ProgressState,
    bands,
    come_due,
    due_soon,
    in_band,
    state_counts,
    with_rates,
)
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DEADLINES = ["Quý III/2024", "30/06/2025", "Năm 2025", "Quý I năm 2026", "Hằng quý", "Hằng năm",
             "Định kỳ 6 tháng", "Thường xuyên", "Theo lộ trình của Bộ", "Theo tiến độ"]
RECURRING = {"Hằng quý", "Hằng năm", "Định kỳ 6 tháng"}
STATUSES = ["not_started", "in_progress", "awaiting_acceptance", "returned", "completed", "cancelled"]
# Around the edges: due soon (7 days), the 30/60/120-day bands, a period's end.
DAYS = [D(2024, 7, 1), D(2024, 10, 1), D(2025, 1, 8), D(2025, 3, 1), D(2025, 7, 1), D(2025, 10, 29),
        D(2026, 12, 2)]


def filtered_counts(queryset, on, due_soon_days=DUE_SOON_DAYS):
    """The figures as they were counted before the grouped query: a filtered Count per figure."""
    has_come_due = come_due(on)
    judged = queryset.values("pk", "state", "due_on", "awaiting").distinct()
    counts = judged.aggregate(
        total=Count("pk"),
        **{state.value: Count("pk", filter=Q(state=state)) for state in ProgressState},
        due_soon=Count("pk", filter=due_soon(on, due_soon_days)),
        awaiting_acceptance=Count("pk", filter=Q(awaiting=True)),
        **{f"over_{days}": Count("pk", filter=in_band(on, days, wider)) for days, wider in bands()},
        come_due=Count("pk", filter=has_come_due),
        come_due_done=Count("pk", filter=has_come_due & Q(state__in=DONE_STATES)),
        come_due_on_time=Count("pk", filter=has_come_due & Q(state=ProgressState.DONE_ON_TIME)),
    )
    return with_rates(counts)


def _record(rng, due, status=None):
    status = status or rng.choice(STATUSES)
    completed_on = None
    if status in ("completed", "awaiting_acceptance") and due:
        completed_on = due + datetime.timedelta(days=rng.choice([-40, -1, 0, 1, 15, 90]))
    return status, completed_on


def make_tasks(province, count, seed=16):
    """``count`` random tasks over two plans, one counting work awaiting acceptance as done."""
    rng = random.Random(seed)
    agencies = [AgencyFactory(province=province) for _ in range(3)]
    plans = [PlanFactory(province=province, end_year=2026, awaiting_counts_as_done=done)
             for done in (False, True)]
    for index in range(count):
        text = DEADLINES[index % len(DEADLINES)]
        task = TaskFactory(plan=plans[index % 2], deadline_text=text)
        AssignmentFactory(task=task, agency=agencies[index % 3])
        if index % 7 == 0:  # two lead agencies: two rows of a join on the leads
            AssignmentFactory(task=task, agency=agencies[(index + 1) % 3])
        # Every deadline with every status (the periods' statuses are drawn at random).
        status = STATUSES[(index // len(DEADLINES) + index) % len(STATUSES)]
        task.status, task.completed_on = _record(rng, task.deadline_due, status)
        if text not in RECURRING and task.deadline_due and rng.random() < 0.2:
            task.due_override = task.deadline_due + datetime.timedelta(days=rng.choice([-30, 45]))
        if text not in RECURRING and task.deadline_due and rng.random() < 0.15:
            task.extended_due = task.deadline_due + datetime.timedelta(days=60)
        task.save()
        for occurrence in task.occurrences.all():
            occurrence.status, occurrence.completed_on = _record(rng, occurrence.due)
            if rng.random() < 0.15:
                occurrence.extended_due = occurrence.due + datetime.timedelta(days=20)
            occurrence.save()
    return plans


@pytest.fixture
def varied(province):
    return make_tasks(province, 60)


def test_grouped_counts_equal_the_filtered_counts_for_tasks(varied):
    for day in DAYS:
        tasks = Task.objects.with_state(day)

        assert state_counts(tasks, day) == filtered_counts(tasks, day), day


def test_grouped_counts_equal_the_filtered_counts_over_a_join_with_repeated_rows(varied):
    """A task with two lead agencies is two rows of the join; it counts once."""
    for day in DAYS:
        tasks = Task.objects.filter(assignments__role="lead").with_state(day)

        counts = state_counts(tasks, day)

        assert counts == filtered_counts(tasks, day), day
        assert counts["total"] == Task.objects.count()


def test_grouped_counts_equal_the_filtered_counts_for_periods_and_report_periods(varied):
    for day in DAYS:
        assert state_counts(Occurrence.objects.with_state(day), day) == filtered_counts(
            Occurrence.objects.with_state(day), day), day
        within = Task.objects.with_state(day, within=(D(day.year, 1, 1), D(day.year, 12, 31)))
        assert state_counts(within, day) == filtered_counts(within, day), day


def test_grouped_counts_equal_the_filtered_counts_with_another_due_soon_window(varied):
    day = D(2025, 3, 1)
    tasks = Task.objects.with_state(day)

    assert state_counts(tasks, day, due_soon_days=45) == filtered_counts(tasks, day, due_soon_days=45)


def test_every_figure_is_exercised_by_the_data(varied):
    """The comparison means something only if the data reaches every figure."""
    counts = {}
    for day in DAYS:
        for key, value in state_counts(Task.objects.with_state(day), day).items():
            counts[key] = (counts.get(key) or 0) + (value or 0)

    assert [key for key, value in counts.items() if not value] == []


@pytest.mark.parametrize("count", [5, 60])
def test_one_statement_with_the_state_written_once_whatever_the_number_of_tasks(province, count):
    make_tasks(province, count)
    day = D(2025, 3, 1)
    tasks = Task.objects.with_state(day)

    with CaptureQueriesContext(connection) as queries:
        state_counts(tasks, day)

    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    # The state Case is in the statement once (its single-record and its periods' parts), not once
    # a figure: each gives 'overdue' a single time.
    assert sql.count("'overdue'") == 2
