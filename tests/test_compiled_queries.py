"""Queries compiled once per process (``config.compiled_queries``): the rows are those of the query
built with the real values, and a query whose values are only parameters is built twice per shape,
not per request. The oracle is the queryset itself, built and run with the real values."""

import datetime
import itertools

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from config.compiled_queries import compiled_rows, value_slots
from tasks.models import Task
from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAYS = [D(2024, 3, 31), D(2024, 6, 30), D(2025, 1, 15)]
_names = itertools.count()


def _fresh_name():  # each test compiles its own query: the cache outlives a test
    return f"test.{next(_names)}"


@pytest.fixture
def plans(province):
    plans = [PlanFactory(province=province) for _ in range(2)]
    for plan, due in itertools.product(plans, (D(2024, 2, 1), D(2024, 5, 20), D(2024, 12, 31), None)):
        TaskFactory(plan=plan, due_override=due)
    return plans


def _due_by(on, plan):
    return Task.objects.filter(plan=plan, due_override__lte=on).values("code").order_by("code")


def _due_a_week_before(on, plan):
    week, year = datetime.timedelta(days=7), datetime.timedelta(days=365)
    return _due_by(on - week, plan).filter(due_override__gte=on - year)


@pytest.mark.parametrize("build", [_due_by, _due_a_week_before])
def test_rows_are_those_of_the_query_built_with_the_values(plans, build):
    name = _fresh_name()
    for plan, day in itertools.product(plans, DAYS):
        assert compiled_rows(name, build, on=day, plan=plan.pk) == list(build(day, plan.pk))
    assert compiled_rows(name, build, on=D(2025, 1, 1), plan=plans[0].pk)  # not vacuous


def test_a_query_of_parameters_only_is_built_twice_whatever_the_requests(plans):
    built = []

    def build(on, plan):
        built.append(on)
        return _due_by(on, plan)

    name = _fresh_name()
    for plan, day in itertools.product(plans, DAYS):
        compiled_rows(name, build, on=day, plan=plan.pk)

    assert len(built) == 2


def test_each_shape_is_compiled_on_its_own(plans):
    def build_of(field):
        return lambda on, plan: Task.objects.filter(plan=plan, due_override__lte=on).values(field)

    name, day = _fresh_name(), D(2025, 1, 1)
    codes = compiled_rows(name, build_of("code"), ("code",), on=day, plan=plans[0].pk)
    titles = compiled_rows(name, build_of("title"), ("title",), on=day, plan=plans[0].pk)

    assert {tuple(row) for row in codes} == {("code",)}
    assert {tuple(row) for row in titles} == {("title",)}


def test_a_query_whose_sql_depends_on_a_value_is_built_each_time(plans):
    built = []

    def build(on, plan):  # a year's tasks by a lookup that only some days write
        built.append(on)
        query = Task.objects.filter(plan=plan)
        if on.year < 1500:
            return query.filter(due_override__isnull=True).values("code")
        query = query.filter(due_override__lte=on)
        return query.values("code").order_by("code")

    name = _fresh_name()
    for day in DAYS:
        assert compiled_rows(name, build, on=day, plan=plans[0].pk) == list(build(day, plans[0].pk))

    assert len(built) == 2 + 2 * len(DAYS)  # stand-ins once, then each request built (and checked)


def test_a_query_built_from_the_database_is_built_each_time(plans):
    def build(on, plan):  # reads the plan's tasks to build the query: data the SQL would freeze
        first = Task.objects.filter(plan=plan).order_by("pk").first()
        return Task.objects.filter(pk=getattr(first, "pk", 0), due_override__lte=on).values("code")

    name = _fresh_name()
    for plan in plans:
        day = D(2025, 1, 1)
        assert compiled_rows(name, build, on=day, plan=plan.pk) == list(build(day, plan.pk))


def test_a_value_frozen_into_the_query_is_refused():
    first, second = {"on": D(1000, 1, 3)}, {"on": D(1000, 1, 4)}

    assert value_slots([D(1000, 1, 3), 5], [D(1000, 1, 4), 5], first, second) is not None
    assert value_slots([D(1000, 1, 3), 5], [D(1000, 1, 3), 5], first, second) is None
    assert value_slots([D(1000, 1, 3)], [D(1000, 1, 4), 5], first, second) is None
    assert value_slots([D(1000, 1, 3), 5], [D(1000, 1, 4), 6], first, second) is None


def test_dates_derived_from_the_day_follow_it():
    first, second = {"on": D(1000, 1, 3)}, {"on": D(1000, 1, 4)}
    slots = value_slots([D(1000, 1, 17), "1000-01-10"], [D(1000, 1, 18), "1000-01-11"], first, second)

    day = {"on": D(2026, 12, 3)}
    assert [slots[0][1](day), slots[1][1](day)] == [D(2026, 12, 17), "2026-12-10"]


def test_a_compiled_query_is_one_statement(plans):
    name = _fresh_name()

    def build(on, plan):
        return Task.objects.filter(plan=plan, due_override__lte=on).values("plan").annotate(n=Count("pk"))

    compiled_rows(name, build, on=DAYS[0], plan=plans[0].pk)
    with CaptureQueriesContext(connection) as queries:
        rows = compiled_rows(name, build, on=DAYS[2], plan=plans[1].pk)

    assert len(queries.captured_queries) == 1
    assert rows == [{"plan": plans[1].pk, "n": 3}]
