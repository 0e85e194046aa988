"""The progress summary: its numbers against an independent count, the recurring-task rule, the
demo plan and the task list."""

import datetime

import pytest
from django.urls import reverse

from plans.demo import load_demo
from plans.models import Plan
from reports.models import ReportSettings
from reports.periods import parse_period
from reports.summary import CATEGORIES, as_contract, as_of, build_summary
from tasks.models import Evidence, Occurrence, Task, TaskUpdate
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory, change_periods

HANOI = datetime.timezone(datetime.timedelta(hours=7))

pytestmark = pytest.mark.django_db

D = datetime.date
CUTOFF_2024 = D(2024, 12, 14)


def independent_category(task, on):
    """Where a non-recurring task stands, counted in Python from its plain fields (the test's own
    reading of the Government Office's rules, not the app's SQL)."""
    due = task.due_override or task.deadline_due
    if task.status == "cancelled":
        return None
    if task.status == "completed" and task.completed_on and task.completed_on <= on:
        return "done_on_time" if due is None or task.completed_on <= due else "done_late"
    if due is None:
        return "ongoing"
    if due < on:
        return "overdue"
    return "not_started" if task.status == "not_started" else "in_progress"


@pytest.fixture
def mixed_plan(province):
    """Twelve tasks of two agencies in every situation, one cancelled."""
    plan = PlanFactory(province=province, number="9/KH-UBND")
    home = AgencyFactory(province=province, name="Sở Nội vụ")
    works = AgencyFactory(province=province, name="Sở Xây dựng")
    specs = [
        (home, {"status": "completed", "completed_on": D(2024, 5, 2), "deadline_text": "Quý II năm 2024"}),
        (home, {"status": "completed", "completed_on": D(2024, 8, 2), "deadline_text": "Quý II năm 2024"}),
        (home, {"status": "completed", "completed_on": D(2024, 12, 20), "deadline_text": "Năm 2024"}),
        (home, {"status": "in_progress", "deadline_text": "Năm 2024"}),
        (home, {"status": "not_started", "deadline_text": "Năm 2025"}),
        (works, {"status": "in_progress", "deadline_text": "Quý III năm 2024"}),
        (works, {"status": "not_started", "deadline_text": "Tháng 6/2024"}),
        (works, {"status": "awaiting_acceptance", "deadline_text": "Quý I năm 2024"}),
        (works, {"status": "not_started", "deadline_text": "Thường xuyên"}),
        (works, {"status": "not_started", "deadline_text": "Theo lộ trình của Bộ"}),
        (works, {"status": "in_progress", "deadline_text": "Năm 2024", "due_override": D(2024, 10, 1)}),
        (works, {"status": "cancelled", "deadline_text": "Năm 2024"}),
    ]
    for agency, fields in specs:
        AssignmentFactory(task=TaskFactory(plan=plan, **fields), agency=agency)
    return plan


def test_totals_match_an_independent_count(province, mixed_plan):
    summary = build_summary(province, parse_period("2024"), plan=mixed_plan)

    expected = dict.fromkeys(CATEGORIES, 0)
    for task in Task.objects.filter(plan=mixed_plan):
        category = independent_category(task, CUTOFF_2024)
        if category:
            expected[category] += 1
    assert {c: summary["totals"][c] for c in CATEGORIES} == expected
    assert summary["totals"]["total"] == 11 == sum(expected.values())


def test_agency_rows_match_an_independent_count(province, mixed_plan):
    summary = build_summary(province, parse_period("2024"), plan=mixed_plan)

    for row in summary["agencies"]:
        tasks = Task.objects.filter(plan=mixed_plan, assignments__agency__name=row["agency"])
        categories = [c for c in (independent_category(t, CUTOFF_2024) for t in tasks) if c]
        assert row["lead"] == len(categories)
        assert {c: row[c] for c in CATEGORIES} == {c: categories.count(c) for c in CATEGORIES}


