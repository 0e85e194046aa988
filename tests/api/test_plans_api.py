"""/api/v1/plans/: the plans a caller sees, with their appendix sections; the plan list's filters."""

import datetime

import pytest

from plans.models import PlanStatus
from tests.api.conftest import signed_in
from tests.factories import PlanFactory, PlanSectionFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_provinces_plans(province_admin, plan, other_plan):
    rows = signed_in(province_admin).get("/api/v1/plans/").json()["results"]

    assert [row["number"] for row in rows] == ["115/KH-UBND"]


def test_it_gives_a_plans_sections(province_admin, plan):
    PlanSectionFactory(plan=plan, code="II", title="KIỆN TOÀN TỔ CHỨC BỘ MÁY", position=2)
    PlanSectionFactory(plan=plan, code="I", title="THỂ CHẾ", position=1)

    row = signed_in(province_admin).get(f"/api/v1/plans/{plan.pk}/").json()

    assert [section["code"] for section in row["sections"]] == ["I", "II"]


def test_it_gives_the_plans_horizon(province_admin, plan):
    row = signed_in(province_admin).get(f"/api/v1/plans/{plan.pk}/").json()

    assert row["horizon_year"] == plan.horizon_year == 2025


def test_it_filters_plans_by_status_and_year(province, province_admin, plan):
    closed = PlanFactory(province=province, status=PlanStatus.CLOSED, issued_on=datetime.date(2025, 3, 1))
    client = signed_in(province_admin)

    assert [r["id"] for r in client.get("/api/v1/plans/?status=closed").json()["results"]] == [closed.pk]
    assert [r["id"] for r in client.get("/api/v1/plans/?year=2024").json()["results"]] == [plan.pk]


def test_it_searches_plans_by_number(province, province_admin, plan):
    PlanFactory(province=province)

    rows = signed_in(province_admin).get("/api/v1/plans/?q=115").json()["results"]

    assert [row["id"] for row in rows] == [plan.pk]


def test_a_superuser_filters_plans_by_province(superuser, plan, other_plan):
    rows = signed_in(superuser).get(f"/api/v1/plans/?province={other_plan.province_id}").json()["results"]

    assert [row["id"] for row in rows] == [other_plan.pk]


def test_a_plan_of_another_province_is_not_found(province_admin, other_plan):
    assert signed_in(province_admin).get(f"/api/v1/plans/{other_plan.pk}/").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_plan_list_makes_the_same_number_of_queries_whatever_the_rows(
    province, province_admin, count, django_assert_num_queries
):
    for _ in range(count):
        PlanSectionFactory(plan=PlanFactory(province=province))
    client = signed_in(province_admin)

    # session, user, the filter's years, plans, sections
    with django_assert_num_queries(5):
        response = client.get("/api/v1/plans/?page_size=200")

    assert len(response.json()["results"]) == count


def test_a_provincial_user_filters_by_a_province_merged_into_theirs(province, other_province, plan):
    from tests.factories import UserFactory

    other_province.active_until, other_province.successor = datetime.date(2025, 6, 30), province
    other_province.save()
    merged_plan = PlanFactory(province=other_province)
    client = signed_in(UserFactory(province=province, agency=None, role="leader"))

    rows = client.get(f"/api/v1/plans/?province={other_province.pk}").json()["results"]

    assert [row["id"] for row in rows] == [merged_plan.pk]


def test_a_province_the_caller_does_not_see_is_refused_as_a_filter(province_admin, other_plan):
    response = signed_in(province_admin).get(f"/api/v1/plans/?province={other_plan.province_id}")

    assert response.status_code == 400
