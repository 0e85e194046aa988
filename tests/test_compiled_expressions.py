"""Expressions compiled once per process (``config.compiled_expressions.CompiledOnce``): wherever a
task's state takes its place in a query — the query itself, a subquery, beside another join of the
plans — the rows are those of the state expression built in full with the real values
(``tasks.models._judged``, the oracle), and the expression is built twice per place, not per query.
"""

import datetime
import itertools

import pytest
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from config.compiled_expressions import CompiledOnce
from plans.demo import load_demo
from plans.models import Plan
from tasks.models import Task, _judged

pytestmark = pytest.mark.django_db

D = datetime.date
DAYS = [D(2024, 6, 30), D(2024, 12, 31), D(2025, 4, 1), D(2026, 12, 1)]
JUDGED = ["state", "due_on", "done_on", "awaiting", "overdue_periods"]
_shapes = itertools.count()


@pytest.fixture
def demo(db):
    load_demo()
    Plan.objects.filter(number="115/KH-UBND").update(awaiting_counts_as_done=True)


def _rows(queryset):
    return sorted(queryset.values_list("pk", *JUDGED))


@pytest.mark.parametrize("occurrences", [True, False])
def test_each_task_is_judged_as_by_the_expression_built_in_full(demo, occurrences):
    for day in DAYS:
        expected = _rows(_judged(Task.objects.all(), day, occurrences=occurrences))
        assert _rows(Task.objects.with_state(day, occurrences=occurrences)) == expected
    assert {state for _pk, state, *_ in expected} >= {"overdue", "done_on_time", "ongoing"}


def test_a_report_period_is_judged_as_by_the_expression_built_in_full(demo):
    for start, end in [(D(2024, 1, 1), D(2024, 6, 30)), (D(2024, 7, 1), D(2024, 12, 31))]:
        on = end
        expected = _rows(_judged(Task.objects.all(), on, start, end))
        assert _rows(Task.objects.with_state(on, within=(start, end))) == expected


def test_the_state_in_a_subquery_picks_the_same_tasks(demo):
    for day in DAYS:
        overdue = Task.objects.with_state(day).filter(state="overdue").values("pk")
        expected = set(_judged(Task.objects.all(), day).filter(state="overdue").values_list("pk", flat=True))
        assert set(Task.objects.filter(pk__in=overdue).values_list("pk", flat=True)) == expected
    assert expected


def test_a_count_per_plan_as_a_correlated_subquery_is_the_same(demo):
    def per_plan(judged, day):
        overdue = (judged(Task.objects.filter(plan=OuterRef("pk")), day).filter(state="overdue")
                   .values("plan").annotate(n=Count("pk")).values("n"))
        counted = Plan.objects.annotate(n=Coalesce(Subquery(overdue, output_field=IntegerField()), 0))
        return sorted(counted.values_list("pk", "n"))

    for day in DAYS:
        assert per_plan(lambda tasks, on: tasks.with_state(on), day) == per_plan(_judged, day)
    assert any(n for _pk, n in per_plan(_judged, DAYS[-1]))


def test_the_plans_joined_under_another_alias_judge_the_same(demo):
    # The section's plan takes the table's name; the task's own plan joins as T-something.
    tasks = Task.objects.filter(section__plan__province__isnull=False)
    assert '"plans_plan" T' in str(tasks.with_state(DAYS[0]).query)
    for day in DAYS:
        assert _rows(tasks.with_state(day)) == _rows(_judged(tasks, day))
    assert tasks.exists()


def test_grouped_by_state_the_counts_are_the_same(demo):
    for day in DAYS:
        counts = Task.objects.with_state(day).values("state").annotate(n=Count("pk")).order_by("state")
        expected = _judged(Task.objects.all(), day).values("state").annotate(n=Count("pk")).order_by("state")
        assert list(counts) == list(expected)


def _counting_build(built):
    def build(tasks, on):
        built.append(on)
        return tasks.annotate(late=Coalesce("due_override", Value(on)))
    return build


def test_an_expression_of_parameters_only_is_built_twice_per_place(demo):
    built, shape = [], (f"test.{next(_shapes)}",)
    build = _counting_build(built)
    for day in DAYS:
        late = CompiledOnce(shape, "late", build, {"on": day}, Task._meta.get_field("due_override"))
        rows = dict(Task.objects.annotate(late=late).values_list("pk", "late"))
        assert rows == dict(build(Task.objects.all(), day).values_list("pk", "late"))
    assert len(built) == 2 + len(DAYS)  # two stand-in builds, then only the oracle's


def test_a_value_that_decides_the_build_is_built_each_time_with_it(demo):
    built, shape = [], (f"test.{next(_shapes)}",)

    def build(tasks, on):  # the day is no parameter: it picks the expression
        built.append(on)
        return tasks.annotate(late=Value(1 if on.year > 2024 else 0, output_field=IntegerField()))

    for day in DAYS:
        late = CompiledOnce(shape, "late", build, {"on": day}, IntegerField())
        assert set(Task.objects.annotate(late=late).values_list("late", flat=True)) == {int(day.year > 2024)}
    assert len(built) == 2 + len(DAYS)  # the stand-ins' two, then one per query
