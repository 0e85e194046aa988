"""Work nobody answers for any more (its lead dissolved without successor) is never silent."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import AgencyKind
from tasks.models import Task
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DISSOLVED = D(2025, 6, 30)  # district People's Committees ended with 30 June 2025


@pytest.fixture
def districts(province):
    group = AgencyFactory(province=province, name="UBND cấp huyện", kind=AgencyKind.GROUP,
                          active_until=DISSOLVED)
    town = AgencyFactory(province=province, name="UBND thành phố Sa Đéc", kind=AgencyKind.DISTRICT,
                         active_until=DISSOLVED)
    group.members.add(town)
    return group


@pytest.fixture
def district_task(plan, districts):
    task = TaskFactory(plan=plan, code="II.4")
    AssignmentFactory(task=task, agency=districts)
    return task


def _orphaned(on):
    return list(Task.objects.orphaned(on).values_list("code", flat=True))


def test_work_of_a_dissolved_lead_without_successor_is_orphaned(district_task):
    assert (_orphaned(D(2025, 6, 30)), _orphaned(D(2025, 7, 1))) == ([], ["II.4"])


def test_a_merged_lead_is_answered_by_its_successor(plan, province):
    science = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    ict = AgencyFactory(province=province, active_until=D(2025, 2, 28), successor=science)
    AssignmentFactory(task=TaskFactory(plan=plan, code="I.1"), agency=ict)

    assert _orphaned(D(2026, 12, 2)) == []


def test_a_second_lead_in_force_answers_for_the_task(district_task, lead_agency):
    AssignmentFactory(task=district_task, agency=lead_agency)

    assert _orphaned(D(2026, 12, 2)) == []


def test_completed_work_is_not_orphaned(district_task):
    district_task.status, district_task.completed_on = "completed", D(2025, 5, 1)
    district_task.save()

    assert _orphaned(D(2026, 12, 2)) == []


def test_admin_is_told_on_the_home_page_and_finds_them_in_the_list(client, province_admin, district_task):
    client.force_login(province_admin)

    home = client.get(reverse("home"))
    listed = client.get(reverse("tasks:list"), {"orphaned": "on"})

    assert home.context["orphaned_count"] == 1
    assert [row.record.code for row in listed.context["table"].page.object_list] == ["II.4"]


def test_plan_page_marks_the_orphaned_row(client, province_admin, plan, district_task, task):
    client.force_login(province_admin)

    rows = client.get(plan.get_absolute_url()).context["page"].object_list

    assert {row.code: row.orphaned for row in rows} == {"II.4": True, "I.1": False}
