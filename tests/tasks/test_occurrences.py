import datetime

import pytest

from tasks.deadlines import DeadlineKind as ParsedKind
from tasks.deadlines import Recurrence as ParsedRecurrence
from tasks.models import DeadlineKind, Occurrence, Recurrence, Task
from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_saving_a_task_parses_its_deadline(plan):
    task = TaskFactory(plan=plan, deadline_text="Quý II năm 2025", deadline_kind="unknown", deadline_due=None)

    assert (task.deadline_kind, task.deadline_due) == ("period", datetime.date(2025, 6, 30))


def test_changing_the_deadline_text_parses_it_again(task):
    task = Task.objects.get(pk=task.pk)
    task.deadline_text = "Tháng 12/2025"
    task.save()

    task.refresh_from_db()
    assert task.deadline_due == datetime.date(2025, 12, 31)


def test_quarterly_task_has_one_occurrence_per_quarter_to_the_plan_horizon():
    plan = PlanFactory(reference_date=datetime.date(2024, 4, 8), end_year=2025)

    task = TaskFactory(plan=plan, deadline_text="Hằng quý")

    assert list(task.occurrences.values_list("due", flat=True)) == [
        datetime.date(2024, 6, 30),
        datetime.date(2024, 9, 30),
        datetime.date(2024, 12, 31),
        datetime.date(2025, 3, 31),
        datetime.date(2025, 6, 30),
        datetime.date(2025, 9, 30),
        datetime.date(2025, 12, 31),
    ]


def test_ongoing_task_reports_on_the_plans_cycle():
    plan = PlanFactory(reference_date=datetime.date(2024, 4, 8), end_year=2025)

    task = TaskFactory(plan=plan, deadline_text="Thường xuyên")

    assert list(task.occurrences.values_list("due", "purpose")) == [
        (datetime.date(2024, 11, 30), Occurrence.Purpose.REPORT),
        (datetime.date(2025, 11, 30), Occurrence.Purpose.REPORT),
    ]


def test_changing_a_recurring_deadline_keeps_occurrences_already_worked_on(plan):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    worked = task.occurrences.get(due=datetime.date(2024, 6, 30))
    worked.status = "completed"
    worked.save()

    task.deadline_text = "Năm 2024"
    task.save()

    assert list(task.occurrences.values_list("due", flat=True)) == [datetime.date(2024, 6, 30)]


def test_model_choices_match_the_parser():
    assert {k.value for k in ParsedKind} == set(DeadlineKind.values)
    assert {r.value for r in ParsedRecurrence} == set(Recurrence.values)
