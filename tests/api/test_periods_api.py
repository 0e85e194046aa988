"""/api/v1/periods/: the periods of recurring tasks, each judged on the day ``?on=``."""

import pytest

from tasks.models import Occurrence, TaskStatus
from tests.api.conftest import signed_in
from tests.factories import TaskFactory, change_periods

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarterly(plan):
    return TaskFactory(plan=plan, deadline_text="Hằng quý")


def test_it_lists_a_tasks_periods_with_their_labels(province_admin, quarterly):
    rows = signed_in(province_admin).get(f"/api/v1/periods/?task={quarterly.pk}").json()["results"]

    assert rows[0]["label"] == "Quý II/2024"
    assert len(rows) == quarterly.occurrences.count()


def test_it_judges_each_period_on_the_day(province_admin, quarterly):
    first = quarterly.occurrences.order_by("due").first()
    change_periods([first], status=TaskStatus.COMPLETED, completed_on=first.due)

    rows = signed_in(province_admin).get(
        f"/api/v1/periods/?task={quarterly.pk}&on=2024-10-15").json()["results"]

    assert [row["state"] for row in rows[:3]] == ["done_on_time", "overdue", "not_started"]


def test_it_filters_periods_by_state(province_admin, quarterly):
    rows = signed_in(province_admin).get("/api/v1/periods/?state=overdue&on=2024-10-15").json()["results"]

    assert [row["due"] for row in rows] == ["2024-06-30", "2024-09-30"]


def test_it_filters_periods_by_due_date(province_admin, quarterly):
    rows = signed_in(province_admin).get(
        "/api/v1/periods/?due_after=2025-01-01&due_before=2025-03-31").json()["results"]

    assert [row["due"] for row in rows] == ["2025-03-31"]


def test_a_period_of_another_province_is_not_found(province_admin, other_plan):
    period = TaskFactory(plan=other_plan, deadline_text="Hằng quý").occurrences.first()

    assert signed_in(province_admin).get(f"/api/v1/periods/{period.pk}/").status_code == 404


@pytest.mark.parametrize("query", ["task=1.5", "task=-3", "task=99999999999999999999", "on=2024-02-30",
                                   "state=soon"])
def test_it_refuses_a_malformed_parameter(province_admin, quarterly, query):
    response = signed_in(province_admin).get(f"/api/v1/periods/?{query}")

    assert response.status_code == 400
    assert not response.json()[query.split("=")[0]][0].isascii()


@pytest.mark.parametrize("count", [2, 12])
def test_the_period_list_makes_the_same_number_of_queries_whatever_the_rows(
    province_admin, plan, count, django_assert_num_queries
):
    for _ in range(count):
        TaskFactory(plan=plan, deadline_text="Hằng quý")
    client = signed_in(province_admin)

    # session, user, periods with their tasks
    with django_assert_num_queries(3):
        response = client.get("/api/v1/periods/?page_size=200")

    assert len(response.json()["results"]) == min(200, Occurrence.objects.count())
