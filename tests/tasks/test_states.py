"""Where tasks stand on a day, computed in SQL (tasks.states through TaskQuerySet.with_state)."""

import datetime

import pytest

from plans.demo import load_demo
from tasks.models import Occurrence, Task
from tasks.states import ProgressState, state_counts
from tests.factories import TaskFactory, change_periods

pytestmark = pytest.mark.django_db

DUE = datetime.date(2024, 12, 31)


def _state(task, on):
    return Task.objects.with_state(on).get(pk=task.pk).state


def test_task_due_today_is_still_within_its_deadline(plan):
    task = TaskFactory(plan=plan, deadline_text="Năm 2024")

    assert _state(task, on=DUE) == ProgressState.NOT_STARTED


def test_open_task_is_overdue_the_day_after_its_due_date(plan):
    task = TaskFactory(plan=plan, deadline_text="Năm 2024", status="in_progress")

    assert _state(task, on=DUE + datetime.timedelta(days=1)) == ProgressState.OVERDUE


def test_task_completed_on_its_due_day_is_on_time(plan):
    task = TaskFactory(plan=plan, deadline_text="Năm 2024", status="completed", completed_on=DUE)

    assert _state(task, on=datetime.date(2025, 6, 1)) == ProgressState.DONE_ON_TIME


def test_task_completed_a_day_late_is_late(plan):
    late = DUE + datetime.timedelta(days=1)
    task = TaskFactory(plan=plan, deadline_text="Năm 2024", status="completed", completed_on=late)

    assert _state(task, on=datetime.date(2025, 6, 1)) == ProgressState.DONE_LATE


def test_extended_due_date_judges_a_late_completion_on_time(plan):
    task = TaskFactory(
        plan=plan,
        deadline_text="Năm 2024",
        due_override=datetime.date(2025, 3, 31),
        status="completed",
        completed_on=datetime.date(2025, 2, 1),
    )

    assert _state(task, on=datetime.date(2025, 6, 1)) == ProgressState.DONE_ON_TIME


def test_task_completed_later_was_overdue_on_an_earlier_day(plan):
    task = TaskFactory(
        plan=plan, deadline_text="Năm 2024", status="completed", completed_on=datetime.date(2025, 2, 1)
    )

    assert _state(task, on=datetime.date(2025, 1, 15)) == ProgressState.OVERDUE


def test_awaiting_acceptance_is_not_completed(plan):
    task = TaskFactory(plan=plan, deadline_text="Năm 2024", status="awaiting_acceptance")

    assert _state(task, on=datetime.date(2025, 1, 2)) == ProgressState.OVERDUE


def test_work_reported_complete_in_time_is_not_overdue_while_awaiting_acceptance(plan):
    task = TaskFactory(
        plan=plan,
        deadline_text="Năm 2024",
        status="awaiting_acceptance",
        completed_on=datetime.date(2024, 12, 20),
    )

    assert _state(task, on=datetime.date(2025, 6, 1)) == ProgressState.IN_PROGRESS


def test_work_reported_complete_late_is_overdue_while_awaiting_acceptance(plan):
    task = TaskFactory(
        plan=plan,
        deadline_text="Năm 2024",
        status="awaiting_acceptance",
        completed_on=datetime.date(2025, 1, 5),
    )

    assert _state(task, on=datetime.date(2025, 6, 1)) == ProgressState.OVERDUE


def test_ongoing_task_is_counted_apart(plan):
    task = TaskFactory(plan=plan, deadline_text="Thường xuyên")

    assert _state(task, on=DUE) == ProgressState.ONGOING


def test_unscheduled_and_unreadable_deadlines_have_no_due_date(plan):
    unscheduled = TaskFactory(plan=plan, deadline_text="Theo lộ trình của Văn phòng Chính phủ")
    unreadable = TaskFactory(plan=plan, deadline_text="Sớm nhất có thể")

    assert _state(unscheduled, on=DUE) == ProgressState.UNSCHEDULED
    assert _state(unreadable, on=DUE) == ProgressState.UNSCHEDULED


def test_recurring_task_is_judged_by_its_first_open_occurrence(plan):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    change_periods(Occurrence.objects.filter(task=task, due=datetime.date(2024, 6, 30)),
                   status="completed", completed_on=datetime.date(2024, 6, 28))

    annotated = Task.objects.with_state(datetime.date(2024, 8, 1)).get(pk=task.pk)

    assert annotated.due_on == datetime.date(2024, 9, 30)
    assert annotated.state == ProgressState.NOT_STARTED


@pytest.mark.parametrize(
    ("days_after_due", "band"), [(30, ""), (31, "over_30"), (61, "over_60"), (121, "over_120")]
)
def test_overdue_band_counts_whole_days(plan, days_after_due, band):
    task = TaskFactory(plan=plan, deadline_text="Năm 2024")
    on = DUE + datetime.timedelta(days=days_after_due)

    assert Task.objects.with_state(on).get(pk=task.pk).overdue_band == band


def test_due_within_lists_open_tasks_due_in_the_window(plan):
    soon = TaskFactory(plan=plan, deadline_text="trước ngày 10/12/2024")
    TaskFactory(plan=plan, deadline_text="trước ngày 20/12/2024")

    assert list(Task.objects.due_within(7, on=datetime.date(2024, 12, 5))) == [soon]


