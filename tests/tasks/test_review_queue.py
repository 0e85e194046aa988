"""The provincial admin's queue of work to accept and extensions to decide."""

import datetime

import pytest
from django.urls import reverse

from tasks import workflow
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory
from tests.tasks.factories import report_complete

pytestmark = pytest.mark.django_db


def _awaiting(plan, author, agency):
    task = TaskFactory(plan=plan)
    AssignmentFactory(task=task, agency=agency)
    report_complete(task, author)
    return task


def test_queue_lists_work_awaiting_acceptance_and_pending_extensions(
    client, province_admin, lead_focal_point, lead_agency, plan, task
):
    awaiting = _awaiting(plan, lead_focal_point, lead_agency)
    extension = workflow.request_extension(
        task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ"
    )
    client.force_login(province_admin)

    response = client.get(reverse("tasks:review_queue"))

    assert [item.task for item in response.context["items"]] == [awaiting]
    assert list(response.context["extensions"]) == [extension]


def test_queue_lists_periods_awaiting_acceptance(client, province_admin, lead_focal_point, lead_agency, plan):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    AssignmentFactory(task=task, agency=lead_agency)
    period = task.occurrences.order_by("due").first()
    workflow.report(
        task,
        author=lead_focal_point,
        version=task.version,
        occurrence=period,
        status="awaiting_acceptance",
        progress=100,
        completed_on=period.due,
        done="Xong",
    )
    client.force_login(province_admin)

    response = client.get(reverse("tasks:review_queue"))

    assert [item.occurrence for item in response.context["items"]] == [period]
    assert f"?occurrence={period.pk}" in response.text


def test_queue_holds_nothing_of_another_province(client, other_admin, lead_focal_point, lead_agency, plan):
    _awaiting(plan, lead_focal_point, lead_agency)
    client.force_login(other_admin)

    response = client.get(reverse("tasks:review_queue"))

    assert list(response.context["items"]) == []


@pytest.mark.parametrize("count", [2, 40])
def test_queue_query_count_does_not_grow(
    client, province_admin, lead_focal_point, lead_agency, province, count, django_assert_num_queries
):
    plan = PlanFactory(province=province)
    for _ in range(count):
        task = _awaiting(plan, lead_focal_point, lead_agency)
        workflow.request_extension(
            task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ"
        )
    client.force_login(province_admin)

    # session, user, awaiting count and page (UNION), their tasks and assignments, extensions count
    # and page, the user's agency and province (menu)
    with django_assert_num_queries(10):
        response = client.get(reverse("tasks:review_queue"))

    assert response.status_code == 200
