"""The dashboards' figures: the month-by-month trend, the plans' rows."""

import datetime

import pytest
from django.urls import reverse

from reports import dashboards
from reports.periods import parse_period
from reports.summary import agency_rows, build_summary, plans_in_scope, tasks_in_period, totals
from tests.factories import AssignmentFactory, TaskFactory

D = datetime.date


@pytest.mark.django_db
def test_on_time_rate_is_over_the_tasks_come_due(province, plan, lead_agency):
    # Work completed before its due date is done, but not yet in either rate.
    AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Quý I năm 2024"), agency=lead_agency)
    AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Năm 2025", status="completed",
                                       completed_on=D(2024, 6, 1)), agency=lead_agency)
    period = parse_period("2024")
    cutoff = period.window().cutoff

    [agency] = agency_rows(tasks_in_period(plan.tasks.all(), period, cutoff), cutoff)

    assert (agency["done_on_time"], agency["come_due"]) == (1, 1)
    assert (agency["on_time_rate"], agency["completion_rate"]) == (0.0, 0.0)


@pytest.fixture
def various_tasks(plan, lead_agency):
    specs = [
        {"status": "completed", "completed_on": D(2024, 5, 2), "deadline_text": "Quý II năm 2024"},
        {"status": "completed", "completed_on": D(2024, 8, 2), "deadline_text": "Quý II năm 2024"},
        {"status": "completed", "completed_on": D(2024, 2, 1), "deadline_text": "Năm 2024"},
        {"status": "in_progress", "deadline_text": "Tháng 3/2024"},
        {"status": "awaiting_acceptance", "completed_on": D(2024, 6, 1), "deadline_text": "Quý II năm 2024"},
        {"status": "not_started", "deadline_text": "Thường xuyên"},
        {"status": "cancelled", "deadline_text": "Quý I năm 2024"},
        {"status": "not_started", "deadline_text": "Năm 2025"},
    ]
    for fields in specs:
        AssignmentFactory(task=TaskFactory(plan=plan, **fields), agency=lead_agency)
    return plan


@pytest.mark.django_db
def test_monthly_trend_counts_as_totals_on_each_month_end(province, various_tasks):
    tasks = dashboards.tasks_of(plans_in_scope(province))

    trend = dashboards.monthly_trend(tasks, D(2024, 12, 20))

    expected = []
    for day in dashboards.month_ends(D(2024, 12, 20)):
        counts = totals(tasks.with_state(day), day)
        expected.append({"month": day.strftime("%m/%Y"), "completion_rate": counts["completion_rate"],
                         "overdue": counts["overdue"], "done": counts["done_on_time"] + counts["done_late"]})
    assert trend == expected
    assert {point["overdue"] for point in trend} != {0} and {point["done"] for point in trend} != {0}


@pytest.mark.django_db
def test_overview_totals_are_the_summarys(client, leader, province, various_tasks):
    client.force_login(leader)

    response = client.get(reverse("reports:overview"), {"period": "2024"})

    expected = build_summary(province, parse_period("2024"), comparisons=False)["totals"]
    del expected["bands"]
    assert response.context["summary"]["totals"] == expected
    assert expected["total"] == 7 and expected["come_due"] > 0
