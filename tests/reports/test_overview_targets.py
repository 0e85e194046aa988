"""The leader's province overview shows where the targets of the province's active plans stand as of
today (issue 17, point 4): met, not met, not reported and awaiting, one card row, and each plan's
targets met on its line; a fixed number of queries whatever the number of targets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import PlanStatus
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    TargetFactory,
    TargetReportFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = {"period": "2025"}
Q3_END = D(2025, 9, 30)


def _value(target, value, status="accepted", end=Q3_END):
    return TargetReportFactory(target=target, value=value, status=status,
                               period_start=end.replace(day=1, month=end.month - 2), period_end=end)


@pytest.fixture
def targets(plan, lead_agency):
    """115/KH-UBND: one target met, one not met, one never reported, one whose value awaits."""
    AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)
    met, not_met, silent, waiting = (
        TargetFactory(plan=plan, code=code, value=80, unit="%", reporting_agency=lead_agency)
        for code in ("1", "2", "3", "4")
    )
    _value(met, 70, end=D(2025, 6, 30))
    _value(met, 90)
    _value(not_met, 60)
    _value(waiting, 95, status="awaiting")
    return [met, not_met, silent, waiting]


def _overview(client, user, **query):
    client.force_login(user)
    return client.get(reverse("reports:overview"), {**PERIOD, **query})


def test_counts_of_the_active_plans_as_of_today(client, leader, targets):
    response = _overview(client, leader)

    assert response.status_code == 200
    assert response.context["targets"] == {"total": 4, "met": 1, "not_met": 1, "not_reported": 2,
                                           "awaiting": 1}
    page = response.text
    assert 'id="target-counts"' in page
    assert "1/4" in page  # the plan's line: its targets met


def test_the_figures_do_not_depend_on_the_period_shown(client, leader, targets):
    """As of today, over everything accepted since the plan began: the period asked for is the tasks'."""
    earlier = _overview(client, leader, period="2024").context["targets"]

    assert earlier["met"] == 1 and earlier["total"] == 4


def test_closed_and_draft_plans_and_other_provinces_are_left_out(client, leader, province, other_province,
                                                                 targets, lead_agency):
    closed = PlanFactory(province=province, number="2/KH-UBND", status=PlanStatus.CLOSED)
    draft = PlanFactory(province=province, number="3/KH-UBND", status=PlanStatus.DRAFT)
    elsewhere = PlanFactory(province=other_province, number="4/KH-UBND")
    for plan in (closed, draft, elsewhere):
        AssignmentFactory(task=TaskFactory(plan=plan))
        _value(TargetFactory(plan=plan, code="1", value=10, unit="%"), 50)

    response = _overview(client, leader)

    assert response.context["targets"]["total"] == 4
    rows = {row["number"]: row["targets"] for row in response.context["plans"]}
    assert rows["115/KH-UBND"]["met"] == 1
    assert rows["2/KH-UBND"] is None  # closed: its line shows no targets figure


def test_a_value_accepted_for_a_later_period_counts_once_reported(client, leader, targets):
    """The latest value accepted up to today judges the target: the one not met is met in Q4."""
    _value(targets[1], 85, end=D(2025, 12, 31))

    counts = _overview(client, leader).context["targets"]

    assert counts["met"] == 2 and counts["not_met"] == 0


def test_without_targets_no_card_row(client, leader, plan, lead_agency):
    AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)

    response = _overview(client, leader)

    assert response.context["targets"]["total"] == 0
    assert 'id="target-counts"' not in response.text


def test_other_roles_keep_their_access(client, lead_focal_point, other_admin, targets):
    assert _overview(client, lead_focal_point).status_code == 403
    assert _overview(client, other_admin).context["targets"]["total"] == 0  # their own province's


def _queries(run):
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


@pytest.mark.parametrize("count", [2, 30])
def test_query_count_does_not_grow_with_targets(client, leader, plan, lead_agency, count,
                                                django_assert_num_queries):
    AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)
    client.force_login(leader)
    url = reverse("reports:overview")
    without = _queries(lambda: client.get(url, PERIOD))  # standings() finding no target: one query
    for index in range(count):
        target = TargetFactory(plan=plan, code=f"T{index}", reporting_agency=lead_agency)
        _value(target, 70 + index)
        _value(target, 75 + index, status="awaiting", end=D(2025, 12, 31))

    with django_assert_num_queries(without + 1):  # and their accepted values
        response = client.get(url, PERIOD)

    assert response.context["targets"]["total"] == count
