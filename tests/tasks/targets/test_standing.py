"""Where each target stands for a period: judged on the value accepted for the latest period ending in
it; values waiting or returned are not counted; two queries whatever the number of targets."""

import datetime
from decimal import Decimal

import pytest

from tasks.models import Target
from tasks.targets.judging import AT_RISK, MET, NOT_MET, NOT_REPORTED, ON_TRACK
from tasks.targets.standing import count_states, standings, standings_on
from tests.factories import PlanFactory, TargetFactory, TargetReportFactory

pytestmark = pytest.mark.django_db

YEAR_2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
Q2 = {"period_start": datetime.date(2026, 4, 1), "period_end": datetime.date(2026, 6, 30)}


def standing_of(target, start=YEAR_2026[0], end=YEAR_2026[1]):
    return standings(Target.objects.filter(pk=target.pk), start, end)[0]


def test_judged_on_the_latest_period_accepted():
    target = TargetFactory(value=80)
    TargetReportFactory(target=target, value=90, **Q2)
    TargetReportFactory(target=target, value=75)  # Q3, later: this one counts
    standing = standing_of(target)
    assert (standing.value, standing.state) == (Decimal("75"), NOT_MET)
    assert standing.reported_for == datetime.date(2026, 9, 30)


def test_a_value_waiting_or_returned_is_not_counted():
    target = TargetFactory(value=80)
    TargetReportFactory(target=target, value=90, status="returned")
    TargetReportFactory(target=target, value=95, status="awaiting", **Q2)
    standing = standing_of(target)
    assert (standing.value, standing.state, standing.awaiting) == (None, NOT_REPORTED, True)


def test_a_period_sees_only_the_values_reported_for_it():
    target = TargetFactory(value=80)
    TargetReportFactory(target=target, value=85)  # Q3 2026
    first_half = standing_of(target, datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert first_half.state == NOT_REPORTED
    assert standing_of(target).state == MET


def test_trend_uses_every_value_accepted_up_to_the_period():
    target = TargetFactory(value=85, baseline=None, due=datetime.date(2026, 12, 31))
    TargetReportFactory(
        target=target, value=50, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 3, 31)
    )
    TargetReportFactory(target=target, value=60, **Q2)
    assert standing_of(target).trend == AT_RISK  # +10 a quarter: about 80 by 31 December, short of 85
    TargetReportFactory(target=target, value=75)  # Q3: 50 → 75 in half a year, about 87.6 by December
    assert standing_of(target).trend == ON_TRACK


def test_counts_of_a_plan():
    plan = PlanFactory()
    met, not_met, silent = (TargetFactory(plan=plan) for _ in range(3))
    TargetReportFactory(target=met, value=80)
    TargetReportFactory(target=not_met, value=10)
    TargetReportFactory(target=silent, value=99, status="awaiting")
    counts = count_states(standings(plan.targets.all(), *YEAR_2026))
    assert counts == {"total": 3, MET: 1, NOT_MET: 1, NOT_REPORTED: 1, "awaiting": 1}


@pytest.mark.parametrize("targets", [1, 12])
def test_two_queries_whatever_the_number_of_targets(targets, django_assert_num_queries):
    plan = PlanFactory()
    for _ in range(targets):
        TargetReportFactory(target=TargetFactory(plan=plan))
    with django_assert_num_queries(2):
        found = standings(plan.targets.all(), *YEAR_2026)
    assert [item.state for item in found] == [MET] * targets


def test_on_a_day_a_value_for_the_current_year_counts_before_the_year_ends():
    target = TargetFactory(value=80)
    TargetReportFactory(
        target=target,
        value=81,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    found = standings_on(Target.objects.filter(pk=target.pk), datetime.date(2026, 12, 2))
    assert found[0].state == MET
