"""/api/v1/targets/: a plan's targets, each where it stands on ?on= as the plan page judges it (who
sees which targets: tests/api/test_permission_matrix.py, as for every endpoint)."""

import datetime

import pytest

from tasks.targets.standing import standings_on
from tests.api.conftest import signed_in
from tests.factories import TargetFactory, TargetReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(plan, lead_agency):
    # ≥ 80 % by the end of 2026; 85 % accepted for the third quarter of 2026.
    target = TargetFactory(plan=plan, code="1", reporting_agency=lead_agency)
    TargetReportFactory(target=target, value=85)
    return target


def test_it_gives_a_target_with_where_it_stands(province_admin, target):
    row = signed_in(province_admin).get(f"/api/v1/targets/{target.pk}/?on=2026-11-01").json()

    assert {key: row[key] for key in ("code", "comparator", "value", "unit", "due", "reporting_agency")} == {
        "code": "1", "comparator": ">=", "value": "80.0000", "unit": "%", "due": "2026-12-31",
        "reporting_agency": target.reporting_agency_id,
    }
    assert (row["judged_on"], row["state"], row["value_reported"], row["reported_for"]) == (
        "2026-11-01", "met", "85.0000", "2026-09-30")


def test_a_value_reported_later_than_the_day_is_not_counted(province_admin, target):
    row = signed_in(province_admin).get(f"/api/v1/targets/{target.pk}/?on=2025-06-30").json()

    assert (row["state"], row["value_reported"]) == ("not_reported", None)


def test_the_list_agrees_with_the_plan_page(province_admin, plan, target):
    TargetFactory(plan=plan, code="2")
    day = datetime.date(2026, 11, 1)

    rows = signed_in(province_admin).get("/api/v1/targets/", {"plan": plan.pk, "on": day}).json()["results"]

    page = {item.target.pk: item.state for item in standings_on(plan.targets.all(), day)}
    assert {row["id"]: row["state"] for row in rows} == page
    assert sorted(page.values()) == ["met", "not_reported"]


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_makes_the_same_number_of_queries_whatever_the_targets(
    province_admin, plan, count, django_assert_num_queries
):
    for _ in range(count):
        TargetReportFactory(target=TargetFactory(plan=plan))
    client = signed_in(province_admin)

    # session, user, the page of targets, their standings (values accepted and awaiting, the
    # accepted history)
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/targets/").json()["results"]) == count
