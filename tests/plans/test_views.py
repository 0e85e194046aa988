import datetime

import pytest
from django.urls import reverse

from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, PlanSectionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client, plan):
    response = client.get(reverse("plans:detail", args=[plan.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_plan_list_shows_only_the_users_province(client, lead_focal_point, plan, other_province):
    foreign = PlanFactory(province=other_province, number="99/KH-UBND")
    client.force_login(lead_focal_point)

    response = client.get(reverse("plans:list"))

    assert response.status_code == 200
    assert plan.number in response.text
    assert foreign.number not in response.text


def test_user_of_another_province_gets_404_on_a_plan(client, other_admin, plan):
    client.force_login(other_admin)

    response = client.get(reverse("plans:detail", args=[plan.pk]))

    assert response.status_code == 404


def test_plan_list_filters_by_text(client, province_admin, plan, province):
    PlanFactory(province=province, number="7/KH-UBND", title="Kế hoạch về du lịch")
    client.force_login(province_admin)

    response = client.get(reverse("plans:list"), {"q": "du lịch"})

    assert "7/KH-UBND" in response.text
    assert plan.number not in response.text


def test_plan_detail_lists_tasks_with_lead_and_coordinators(client, province_admin, task, province):
    coordinator = AgencyFactory(province=province, name="Sở Tài chính")
    AssignmentFactory(task=task, agency=coordinator, role="coordinator", mention="Sở TC")
    client.force_login(province_admin)

    response = client.get(reverse("plans:detail", args=[task.plan.pk]))

    assert task.title in response.text
    assert "Sở Nội vụ" in response.text
    assert "Sở TC" in response.text


def _plan_with_tasks(province, count):
    plan = PlanFactory(province=province)
    section = PlanSectionFactory(plan=plan)
    for _ in range(count):
        task = TaskFactory(plan=plan, section=section)
        AssignmentFactory(task=task)
        AssignmentFactory(task=task, role="coordinator")
    return plan


@pytest.mark.parametrize("count", [10, 200])
def test_plan_detail_query_count_does_not_grow_with_tasks(
    client, province_admin, province, count, django_assert_num_queries
):
    plan = _plan_with_tasks(province, count)
    client.force_login(province_admin)

    # session, user, the user's agency and province (menu), plan, state counts, task count,
    # task page, assignments with their agencies, open recurring work (the horizon of 2025 passed),
    # the provinces the admin holds (may edit), the plan's targets with their reported values
    with django_assert_num_queries(12):
        response = client.get(reverse("plans:detail", args=[plan.pk]))

    assert response.status_code == 200


def test_plan_names_the_recipient_in_office_today(client, province_admin, province, plan):
    kh_cn = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    plan.report_recipient = AgencyFactory(
        province=province,
        name="Sở Thông tin và Truyền thông",
        active_until=datetime.date(2025, 2, 28),
        successor=kh_cn,
    )
    plan.save()
    client.force_login(province_admin)

    response = client.get(reverse("plans:detail", args=[plan.pk]))

    assert response.context["recipient"] == kh_cn
    assert "Sở Thông tin và Truyền thông đến ngày 28/02/2025" in response.text