def test_overdue_list_gives_days_and_band(province, mixed_plan):
    summary = build_summary(province, parse_period("2024"), plan=mixed_plan)

    overdue = {row["title"]: row for row in summary["overdue"]}
    assert len(overdue) == summary["totals"]["overdue"] == 4
    first = summary["overdue"][0]  # longest overdue first: due 31/03/2024
    assert (first["days_overdue"], first["band"], first["agency"]) == ((CUTOFF_2024 - D(2024, 3, 31)).days,
                                                                     "over_120", "Sở Xây dựng")


def test_completion_rate_is_over_tasks_come_due(province, mixed_plan):
    totals = build_summary(province, parse_period("2024"), plan=mixed_plan)["totals"]

    # Come due by 14/12/2024: two Q2 tasks (done), Q3, June, Q1 and the 01/10 override (overdue).
    assert (totals["come_due"], totals["completion_rate"]) == (6, round(100 * 2 / 6, 1))


def test_cutoff_day_is_read_from_the_plans_settings(province, mixed_plan):
    ReportSettings.objects.create(plan=mixed_plan, cutoff_day=28, due_day=28)

    summary = build_summary(province, parse_period("2024"), plan=mixed_plan)

    assert summary["period"]["cutoff"] == "2024-12-28"
    assert summary["totals"]["done_on_time"] == 2  # completed on 20/12/2024, due 31/12: now counted


def test_comparisons_with_previous_period_and_year_before(province, mixed_plan):
    summary = build_summary(province, parse_period("2024-Q3"), plan=mixed_plan)

    assert summary["previous"]["period"]["label"] == "Quý II năm 2024"
    assert summary["previous"]["totals"]["done_on_time"] == 1  # done 02/05, due 30/06
    assert summary["year_before"]["totals"]["total"] == 0  # the plan was issued in 2024


def test_plan_issued_after_the_cutoff_is_left_out_of_the_province(province, mixed_plan):
    later = PlanFactory(province=province, issued_on=D(2025, 2, 1))
    TaskFactory(plan=later)

    summary = build_summary(province, parse_period("2024"))

    assert summary["totals"]["total"] == 11


@pytest.fixture
def quarterly(plan, lead_agency):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")  # due 30/06, 30/09, 31/12/2024 ...
    AssignmentFactory(task=task, agency=lead_agency)
    return task


def _complete(task, due, on):
    change_periods(Occurrence.objects.filter(task=task, due=due), status="completed", completed_on=on)


def test_recurring_task_counts_once(province, plan, quarterly):
    summary = build_summary(province, parse_period("2024"), plan=plan)

    assert summary["totals"]["total"] == 1


def test_recurring_task_with_a_missed_period_is_overdue_in_its_report_period(province, plan, quarterly):
    _complete(quarterly, D(2024, 9, 30), D(2024, 9, 20))  # the June one is still missing

    totals = build_summary(province, parse_period("2024"), plan=plan)["totals"]

    assert totals["overdue"] == 1


def test_a_missed_period_is_not_counted_again_in_a_later_report_period(province, plan, quarterly):
    _complete(quarterly, D(2024, 9, 30), D(2024, 9, 10))  # the June one is still missing

    totals = build_summary(province, parse_period("2024-Q3"), plan=plan)["totals"]

    assert (totals["overdue"], totals["done_on_time"]) == (0, 1)


def test_recurring_task_done_for_the_period_is_judged_by_its_occurrence(province, plan, quarterly):
    _complete(quarterly, D(2024, 6, 30), D(2024, 6, 10))
    _complete(quarterly, D(2024, 9, 30), D(2024, 10, 2))

    q3 = build_summary(province, parse_period("2024-Q3"), plan=plan)
    q2 = build_summary(province, parse_period("2024-Q2"), plan=plan)

    # Q3's figures are taken on 14/09: its period is not complete then, and not yet due.
    assert q3["totals"]["in_progress"] == 1
    assert q2["totals"]["done_on_time"] == 1
    assert q2["completed"][0]["completed_on"] == "2024-06-10"


def test_recurring_task_completed_late_in_a_date_range(province, plan, quarterly):
    _complete(quarterly, D(2024, 6, 30), D(2024, 6, 20))
    _complete(quarterly, D(2024, 9, 30), D(2024, 10, 2))

    totals = build_summary(province, parse_period("2024-07-01:2024-10-15"), plan=plan)["totals"]

    assert totals["done_late"] == 1


