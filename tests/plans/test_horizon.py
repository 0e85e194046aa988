"""A plan's horizon: how far its recurring and ongoing work is tracked, and what happens after."""

import datetime

import pytest
from django.urls import reverse

from plans.models import PlanStatus
from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize("title,end_year,horizon", [
    ("Kế hoạch chuyển đổi số", None, 2025),  # the year after the plan's date (08/04/2024)
    ("Thực hiện Đề án … đến năm 2025, định hướng đến năm 2030", None, 2025),
    ("Chuyển đổi số giai đoạn 2024 - 2026", None, 2026),
    ("Chuyển đổi số tỉnh Đồng Nai năm 2024", None, 2024),
    ("Chuyển đổi số giai đoạn 2024 - 2026", 2027, 2027),  # set in the plan's settings
])
def test_horizon_is_the_end_year_else_what_the_title_prints_else_the_next_year(title, end_year, horizon):
    plan = PlanFactory(title=title, end_year=end_year)

    assert plan.horizon_end == D(horizon, 12, 31)


def test_yearly_work_of_a_plan_without_end_year_is_tracked_after_its_first_year():
    plan = PlanFactory(title="Kế hoạch cải cách hành chính", reference_date=D(2024, 4, 8))
    task = TaskFactory(plan=plan, deadline_text="Hằng năm")

    assert list(task.occurrences.values_list("due", flat=True)) == [D(2024, 12, 31), D(2025, 12, 31)]


@pytest.fixture
def passed(plan, monkeypatch):
    """Plan 115 (horizon 2025) looked at on 02/12/2026 with quarterly work still open."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: D(2026, 12, 2))
    return TaskFactory(plan=plan, deadline_text="Hằng quý")


def test_plan_page_says_when_open_periodic_work_outlived_the_horizon(client, province_admin, plan, passed):
    client.force_login(province_admin)

    response = client.get(plan.get_absolute_url())

    assert response.context["open_periodic_work"] == 1
    assert "31/12/2025" in response.content.decode()


def test_admins_home_lists_plans_past_their_horizon(client, province_admin, plan, passed):
    client.force_login(province_admin)

    response = client.get(reverse("home"))

    assert [p.pk for p in response.context["past_horizon"]] == [plan.pk]


def test_extending_the_horizon_tracks_the_periods_up_to_this_year(client, province_admin, plan, passed):
    client.force_login(province_admin)

    response = client.post(reverse("plans:horizon", args=[plan.pk]), {"action": "extend"})

    plan.refresh_from_db()
    assert response.status_code == 302 and plan.end_year == 2026
    assert passed.occurrences.order_by("due").last().due == D(2026, 12, 31)
    assert "open_periodic_work" not in client.get(plan.get_absolute_url()).context


def test_closing_the_plan_stops_the_warning(client, province_admin, plan, passed):
    client.force_login(province_admin)

    client.post(reverse("plans:horizon", args=[plan.pk]), {"action": "close"})

    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert client.get(reverse("home")).context["past_horizon"] == []


def test_a_focal_point_cannot_extend_the_horizon(client, lead_focal_point, plan, passed):
    client.force_login(lead_focal_point)

    response = client.post(reverse("plans:horizon", args=[plan.pk]), {"action": "extend"})

    plan.refresh_from_db()
    assert response.status_code == 403 and plan.end_year is None


def test_an_unknown_action_changes_nothing(client, province_admin, plan, passed):
    client.force_login(province_admin)

    client.post(reverse("plans:horizon", args=[plan.pk]), {"action": "¹"})

    plan.refresh_from_db()
    assert (plan.end_year, plan.status) == (None, PlanStatus.ACTIVE)
