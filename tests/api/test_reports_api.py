"""/api/v1/reports/figures/: the figures ``build_report --format json`` prints, for a plan or a
province and a period, to the callers who read the province's dashboards."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import signed_in
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _command(**options):
    out = io.StringIO()
    call_command("build_report", format="json", stdout=out, **options)
    return json.loads(out.getvalue())


def test_a_plans_figures_are_those_of_build_report(province, province_admin, plan, task):
    response = signed_in(province_admin).get(f"/api/v1/reports/figures/?plan={plan.pk}&period=2024-Q4"
                                             "&date=2025-01-20")

    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k != "scope"} == _command(
        province="dong-thap", plan="115/KH-UBND", period="2024-Q4", date=datetime.date(2025, 1, 20))
    assert body["scope"]["plan"] == "115/KH-UBND"


def test_a_provinces_figures_are_those_of_build_report(province, leader, plan, task, other_task):
    body = signed_in(leader).get("/api/v1/reports/figures/?period=Quý IV/2024&date=2025-01-20").json()

    command = _command(province="dong-thap", period="2024-Q4", date=datetime.date(2025, 1, 20))
    assert body["totals"] == command["totals"]
    assert body["totals"]["total"] == 1


def test_the_period_is_the_current_year_by_default(leader, plan, task, settings):
    body = signed_in(leader).get("/api/v1/reports/figures/").json()

    assert len(body["period"]["code"]) == 4


def test_an_overdue_task_is_listed_with_its_agency(leader, plan, task):
    body = signed_in(leader).get("/api/v1/reports/figures/?period=2025&date=2025-02-01").json()

    assert body["overdue"] == [
        {"task": "I.1", "title": task.title, "agency": "Sở Nội vụ", "days_overdue": 32}
    ]


def test_a_focal_point_is_refused(lead_focal_point, plan):
    response = signed_in(lead_focal_point).get("/api/v1/reports/figures/?period=2024")

    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ lãnh đạo và quản trị viên cấp tỉnh được xem số liệu của tỉnh."


def test_a_plan_of_another_province_is_not_found(leader, other_plan):
    assert signed_in(leader).get(f"/api/v1/reports/figures/?plan={other_plan.pk}").status_code == 404


def test_another_province_is_not_found(leader, other_province):
    assert signed_in(leader).get("/api/v1/reports/figures/?province=quang-nam").status_code == 404


def test_a_superuser_chooses_a_province(superuser, other_plan, other_task):
    client = signed_in(superuser)

    assert client.get("/api/v1/reports/figures/?period=2024").status_code == 400
    body = client.get("/api/v1/reports/figures/?period=2024&province=quang-nam").json()
    assert body["scope"]["province"] == "Quảng Nam"


@pytest.mark.parametrize("query", ["period=2024-Q5", "period=1999", "date=2025-13-01", "date=0001-01-01",
                                   "plan=abc", "plan=0", "province=Đồng Tháp"])
def test_it_refuses_a_malformed_parameter(leader, plan, query):
    response = signed_in(leader).get(f"/api/v1/reports/figures/?{query}")

    assert response.status_code == 400
    assert not response.json()[query.split("=")[0]][0].isascii()


def _figures_of(client, plan, lead_agency, tasks):
    for _ in range(tasks):
        AssignmentFactory(task=TaskFactory(plan=plan, deadline_due="2024-06-30"), agency=lead_agency)
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/api/v1/reports/figures/?plan={plan.pk}&period=2024&date=2024-12-20")
    return len(queries)


def test_the_figures_take_the_same_number_of_queries_whatever_the_tasks(
    province, leader, lead_agency, django_assert_num_queries
):
    # The figures' queries are build_summary's (reports.summary): as many for 30 tasks as for 3.
    client = signed_in(leader)
    few = _figures_of(client, PlanFactory(province=province), lead_agency, 3)
    plan = PlanFactory(province=province)
    for _ in range(30):
        AssignmentFactory(task=TaskFactory(plan=plan, deadline_due="2024-06-30"), agency=lead_agency)

    with django_assert_num_queries(few):
        client.get(f"/api/v1/reports/figures/?plan={plan.pk}&period=2024&date=2024-12-20")