def test_demo_plan_115_for_2024_adds_up_to_its_16_tasks(province):
    load_demo()
    plan = Plan.objects.get(province__slug="dong-thap", number="115/KH-UBND")

    contract = as_contract(build_summary(plan.province, parse_period("2024"), plan=plan))

    totals = contract["totals"]
    # By hand, on 14/12/2024, from the appendix and the demo's history: I.1 accepted on time; IV.2
    # "Hằng Quý" (June's meeting reported late, December's after the cut-off), V.2 "Hằng năm",
    # IV.1 "Quý I hàng năm", II.1, III.1 and V.1 (completed in 2025) and VI.1 (started) under way,
    # none of them past due; seven "Năm 2024" tasks not started, due 31/12; VII "Thường xuyên"
    # ongoing.
    assert totals == {"total": 16, "done_on_time": 1, "done_late": 0, "in_progress": 7, "overdue": 0,
                      "not_started": 7, "ongoing": 1, "awaiting_acceptance": 0}
    assert sum(totals[c] for c in CATEGORIES) == 16
    assert contract["overdue"] == []


def test_demo_plan_115_today_counts_its_periods_of_2026(province):
    load_demo()
    plan = Plan.objects.get(province__slug="dong-thap", number="115/KH-UBND")

    totals = build_summary(plan.province, parse_period("2026"), plan=plan, today=D(2026, 12, 2))["totals"]

    # By hand: IV.2's 2026 meetings done on time but the third quarter's awaits acceptance and the
    # fourth is under way; V.2's 2026 training under way; IV.1's 2026 programme, II.1 and V.1 late;
    # I.1 on time, III.1 on time against its extension to 30/06/2025; the eight other "Năm 2024"
    # tasks still overdue (VI.1 under way, three handed over to Sở Nội vụ and the communes);
    # VII ongoing.
    assert (totals["done_on_time"], totals["done_late"], totals["in_progress"], totals["overdue"],
            totals["ongoing"], totals["awaiting_acceptance"]) == (2, 3, 2, 8, 1, 1)


@pytest.mark.parametrize("state", ["done_on_time", "done_late", "in_progress", "not_started", "overdue"])
def test_numbers_equal_the_task_list_filter_on_the_same_day(client, province_admin, mixed_plan, monkeypatch,
                                                            state):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: CUTOFF_2024)
    summary = build_summary(province_admin.province, parse_period("2024"), plan=mixed_plan)
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"), {"plan": mixed_plan.pk, "state": state})

    assert response.context["table"].paginator.count == summary["totals"][state]


def test_query_count_does_not_grow_with_tasks(province, plan, lead_agency, django_assert_num_queries):
    def build():
        return build_summary(province, parse_period("2024"), plan=plan)

    for index in range(3):
        AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Quý I năm 2024", status="completed",
                                           completed_on=D(2024, 3, 1 + index)), agency=lead_agency)
        AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Quý I năm 2024"), agency=lead_agency)
    # 12: for a year the previous period is the year before, and its figures are computed once; the
    # overdue and completed lists each read their tasks, then the lead assignments and their agencies.
    with django_assert_num_queries(12):
        build()
    for _index in range(30):
        AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Quý I năm 2024"), agency=lead_agency)
    with django_assert_num_queries(12):
        build()


def test_completed_tasks_carry_their_evidence_and_feedback_is_collected(province, plan, task,
                                                                         lead_focal_point):
    Task.objects.filter(pk=task.pk).update(status="completed", completed_on=D(2024, 5, 2))
    update = TaskUpdate.objects.create(task=task, agency=lead_focal_point.agency, kind=TaskUpdate.Kind.REPORT,
                                       difficulties="Thiếu kinh phí.", proposals="Bổ sung biên chế.")
    Evidence.objects.create(update=update, reference="Quyết định số 123/QĐ-UBND ngày 12/6/2024")
    written = datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC)
    TaskUpdate.objects.filter(pk=update.pk).update(created_at=written)  # within the 2024 window

    summary = build_summary(province, parse_period("2024"), plan=plan)

    assert summary["completed"][0]["evidence"][0]["reference"] == "Quyết định số 123/QĐ-UBND ngày 12/6/2024"
    assert summary["feedback"] == [{"agency": "Sở Nội vụ", "task": "I.1", "plan": "115/KH-UBND",
                                    "difficulties": "Thiếu kinh phí.", "proposals": "Bổ sung biên chế.",
                                    "date": "2024-06-01"}]



