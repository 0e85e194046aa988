"""The plan report's overdue and completed lists come a page at a time; its figures count every task.

At 1,000,000 tasks the page listed every overdue and completed task of the plan (5,662 rows, 666 KB
of HTML; issue 16). Now each list shows ``REPORT_ROWS_PER_PAGE`` rows with links to the others, the
badges and figures still count all of them, and the page makes the same number of queries with a
handful of tasks or with several pages of them.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.views import REPORT_ROWS_PER_PAGE
from tasks.models import Evidence, TaskUpdate
from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db

PERIOD = {"period": "2024"}  # figures as of the cut-off, 14/12/2024
MANY = REPORT_ROWS_PER_PAGE + 7  # two pages of each list


def make_tasks(plan, agency, overdue, completed):
    """``overdue`` tasks past their deadline (31/03/2024) and ``completed`` ones accepted on time,
    each completed one with its report and a piece of evidence."""
    for index in range(overdue):
        task = TaskFactory(plan=plan, code=f"I.{index + 1}", deadline_text="Quý I năm 2024")
        AssignmentFactory(task=task, agency=agency)
    for index in range(completed):
        done_on = datetime.date(2024, 6, 1) + datetime.timedelta(index)
        task = TaskFactory(plan=plan, code=f"II.{index + 1}", deadline_text="Quý III năm 2024",
                           status="completed", completed_on=done_on)
        AssignmentFactory(task=task, agency=agency)
        update = TaskUpdate.objects.create(task=task, agency=agency, kind=TaskUpdate.Kind.REPORT)
        Evidence.objects.create(update=update, reference=f"Quyết định số {index + 1}/QĐ-UBND",
                                file="evidence/x.pdf", original_name="x.pdf", content_type="application/pdf")


def get(client, plan, **params):
    return client.get(reverse("reports:plan", args=[plan.pk]), {**PERIOD, **params})


def statements(client, plan):
    with CaptureQueriesContext(connection) as queries:
        assert get(client, plan).status_code == 200
    return len(queries.captured_queries)


def test_each_list_shows_one_page_and_counts_them_all(client, leader, plan, lead_agency):
    make_tasks(plan, lead_agency, MANY, MANY)
    client.force_login(leader)

    response = get(client, plan)

    assert response.context["summary"]["totals"]["overdue"] == MANY
    assert response.context["summary"]["totals"]["done_on_time"] == MANY
    assert len(response.context["overdue"]) == len(response.context["completed"]) == REPORT_ROWS_PER_PAGE
    assert response.context["overdue_page"].paginator.count == MANY
    assert response.context["completed_page"].paginator.count == MANY
    assert f'<span class="badge text-bg-danger">{MANY}</span>' in response.text
    assert "period=2024&amp;overdue_page=2#overdue" in response.text
    assert "period=2024&amp;completed_page=2#completed" in response.text


def test_the_next_pages_hold_the_rest_in_order_keeping_the_other_list_where_it_was(
        client, leader, plan, lead_agency):
    make_tasks(plan, lead_agency, MANY, MANY)
    client.force_login(leader)

    first = get(client, plan)
    second = get(client, plan, overdue_page=2, completed_page=2)
    other = get(client, plan, overdue_page=2)

    overdue = first.context["overdue"] + second.context["overdue"]
    assert len({row["task"] for row in overdue}) == len(overdue) == MANY
    assert [row["due"] for row in overdue] == sorted(row["due"] for row in overdue)
    done = first.context["completed"] + second.context["completed"]
    assert len({row["task"] for row in done}) == len(done) == MANY
    assert [row["completed_on"] for row in done] == sorted(row["completed_on"] for row in done)
    assert all(row["evidence"] for row in second.context["completed"])  # evidence of the page's tasks
    assert other.context["completed"] == first.context["completed"]
    assert "overdue_page=2&amp;completed_page=2#completed" in other.text


def test_a_page_that_is_not_one_shows_the_first_or_last(client, leader, plan, lead_agency):
    make_tasks(plan, lead_agency, MANY, 1)
    client.force_login(leader)

    assert get(client, plan, overdue_page="x").context["overdue_page"].number == 1
    assert get(client, plan, overdue_page=99).context["overdue_page"].number == 2


def test_without_tasks_nothing_is_paginated(client, leader, plan):
    client.force_login(leader)

    response = get(client, plan)

    assert response.context["overdue"] == [] and response.context["completed"] == []
    assert "overdue_page=" not in response.text


def test_same_queries_with_a_few_tasks_and_with_pages_of_them(client, leader, plan, lead_agency):
    make_tasks(plan, lead_agency, 2, 2)
    client.force_login(leader)
    get(client, plan)  # the session and the language are loaded once
    few = statements(client, plan)
    make_tasks_more(plan, lead_agency)

    assert statements(client, plan) == few == 19  # each list: its tasks, leads, their agencies


def make_tasks_more(plan, agency):
    for index in range(MANY * 2):
        task = TaskFactory(plan=plan, code=f"III.{index + 1}", deadline_text="Quý I năm 2024")
        AssignmentFactory(task=task, agency=agency)
    for index in range(MANY):
        task = TaskFactory(plan=plan, code=f"IV.{index + 1}", deadline_text="Quý III năm 2024",
                           status="completed", completed_on=datetime.date(2024, 7, 1))
        AssignmentFactory(task=task, agency=agency)
