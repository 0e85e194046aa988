"""The period figures kept for today and the overviews' report periods (tasks.judgements): pages read
them instead of judging every recurring task's periods, and they always say what the periods say."""

import datetime

import pytest
from django.utils import timezone

from reports.periods import quarter_of, year_of
from tasks import workflow
from tasks.jobs import keep_judgements
from tasks.judgements import KEPT, keep_current
from tasks.models import DayJudgement, Task, TaskStatus, kept_slot, kept_windows
from tests.factories import AssignmentFactory, TaskFactory, UserFactory, change_periods

pytestmark = pytest.mark.django_db

JUDGED = ("state", "due_on", "done_on", "awaiting", "overdue_periods")


def today():
    return timezone.localdate()


def judged(tasks, on, within=None):
    rows = Task.objects.filter(pk__in=[task.pk for task in tasks]).with_state(on, within=within)
    return {row["pk"]: row for row in rows.values("pk", *JUDGED)}


def computed(tasks, on, within=None):
    """The same figures with nothing kept: worked out from the periods."""
    for model in KEPT.values():
        model.objects.all().delete()
    return judged(tasks, on, within)


def periods_of(task):
    return list(task.occurrences.order_by("due"))


@pytest.fixture
def recurring_work(plan):
    """Recurring and ongoing tasks whose periods are in every state a period can be in."""
    day = today()
    plan.end_year = day.year + 1  # periods past, current and to come
    plan.save()
    quarterly = TaskFactory(plan=plan, deadline_text="Hằng quý")
    yearly = TaskFactory(plan=plan, deadline_text="Hằng năm")
    monthly = TaskFactory(plan=plan, deadline_text="Hằng tháng")
    ongoing = TaskFactory(plan=plan, deadline_text="Thường xuyên")
    first, second, third, *_rest = periods_of(quarterly)
    change_periods([first], status=TaskStatus.COMPLETED, completed_on=first.due)
    change_periods([second], status=TaskStatus.COMPLETED,
                   completed_on=second.due + datetime.timedelta(days=9))
    change_periods([third], status=TaskStatus.AWAITING_ACCEPTANCE, completed_on=third.due)
    *past_years, this_year = [period for period in periods_of(yearly) if period.due.year <= day.year]
    change_periods(past_years, status=TaskStatus.COMPLETED, completed_on=datetime.date(2024, 12, 1))
    change_periods([this_year], status=TaskStatus.AWAITING_ACCEPTANCE, completed_on=day)
    past = [period for period in periods_of(monthly) if period.due < day]
    change_periods(past[:-2], status=TaskStatus.COMPLETED, completed_on=day - datetime.timedelta(days=1))
    change_periods(past[-1:], extended_due=day + datetime.timedelta(days=20))
    change_periods(periods_of(ongoing)[:1], status=TaskStatus.CANCELLED)
    return [quarterly, yearly, monthly, ongoing]


def test_todays_figures_read_back_are_those_worked_out_from_the_periods(recurring_work):
    kept = judged(recurring_work, today())

    assert kept == computed(recurring_work, today())


@pytest.mark.parametrize("slot", ["quarter", "last_quarter", "year"])
def test_a_report_periods_figures_read_back_are_those_worked_out_from_the_periods(recurring_work, slot):
    on, within = kept_windows(today())[slot]

    kept = judged(recurring_work, on, within)

    assert kept == computed(recurring_work, on, within)


def test_every_slot_holds_the_recurring_and_ongoing_tasks_only(plan, recurring_work):
    dated = TaskFactory(plan=plan, deadline_text="Năm 2024")

    for model in KEPT.values():
        assert set(model.objects.values_list("task", flat=True)) == {task.pk for task in recurring_work}
    assert not DayJudgement.objects.filter(task=dated).exists()


def test_pages_read_the_kept_figures_for_their_day(recurring_work):
    task = recurring_work[0]
    DayJudgement.objects.filter(task=task).update(state="done_late")

    assert judged([task], today())[task.pk]["state"] == "done_late"