def test_feedback_is_taken_by_the_days_of_the_portals_time_zone(province, plan, task, lead_focal_point):
    period = parse_period("2024")
    window = period.window()
    first, last = window.start, as_of(window)

    def at(day, hour, minute):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=HANOI)

    written = {  # the hour after midnight in Hà Nội is the evening before in UTC
        "before the window": at(first - datetime.timedelta(days=1), 23, 50),
        "first hour": at(first, 0, 10),
        "last hour": at(last, 23, 50),
        "after the window": at(last + datetime.timedelta(days=1), 0, 10),
    }
    for words, when in written.items():
        update = TaskUpdate.objects.create(task=task, agency=lead_focal_point.agency,
                                           kind=TaskUpdate.Kind.REPORT, difficulties=words)
        TaskUpdate.objects.filter(pk=update.pk).update(created_at=when)

    summary = build_summary(province, period, plan=plan, comparisons=False)

    assert [row["difficulties"] for row in summary["feedback"]] == ["first hour", "last hour"]

@pytest.fixture
def merged_lead(province):
    """A task of Sở Lao động - Thương binh và Xã hội, merged into Sở Nội vụ on 01/03/2025, and
    one of Sở Nội vụ's own."""
    plan = PlanFactory(province=province, number="10/KH-UBND")
    home = AgencyFactory(province=province, name="Sở Nội vụ")
    labour = AgencyFactory(
        province=province,
        name="Sở Lao động - Thương binh và Xã hội",
        active_until=D(2025, 2, 28),
        successor=home,
    )
    for agency in (home, labour):
        AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Năm 2025"), agency=agency)
    return plan


def test_after_a_merger_the_successor_answers_for_its_tasks_in_the_agency_table(province, merged_lead):
    summary = build_summary(province, parse_period("2025"), plan=merged_lead)

    assert [(row["agency"], row["lead"]) for row in summary["agencies"]] == [("Sở Nội vụ", 2)]


def test_before_a_merger_each_agency_has_its_row(province, merged_lead):
    summary = build_summary(province, parse_period("2024"), plan=merged_lead)

    assert [(row["agency"], row["lead"]) for row in summary["agencies"]] == [
        ("Sở Lao động - Thương binh và Xã hội", 1),
        ("Sở Nội vụ", 1),
    ]


# -- the current period is taken as of today ------------------------------------------------------


def test_before_the_cutoff_figures_are_taken_today(province, plan, lead_agency):
    task = TaskFactory(plan=plan, deadline_text="10/12/2026")
    AssignmentFactory(task=task, agency=lead_agency)

    summary = build_summary(province, parse_period("2026"), plan=plan, today=D(2026, 12, 2))

    assert summary["period"]["as_of"] == "2026-12-02"
    assert (summary["totals"]["overdue"], summary["totals"]["not_started"]) == (0, 1)


def test_days_overdue_count_to_the_day_the_figures_are_taken(province, plan, lead_agency):
    task = TaskFactory(plan=plan, deadline_text="20/11/2026")
    AssignmentFactory(task=task, agency=lead_agency)

    summary = build_summary(province, parse_period("2026"), plan=plan, today=D(2026, 12, 2))

    assert [row["days_overdue"] for row in summary["overdue"]] == [12]


def test_after_the_cutoff_figures_stay_those_of_the_cutoff(province, plan, lead_agency):
    summary = build_summary(province, parse_period("2024"), plan=plan, today=D(2026, 12, 2))

    assert summary["period"]["as_of"] == summary["period"]["cutoff"] == "2024-12-14"