def test_completion_rate_is_over_tasks_that_have_come_due(plan):
    TaskFactory(plan=plan, deadline_text="Năm 2024", status="completed", completed_on=DUE)
    TaskFactory(plan=plan, deadline_text="Năm 2024")
    TaskFactory(plan=plan, deadline_text="Năm 2025", status="completed", completed_on=DUE)
    TaskFactory(plan=plan, deadline_text="Thường xuyên")
    on = datetime.date(2025, 1, 10)

    counts = state_counts(Task.objects.filter(plan=plan).with_state(on), on)

    assert counts["come_due"] == 2
    assert counts["completion_rate"] == 50.0
    assert counts["done_on_time"] == 2
    assert counts["overdue"] == 1
    assert counts["ongoing"] == 1


def test_plan_115_as_of_end_of_2024_matches_a_hand_count():
    # By hand, from the appendix and the demo's history (plans/demo_history.py): I.1 accepted on
    # time; IV.2 "Hằng Quý" and V.2 "Hằng năm" had their 2024 periods completed (June's late), so
    # their current period, December's, is done on time; II.1 and V.1 (done in 2025), III.1
    # (extended to 30/06/2025, done then), VI.1 (started) and IV.1 "Quý I hàng năm" (due 31/03/2025,
    # done then) are under way; the other seven "Năm 2024" tasks fall due on 31/12/2024 itself, not
    # started but within their deadline; VII "Thường xuyên" is ongoing. Come due: all but IV.1,
    # III.1 and VII.
    load_demo()
    on = datetime.date(2024, 12, 31)
    tasks = Task.objects.filter(plan__number="115/KH-UBND").with_state(on)

    counts = state_counts(tasks, on)

    assert (counts["total"], counts["done_on_time"], counts["in_progress"], counts["not_started"],
            counts["overdue"], counts["ongoing"]) == (16, 3, 5, 7, 0, 1)
    assert sorted(tasks.filter(state=ProgressState.DONE_ON_TIME).values_list("code", flat=True)) == [
        "I.1", "IV.2", "V.2"]
    assert (counts["come_due"], counts["completion_rate"]) == (13, 23.1)


# -- recurring tasks are judged by their periods ------------------------------------------------

D = datetime.date


@pytest.fixture
def quarterly(plan):
    """A "Hằng quý" task of a plan dated 08/04/2024: periods due 30/06/2024 … 31/12/2025."""
    return TaskFactory(plan=plan, deadline_text="Hằng quý")


def _period(task, due, **fields):
    change_periods(Occurrence.objects.filter(task=task, due=due), **fields)


def _judged(task, on):
    return Task.objects.with_state(on).get(pk=task.pk)


def test_a_period_completed_on_time_never_makes_its_task_overdue(quarterly):
    _period(quarterly, D(2024, 6, 30), status="completed", completed_on=D(2024, 6, 28))

    judged = _judged(quarterly, on=D(2024, 7, 15))

    assert (judged.state, judged.due_on) == (ProgressState.NOT_STARTED, D(2024, 9, 30))


def test_a_period_in_progress_shows_its_task_in_progress(quarterly):
    _period(quarterly, D(2024, 6, 30), status="completed", completed_on=D(2024, 6, 30))
    _period(quarterly, D(2024, 9, 30), status="in_progress", progress=40)

    assert _judged(quarterly, on=D(2024, 8, 1)).state == ProgressState.IN_PROGRESS


def test_every_period_completed_on_time_leaves_the_task_done_after_the_horizon(quarterly):
    for due in quarterly.occurrences.values_list("due", flat=True):
        _period(quarterly, due, status="completed", completed_on=due)

    judged = _judged(quarterly, on=D(2027, 9, 1))

    assert (judged.state, judged.overdue_periods) == (ProgressState.DONE_ON_TIME, 0)


def test_periods_left_open_make_the_task_overdue_from_the_earliest(quarterly):
    _period(quarterly, D(2024, 9, 30), status="completed", completed_on=D(2024, 9, 30))

    judged = _judged(quarterly, on=D(2025, 2, 1))  # June and December 2024 still open

    assert (judged.state, judged.overdue_periods, judged.due_on) == (ProgressState.OVERDUE, 2, D(2024, 6, 30))
    assert judged.days_overdue == 216


def test_a_period_awaiting_acceptance_is_counted_apart(quarterly):
    _period(quarterly, D(2024, 6, 30), status="awaiting_acceptance", completed_on=D(2024, 6, 25))

    counts = state_counts(Task.objects.filter(pk=quarterly.pk).with_state(D(2024, 7, 2)), D(2024, 7, 2))

    assert (counts["awaiting_acceptance"], counts["overdue"], counts["not_started"]) == (1, 0, 1)


def test_a_plan_may_count_work_awaiting_acceptance_as_completed(plan):
    plan.awaiting_counts_as_done = True
    plan.save()
    task = TaskFactory(plan=plan, status="awaiting_acceptance", completed_on=D(2024, 12, 20))

    assert _judged(task, on=D(2025, 1, 10)).state == ProgressState.DONE_ON_TIME


def test_work_awaiting_acceptance_is_within_its_deadline_by_default(plan):
    task = TaskFactory(plan=plan, status="awaiting_acceptance", completed_on=D(2024, 12, 20))

    judged = _judged(task, on=D(2025, 1, 10))

    assert (judged.state, judged.awaiting) == (ProgressState.IN_PROGRESS, True)