def test_another_day_is_worked_out_from_the_periods(recurring_work):
    task = recurring_work[0]
    DayJudgement.objects.filter(task=task).update(state="done_late")
    yesterday = today() - datetime.timedelta(days=1)

    assert judged([task], yesterday)[task.pk]["state"] != "done_late"


def test_figures_kept_for_another_day_are_not_read(recurring_work):
    task = recurring_work[0]
    yesterday = today() - datetime.timedelta(days=1)
    DayJudgement.objects.filter(task=task).update(state="done_late", judged_on=yesterday)

    assert judged([task], today())[task.pk]["state"] != "done_late"


def test_a_period_reported_through_the_workflow_is_kept_at_once(plan, lead_agency, recurring_work):
    task = recurring_work[2]
    AssignmentFactory(task=task, agency=lead_agency)
    author = UserFactory(province=plan.province, agency=lead_agency)
    current = next(period for period in periods_of(task) if period.due >= today())

    workflow.report(task, author=author, version=task.version, occurrence=current,
                    status=TaskStatus.AWAITING_ACCEPTANCE, progress=100, completed_on=today())

    assert DayJudgement.objects.get(task=task).awaiting is True
    assert judged([task], today()) == computed([task], today())


def test_changing_whether_the_plan_counts_awaiting_work_as_done_is_kept(plan, recurring_work):
    yearly = recurring_work[1]  # its only open period is reported complete and awaits acceptance
    plan.awaiting_counts_as_done = False
    plan.save()
    assert judged([yearly], today())[yearly.pk]["state"] == "in_progress"

    plan.awaiting_counts_as_done = True
    plan.save()

    assert judged([yearly], today())[yearly.pk]["state"] == "done_on_time"
    assert judged(recurring_work, today()) == computed(recurring_work, today())


def test_a_new_deadline_keeps_the_new_periods_figures(recurring_work):
    task = recurring_work[0]

    task.deadline_text = "Hằng năm"
    task.save()

    assert judged([task], today()) == computed([task], today())


def test_the_nightly_job_moves_every_slot_to_the_new_day(recurring_work):
    yesterday = today() - datetime.timedelta(days=1)
    for model in KEPT.values():
        model.objects.update(judged_on=yesterday, state="done_late")

    keep_judgements(today().isoformat())

    assert set(DayJudgement.objects.values_list("judged_on", flat=True)) == {today()}
    assert judged(recurring_work, today()) == computed(recurring_work, today())


def test_the_nightly_job_leaves_what_a_change_kept_for_the_same_day(recurring_work):
    """Its SELECT may have read the periods before a change that has kept newer figures since."""
    task = recurring_work[0]
    DayJudgement.objects.filter(task=task).update(state="done_late")

    keep_current(today())

    assert DayJudgement.objects.get(task=task).state == "done_late"


def test_the_kept_windows_are_the_current_and_last_quarter_and_the_year():
    day = datetime.date(2026, 12, 5)
    quarter, last, year = quarter_of(day), quarter_of(datetime.date(2026, 9, 1)), year_of(day)

    assert kept_windows(day) == {
        "quarter": (day, (quarter.start, quarter.end)),
        "last_quarter": (datetime.date(2026, 9, 14), (last.start, last.end)),  # its data cut-off
        "year": (day, (year.start, year.end)),
    }


def test_after_the_cutoff_a_window_is_kept_as_of_the_cutoff():
    day = datetime.date(2026, 12, 20)

    assert kept_windows(day)["quarter"][0] == datetime.date(2026, 12, 14)


@pytest.mark.parametrize(("on", "within", "slot"), [
    (datetime.date(2026, 12, 5), None, "day"),
    (datetime.date(2026, 12, 4), None, None),
    (datetime.date(2026, 12, 5), (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)), "quarter"),
    (datetime.date(2026, 9, 14), (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)), "last_quarter"),
    (datetime.date(2026, 9, 30), (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)), None),
    (datetime.date(2026, 12, 5), (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)), "year"),
    (datetime.date(2026, 12, 5), (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)), None),
])
def test_which_kept_figures_serve_a_day_and_period(on, within, slot):
    assert kept_slot(on, within, datetime.date(2026, 12, 5)) == slot
