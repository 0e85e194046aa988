""" "Việc của tôi": what the user's agency owes, most urgent first, with filters and counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def _owed(plan, agency, role="lead", **fields):
    task = TaskFactory(plan=plan, **fields)
    AssignmentFactory(task=task, agency=agency, role=role)
    return task


def _items(response):
    return [(item.task, item.occurrence) for item in response.context["items"]]


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("tasks:mine"), params)


def test_work_is_ordered_overdue_due_soon_in_progress_not_started_done(
    client, lead_focal_point, lead_agency, plan
):
    soon = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    done = _owed(
        plan,
        lead_agency,
        deadline_text="Năm 2020",
        status="completed",
        completed_on=datetime.date(2020, 6, 1),
    )
    not_started = _owed(plan, lead_agency, deadline_text="Năm 2098")
    in_progress = _owed(plan, lead_agency, deadline_text="Năm 2099", status="in_progress")
    due_soon = _owed(plan, lead_agency, deadline_text=soon)
    overdue = _owed(plan, lead_agency, deadline_text="Năm 2020")

    response = _get(client, lead_focal_point)

    assert [task for task, _ in _items(response)] == [overdue, due_soon, in_progress, not_started, done]


def test_coordinated_work_and_group_work_are_listed(client, lead_focal_point, lead_agency, plan):
    group = AgencyFactory(province=plan.province, kind=AgencyKind.GROUP, name="Các sở, ban, ngành Tỉnh")
    group.members.add(lead_agency)
    coordinated = _owed(plan, lead_agency, role="coordinator")
    through_group = _owed(plan, group)
    _owed(plan, AgencyFactory(province=plan.province))

    response = _get(client, lead_focal_point)

    assert {task for task, _ in _items(response)} == {coordinated, through_group}


def test_only_active_plans_are_listed(client, lead_focal_point, lead_agency, plan):
    active = _owed(plan, lead_agency)
    _owed(PlanFactory(province=plan.province, status="closed"), lead_agency)
    _owed(PlanFactory(province=plan.province, status="draft"), lead_agency)

    assert [task for task, _ in _items(_get(client, lead_focal_point))] == [active]


def test_recurring_task_is_listed_by_its_periods(client, lead_focal_point, lead_agency, plan):
    task = _owed(plan, lead_agency, deadline_text="Hằng quý")

    items = _items(_get(client, lead_focal_point))

    assert [(t, o.due) for t, o in items] == [
        (task, due) for due in task.occurrences.values_list("due", flat=True)
    ]


def test_filter_by_plan(client, lead_focal_point, lead_agency, plan):
    other_plan = PlanFactory(province=plan.province)
    wanted = _owed(other_plan, lead_agency)
    _owed(plan, lead_agency)

    assert [t for t, _ in _items(_get(client, lead_focal_point, plan=other_plan.pk))] == [wanted]


def test_filter_by_role(client, lead_focal_point, lead_agency, plan):
    coordinated = _owed(plan, lead_agency, role="coordinator")
    _owed(plan, lead_agency)

    assert [t for t, _ in _items(_get(client, lead_focal_point, role="coordinator"))] == [coordinated]


def test_filter_by_status(client, lead_focal_point, lead_agency, plan):
    overdue = _owed(plan, lead_agency, deadline_text="Năm 2020")
    _owed(plan, lead_agency, deadline_text="Năm 2099")

    assert [t for t, _ in _items(_get(client, lead_focal_point, status="overdue"))] == [overdue]


def test_filter_awaiting_acceptance(client, lead_focal_point, lead_agency, plan):
    awaiting = _owed(plan, lead_agency, status="awaiting_acceptance")
    _owed(plan, lead_agency)

    assert [t for t, _ in _items(_get(client, lead_focal_point, status="awaiting_acceptance"))] == [awaiting]


def test_counts_cover_tasks_and_periods(client, lead_focal_point, lead_agency, plan):
    _owed(plan, lead_agency, deadline_text="Năm 2020")
    recurring = _owed(plan, lead_agency, deadline_text="Hằng quý")

    counts = _get(client, lead_focal_point).context["counts"]

    assert counts["total"] == 1 + recurring.occurrences.count()
    assert counts["overdue"] == 1 + recurring.occurrences.filter(due__lt=timezone.localdate()).count()


def test_another_provinces_work_is_not_listed(client, other_admin, lead_agency, plan):
    other_admin.agency = AgencyFactory(province=other_admin.province, name="Sở Nội vụ")
    other_admin.save()
    _owed(plan, lead_agency)

    assert _items(_get(client, other_admin)) == []


def test_user_without_agency_sees_an_empty_list(client, province, lead_agency, plan):
    _owed(plan, lead_agency)
    user = UserFactory(province=province, agency=None, role="leader")

    response = _get(client, user)

    assert response.status_code == 200
    assert _items(response) == []


def test_lead_rows_offer_the_report_and_coordinator_rows_the_contribution(
    client, lead_focal_point, lead_agency, plan
):
    led = _owed(plan, lead_agency)
    coordinated = _owed(plan, lead_agency, role="coordinator")

    response = _get(client, lead_focal_point)

    assert reverse("tasks:report", args=[led.pk]) in response.text
    assert reverse("tasks:contribute", args=[coordinated.pk]) in response.text
    assert reverse("tasks:report", args=[coordinated.pk]) not in response.text


def test_leader_gets_no_report_button(client, lead_agency, plan, province):
    task = _owed(plan, lead_agency)
    leader = UserFactory(province=province, agency=lead_agency, role="leader")

    response = _get(client, leader)

    assert [t for t, _ in _items(response)] == [task]
    assert reverse("tasks:report", args=[task.pk]) not in response.text


def test_htmx_filtering_returns_only_the_results(client, lead_focal_point, lead_agency, plan):
    _owed(plan, lead_agency)
    client.force_login(lead_focal_point)

    response = client.get(reverse("tasks:mine"), {"role": "lead"}, HTTP_HX_REQUEST="true")

    assert "<html" not in response.text
    assert 'class="task-cards"' in response.text
    assert "HX-Request" in response["Vary"]


def test_filter_form_works_without_javascript(client, lead_focal_point, lead_agency, plan):
    response = _get(client, lead_focal_point)

    assert 'method="get" action="/tasks/mine/"' in response.text
    assert '<button type="submit" class="btn btn-primary">' in response.text


def test_pages_keep_the_filters(client, lead_focal_point, lead_agency, plan):
    for _ in range(26):
        _owed(plan, lead_agency)

    response = _get(client, lead_focal_point, role="lead")

    assert "?role=lead&amp;page=2" in response.text


@pytest.mark.parametrize("count", [3, 60])
def test_query_count_does_not_grow_with_the_work(
    client, lead_focal_point, lead_agency, plan, count, django_assert_num_queries
):
    for index in range(count):
        _owed(
            plan,
            lead_agency,
            role="lead" if index % 2 else "coordinator",
            deadline_text="Hằng năm" if index % 3 == 0 else "Năm 2024",
        )
    client.force_login(lead_focal_point)

    # session, user (with its unread count), the user's agency and province (menu), two state-count
    # aggregates, the page count (tasks, periods) and page (UNION), tasks and their assignments,
    # periods with their tasks and those tasks' assignments, the plans of the filter
    with django_assert_num_queries(15):
        response = client.get(reverse("tasks:mine"))

    assert response.status_code == 200


def test_my_tasks_include_those_of_an_agency_merged_into_mine(client, lead_focal_point, merged_agency_task):
    response = _get(client, lead_focal_point)

    assert _items(response) == [(merged_agency_task, None)]
