"""Report downloads stream: the CSV of every task is written as its tasks are read, a chunk at a
time, and the .xlsx is sent from a file; what they hold is the same however it is read."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db

PERIOD = {"period": "2024"}


@pytest.fixture
def tasks(plan, lead_agency):
    """Five tasks in appendix order: three left overdue in 2024, two completed on time."""
    made = []
    for position in range(5):
        done = position >= 3
        task = TaskFactory(plan=plan, code=f"I.{position + 1}", position=position,
                           deadline_text="Quý I năm 2024", status="completed" if done else "not_started",
                           completed_on=datetime.date(2024, 2, 1) if done else None)
        AssignmentFactory(task=task, agency=lead_agency, mention="Sở Nội vụ")
        made.append(task)
    return made


def _csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _csv(client, leader, plan):
    client.force_login(leader)
    return client.get(reverse("reports:plan_export", args=[plan.pk, "csv"]), PERIOD)


EXPECTED = [
    ["115/KH-UBND", "I.1", "Quá hạn"], ["115/KH-UBND", "I.2", "Quá hạn"], ["115/KH-UBND", "I.3", "Quá hạn"],
    ["115/KH-UBND", "I.4", "Hoàn thành đúng hạn"], ["115/KH-UBND", "I.5", "Hoàn thành đúng hạn"],
]


def test_the_csv_of_a_plan_report_streams_every_task_with_its_category(client, leader, plan, tasks):
    response = _csv(client, leader, plan)

    assert response.streaming
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Kế hoạch", "Nhiệm vụ", "Nội dung"]
    assert [[row[0], row[1], row[6]] for row in rows[1:]] == EXPECTED
    assert {row[3] for row in rows[1:]} == {"Sở Nội vụ"}


def test_the_csv_read_two_tasks_at_a_time_holds_the_same_rows(client, leader, plan, tasks, monkeypatch):
    whole = _csv_rows(_csv(client, leader, plan))
    monkeypatch.setattr("reports.summary.TASK_CHUNK", 2)

    assert _csv_rows(_csv(client, leader, plan)) == whole


def test_the_csv_chunks_cost_two_queries_each(client, leader, plan, tasks, monkeypatch,
                                             django_assert_num_queries):
    monkeypatch.setattr("reports.summary.TASK_CHUNK", 2)
    client.force_login(leader)
    client.get(reverse("reports:plan_export", args=[plan.pk, "csv"]), PERIOD)  # session, language

    # session, user, plan, report settings; then per chunk of two tasks: their lead assignments and
    # agencies (3 chunks); the tasks themselves come from one database iterator.
    with django_assert_num_queries(4 + 1 + 3 * 2):
        _csv_rows(client.get(reverse("reports:plan_export", args=[plan.pk, "csv"]), PERIOD))


def test_the_xlsx_is_sent_from_a_file_with_the_overdue_tasks(client, leader, plan, tasks):
    client.force_login(leader)

    response = client.get(reverse("reports:plan_export", args=[plan.pk, "xlsx"]), PERIOD)

    assert response.streaming
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Quá hạn"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G4"  # the header and three rows
    assert [row[:3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        (1, "115/KH-UBND", "I.1"), (2, "115/KH-UBND", "I.2"), (3, "115/KH-UBND", "I.3")]
