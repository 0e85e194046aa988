"""The dashboards' figures: the agencies' ranking, the month-by-month trend, the plans' rows."""

import datetime

import pytest
from django.urls import reverse
from redis.exceptions import RedisError

from agencies.models import AgencyKind
from reports import dashboards
from reports.dashboards import ranking
from reports.periods import parse_period
from reports.summary import agency_rows, build_summary, plans_in_scope, tasks_in_period, totals
from tasks.states import rate
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory

D = datetime.date


def row(agency, come_due, done=0, on_time=0, overdue=0, agency_id=None):
    """A row as ``summary.agency_rows`` gives it (the figures the ranking reads)."""
    return {"agency": agency, "agency_id": agency_id, "lead": come_due, "come_due": come_due,
            "come_due_done": done, "done_on_time": on_time, "overdue": overdue,
            "completion_rate": rate(done, come_due), "on_time_rate": rate(on_time, come_due)}


def ranked(rows, groups=frozenset()):
    return [(r["rank"], r["agency"]) for r in ranking(rows, groups)["ranked"]]


def test_at_zero_percent_fewer_overdue_ranks_first():
    # The demo's case: every agency at 0 %, the one with 9 overdue was ranked first.
    rows = [row("Sở Khoa học và Công nghệ", 9, overdue=9), row("Sở Nội vụ", 1, overdue=1),
            row("Sở Tài chính", 2, overdue=1)]

    assert ranked(rows) == [(1, "Sở Tài chính"), (2, "Sở Nội vụ"), (3, "Sở Khoa học và Công nghệ")]


def test_on_time_rate_then_completion_rate_then_overdue_then_work_come_due():
    rows = [
        row("A late", 2, done=2, on_time=0),  # 100 %, all late
        row("B half", 2, done=1, on_time=1, overdue=1),  # 50 %
        row("C on time", 2, done=2, on_time=2),  # 100 %, on time
        row("D one on time", 1, done=1, on_time=1),  # 100 % on time, less work
        row("E half, none overdue", 2, done=1, on_time=1),  # 50 %, the other one due today
    ]

    assert ranked(rows) == [(1, "C on time"), (2, "D one on time"), (3, "E half, none overdue"),
                            (4, "B half"), (5, "A late")]


def test_equal_agencies_share_a_rank_and_are_listed_by_name():
    rows = [row("Sở Y tế", 3, done=1, on_time=1, overdue=2), row("Sở Nội vụ", 1, done=1, on_time=1),
            row("Sở Công Thương", 3, done=1, on_time=1, overdue=2)]

    assert ranked(rows) == [(1, "Sở Nội vụ"), (2, "Sở Công Thương"), (2, "Sở Y tế")]


def test_nothing_come_due_and_groups_are_not_ranked():
    rows = [row("Sở Y tế", 0), row("Các sở, ban, ngành Tỉnh", 4, overdue=4, agency_id=7),
            row("Sở Nội vụ", 2, overdue=2, agency_id=8)]

    result = ranking(rows, groups={7})

    assert ranked(rows, groups={7}) == [(1, "Sở Nội vụ")]
    assert [r["agency"] for r in result["not_due"]] == ["Sở Y tế"]
    assert [r["agency"] for r in result["groups"]] == ["Các sở, ban, ngành Tỉnh"]


@pytest.mark.django_db
def test_ranking_page_leaves_groups_apart(client, leader, province, plan, lead_agency):
    group = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    districts = AgencyFactory(province=province, name="UBND các xã", kind=AgencyKind.COMMUNE_GROUP)
    waiting = AgencyFactory(province=province, name="Sở Y tế")
    due = "Quý I năm 2024"
    for agency, deadline in [(group, due), (districts, due), (lead_agency, due), (waiting, "Năm 2025")]:
        AssignmentFactory(task=TaskFactory(plan=plan, deadline_text=deadline), agency=agency)
    client.force_login(leader)

    response = client.get(reverse("reports:ranking"), {"period": "2024"})

    chart = response.context["chart"]
    assert [table_row[:2] for table_row in chart["rows"]] == [[1, "Sở Nội vụ"]]
    assert chart["config"]["data"]["labels"] == ["Sở Nội vụ"]
    result = response.context["ranking"]
    assert [r["agency"] for r in result["groups"]] == ["Các sở, ban, ngành Tỉnh", "UBND các xã"]
    assert [r["agency"] for r in result["not_due"]] == ["Sở Y tế"]
    assert 'id="not-ranked"' in response.text and "Các sở, ban, ngành Tỉnh" in response.text


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


def _trend_points(tasks, until):
    return {point["month"]: point for point in dashboards.monthly_trend(tasks, until)}


@pytest.mark.django_db
def test_the_trend_keeps_past_month_ends_and_counts_the_last_one_again(
        province, plan, various_tasks, django_assert_num_queries):
    tasks = dashboards.tasks_of(plans_in_scope(province))
    until = D(2024, 12, 20)
    before = _trend_points(tasks, until)
    late = plan.tasks.get(deadline_text="Tháng 3/2024")
    late.status, late.completed_on = "completed", D(2024, 12, 1)  # done in December, late
    late.save()

    with django_assert_num_queries(1):  # the last month end only
        kept = _trend_points(tasks, until)

    assert kept["12/2024"]["done"] == before["12/2024"]["done"] + 1
    assert {month: kept[month] for month in kept if month != "12/2024"} == {
        month: before[month] for month in before if month != "12/2024"}


def _counted_trend(tasks, until):
    expected = []
    for day in dashboards.month_ends(until):
        counts = totals(tasks.with_state(day), day)
        expected.append({"month": day.strftime("%m/%Y"), "completion_rate": counts["completion_rate"],
                         "overdue": counts["overdue"], "done": counts["done_on_time"] + counts["done_late"]})
    return expected


@pytest.mark.django_db
def test_the_kept_trend_is_not_that_of_other_days(province, various_tasks):
    tasks = dashboards.tasks_of(plans_in_scope(province))
    dashboards.monthly_trend(tasks, D(2024, 12, 20))

    assert dashboards.monthly_trend(tasks, D(2024, 11, 20)) == _counted_trend(tasks, D(2024, 11, 20))


@pytest.mark.django_db
def test_the_kept_trend_is_not_that_of_other_tasks(province, various_tasks):
    tasks = dashboards.tasks_of(plans_in_scope(province))
    some = tasks.filter(deadline_text="Năm 2024")
    whole = dashboards.monthly_trend(tasks, D(2024, 12, 20))

    assert dashboards.monthly_trend(some, D(2024, 12, 20)) == _counted_trend(some, D(2024, 12, 20)) != whole


@pytest.mark.django_db
def test_the_trend_of_no_task_is_counted(province, various_tasks):
    tasks = dashboards.tasks_of(plans_in_scope(province))

    assert [point["done"] for point in dashboards.monthly_trend(tasks.none(), D(2024, 12, 20))] == [0] * 12


@pytest.mark.django_db
def test_the_trend_is_counted_when_the_cache_is_unreachable(province, various_tasks, monkeypatch):
    tasks = dashboards.tasks_of(plans_in_scope(province))
    expected = dashboards.monthly_trend(tasks, D(2024, 12, 20))

    def unreachable(*args, **kwargs):
        raise RedisError("down")

    monkeypatch.setattr(dashboards.cache, "get", unreachable)
    monkeypatch.setattr(dashboards.cache, "set", unreachable)

    assert dashboards.monthly_trend(tasks, D(2024, 12, 20)) == expected
