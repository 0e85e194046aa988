"""One query for many days: the rows are those of each day's own query, and a query that depends on
the day only through its parameters (the day, dates derived from it) is built twice, not once per
day."""

import datetime

import pytest

from reports.per_day import rows_per_day
from tasks.models import Task
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAYS = [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]


@pytest.fixture
def tasks(plan):
    due_dates = (D(2024, 2, 1), D(2024, 3, 15), D(2024, 4, 30))
    return [TaskFactory(plan=plan, due_override=day) for day in due_dates]


def _each_day_alone(query_of):
    return [{**row, "day_index": index} for index, day in enumerate(DAYS) for row in query_of(day)]


def _ordered(row):
    return sorted(row.items())


def _due_by(day):
    return Task.objects.filter(due_override__lte=day).values("code")


def _due_the_week_before(day):  # derives another date from the day
    return Task.objects.filter(due_override__lte=day - datetime.timedelta(days=7)).values("code")


def _due_by_or_march(day):  # the day steers how the query is built: the stand-ins give March
    return Task.objects.filter(due_override__lte=max(day, D(2024, 3, 1))).values("code")


@pytest.mark.parametrize("query_of", [_due_by, _due_the_week_before, _due_by_or_march])
def test_the_rows_are_each_days_own(tasks, query_of):
    rows = rows_per_day(query_of, DAYS)

    assert sorted(rows, key=_ordered) == sorted(_each_day_alone(query_of), key=_ordered)
    assert len(rows) > len(DAYS)  # not vacuous: several days hold several rows


@pytest.mark.parametrize("of_the_day", [_due_by, _due_the_week_before])
def test_a_query_of_the_day_is_built_twice_whatever_the_days(tasks, of_the_day):
    built = []

    def query_of(day):
        built.append(day)
        return of_the_day(day)

    rows_per_day(query_of, DAYS * 3)

    assert len(built) == 2


def test_a_query_whose_building_follows_the_day_is_built_for_each_day(tasks):
    built = []

    def query_of(day):
        built.append(day)
        return _due_by_or_march(day)

    rows_per_day(query_of, DAYS)

    assert built[2:] == DAYS


def test_no_days_no_rows(tasks):
    assert rows_per_day(_due_by, []) == []


def test_a_query_that_selects_nothing_has_no_rows(tasks, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows_per_day(lambda day: _due_by(day).none(), DAYS) == []
