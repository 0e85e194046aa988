import datetime

import pytest
from django.urls import reverse

from agencies.models import AgencyKind
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_agency_detail_shows_tasks_led_through_a_group(client, province_admin, plan, lead_agency):
    group = AgencyFactory(province=plan.province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    group.members.add(lead_agency)
    task = TaskFactory(plan=plan, title="Bố trí nhân sự chuyển đổi số")
    AssignmentFactory(task=task, agency=group)
    client.force_login(province_admin)

    response = client.get(reverse("agencies:detail", args=[lead_agency.pk]))

    assert "Bố trí nhân sự chuyển đổi số" in response.text


def test_agency_of_another_province_is_404(client, other_admin, lead_agency):
    client.force_login(other_admin)

    response = client.get(reverse("agencies:detail", args=[lead_agency.pk]))

    assert response.status_code == 404


def test_agency_list_counts_tasks_led(client, province_admin, task, lead_agency):
    client.force_login(province_admin)

    response = client.get(reverse("agencies:list"), {"q": "Nội vụ"})

    table = response.context["table"]
    row = next(r for r in table.rows if r.record == lead_agency)
    assert row.record.lead_count == 1


def test_agency_list_counts_the_tasks_its_page_lists(client, province_admin, province, lead_agency, plan):
    group = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    group.members.add(lead_agency)
    merged = AgencyFactory(province=province, active_until=datetime.date(2025, 2, 28), successor=lead_agency)
    for agency in (lead_agency, group, merged):
        AssignmentFactory(task=TaskFactory(plan=plan), agency=agency)
    client.force_login(province_admin)

    listed = client.get(reverse("agencies:list"), {"q": "Nội vụ"}).context["table"]
    page = client.get(reverse("agencies:detail", args=[lead_agency.pk])).context["lead_table"]

    row = next(r for r in listed.rows if r.record == lead_agency)
    assert row.record.lead_count == len(page.rows) == 3


@pytest.mark.parametrize("count", [10, 200])
def test_agency_detail_query_count_does_not_grow_with_tasks(
    client, province_admin, plan, lead_agency, count, django_assert_num_queries
):
    for _ in range(count):
        task = TaskFactory(plan=plan)
        AssignmentFactory(task=task, agency=lead_agency)
        AssignmentFactory(task=task, role="coordinator")
        AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency, role="coordinator")
    client.force_login(province_admin)

    # session, user, the user's agency and province (menu), agency, aliases, groups, predecessors,
    # then for each of the two tables: count, page, assignments
    with django_assert_num_queries(14):
        response = client.get(reverse("agencies:detail", args=[lead_agency.pk]))

    assert response.status_code == 200


def test_agency_page_names_the_agencies_merged_into_it(client, province_admin, province, lead_agency):
    merged = AgencyFactory(
        province=province,
        name="Sở Lao động - Thương binh và Xã hội",
        active_until=datetime.date(2025, 2, 28),
        successor=lead_agency,
    )
    client.force_login(province_admin)

    response = client.get(reverse("agencies:detail", args=[lead_agency.pk]))

    assert list(response.context["predecessors"]) == [merged]
    assert "Sở Lao động - Thương binh và Xã hội" in response.content.decode()
