"""/api/v1/tasks/: the tasks a caller sees, with their agencies as printed and answering on the day,
and where they stand on it, by the task list's own rule."""

import datetime

import pytest

from agencies.models import AgencyKind
from tasks.models import TaskStatus
from tests.api.conftest import signed_in
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_provinces_tasks(province_admin, task, other_task):
    response = signed_in(province_admin).get("/api/v1/tasks/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [task.pk]


def test_it_gives_the_agencies_as_printed(province_admin, task, lead_agency):
    row = signed_in(province_admin).get(f"/api/v1/tasks/{task.pk}/").json()

    assert row["assignments"][0]["mention"] == "Sở Nội vụ"
    assert row["assignments"][0]["agency"] == lead_agency.pk
    assert row["leads"][0]["agency"] == lead_agency.pk


def test_it_names_the_successor_answering_after_a_merger(province, province_admin, plan):
    successor = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    merged = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông",
                           active_until=datetime.date(2025, 2, 28), successor=successor)
    task = TaskFactory(plan=plan)
    AssignmentFactory(task=task, agency=merged, mention="Sở TT&TT")

    line = signed_in(province_admin).get(f"/api/v1/tasks/{task.pk}/?on=2025-06-01").json()["leads"][0]

    assert line["printed"] == "Sở TT&TT"
    assert line["printed_agency"] == merged.pk
    assert (line["agency"], line["agency_name"]) == (successor.pk, "Sở Khoa học và Công nghệ")
    assert line["since"] == "2025-03-01"


def test_it_names_the_printed_agency_on_a_day_before_the_merger(province, province_admin, plan):
    successor = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    merged = AgencyFactory(province=province, active_until=datetime.date(2025, 2, 28), successor=successor)
    task = TaskFactory(plan=plan)
    AssignmentFactory(task=task, agency=merged)

    line = signed_in(province_admin).get(f"/api/v1/tasks/{task.pk}/?on=2025-01-15").json()["leads"][0]

    assert (line["agency"], line["since"]) == (merged.pk, None)


def test_it_judges_the_state_on_the_day_asked(province_admin, task):
    client = signed_in(province_admin)

    before = client.get(f"/api/v1/tasks/{task.pk}/?on=2024-06-01").json()
    after = client.get(f"/api/v1/tasks/{task.pk}/?on=2025-01-02").json()

    assert (before["state"], before["judged_on"]) == ("not_started", "2024-06-01")
    assert (after["state"], after["due_on"]) == ("overdue", "2024-12-31")


def test_it_filters_by_state_on_the_day(province_admin, plan, task):
    done = TaskFactory(plan=plan, status=TaskStatus.COMPLETED, completed_on=datetime.date(2024, 5, 1))

    rows = signed_in(province_admin).get("/api/v1/tasks/?state=done_on_time&on=2024-06-01").json()["results"]

    assert [row["id"] for row in rows] == [done.pk]


def test_it_filters_by_agency_through_its_groups(province, province_admin, plan, lead_agency, task):
    group = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    group.members.add(lead_agency)
    of_group = TaskFactory(plan=plan)
    AssignmentFactory(task=of_group, agency=group)
    TaskFactory(plan=plan)

    rows = signed_in(province_admin).get(f"/api/v1/tasks/?agency={lead_agency.pk}").json()["results"]

    assert {row["id"] for row in rows} == {task.pk, of_group.pk}


def test_it_filters_by_due_dates(province_admin, plan, task):
    TaskFactory(plan=plan, deadline_text="Năm 2025", deadline_due=datetime.date(2025, 12, 31))

    rows = signed_in(province_admin).get("/api/v1/tasks/?due_after=2024-01-01&due_before=2024-12-31")

    assert [row["id"] for row in rows.json()["results"]] == [task.pk]


def test_it_filters_by_update_time(province_admin, task):
    client = signed_in(province_admin)

    assert client.get("/api/v1/tasks/?updated_since=2000-01-01T00:00:00Z").json()["results"] != []
    assert client.get("/api/v1/tasks/?updated_since=2100-01-01T00:00:00Z").json()["results"] == []


def test_an_offset_postgresql_does_not_take_is_read_as_the_same_moment(province_admin, task):
    # Python reads offsets up to ±23:59, PostgreSQL refuses them past ±15:59 (found by Schemathesis).
    response = signed_in(province_admin).get("/api/v1/tasks/", {"updated_since": "2000-01-01T00:00:00-22:12"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [task.pk]


@pytest.mark.parametrize("query", [
    "on=2024-13-01", "on=tomorrow", "on=0001-01-01", "state=late", "plan=abc", "plan=99999999999999999999999",
    "agency=x", "due_within=-1", "due_after=2024-02-30", "updated_since=yesterday",
    "updated_since=0001-01-01T00:00:00%2B05:00", "cursor=abc",
    "page_size=0", "page_size=1000", "orphaned=-58800", "needs_date=yes",
])
def test_it_refuses_a_malformed_parameter_with_a_vietnamese_message(province_admin, task, query):
    response = signed_in(province_admin).get(f"/api/v1/tasks/?{query}")

    assert response.status_code == 400
    name = query.split("=")[0]
    message = response.json()[name][0]
    assert message and message.isascii() is False


def test_a_task_of_another_province_is_not_found(province_admin, other_task):
    response = signed_in(province_admin).get(f"/api/v1/tasks/{other_task.pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_makes_the_same_number_of_queries_whatever_the_rows(
    province_admin, plan, lead_agency, count, django_assert_num_queries
):
    for _ in range(count):
        AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)
    client = signed_in(province_admin)

    # session, user, tasks with their state, assignments with their agencies
    with django_assert_num_queries(4):
        response = client.get("/api/v1/tasks/?page_size=200")

    assert len(response.json()["results"]) == count


def test_it_lists_orphaned_work_on_the_day(province, province_admin, plan, task):
    ended = AgencyFactory(province=province, name="UBND huyện Cao Lãnh", kind=AgencyKind.DISTRICT,
                          active_until=datetime.date(2025, 6, 30))
    orphan = TaskFactory(plan=plan)
    AssignmentFactory(task=orphan, agency=ended)
    client = signed_in(province_admin)

    assert [r["id"] for r in client.get("/api/v1/tasks/?orphaned=true&on=2025-07-02").json()["results"]] == [
        orphan.pk]
    assert client.get("/api/v1/tasks/?orphaned=true&on=2025-06-01").json()["results"] == []
