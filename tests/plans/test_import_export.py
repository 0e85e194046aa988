"""Exporting a plan's tasks as XLSX and CSV: content, formula injection, scope, query count."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


def export(client, plan, fmt):
    return client.get(reverse("plans:export", args=[plan.pk, fmt]))


def content(response):
    """The body of a streamed export, read chunk by chunk as a server sends it."""
    assert response.streaming
    return b"".join(response.streaming_content)


def test_xlsx_export_lists_the_tasks_with_their_agencies(client, leader, task):
    client.force_login(leader)

    response = export(client, task.plan, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
    rows = list(sheet.values)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="115-kh-ubnd-tasks.xlsx"' in response["Content-Disposition"]
    assert rows[1][rows[0].index("code")] == "I.1"
    assert rows[1][rows[0].index("lead")] == "Sở Nội vụ"


def test_csv_export_starts_with_a_bom_for_excel(client, leader, task):
    client.force_login(leader)

    response = export(client, task.plan, "csv")

    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff") and "Sở Nội vụ" in text


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_cells_that_would_run_as_formulas_are_neutralised(client, leader, plan, fmt, start):
    TaskFactory(plan=plan, title=f'{start}HYPERLINK("http://x")', deliverable="Báo cáo")
    client.force_login(leader)

    response = export(client, plan, fmt)

    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        title = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
        assert title.data_type == "s" and title.value == f'\'{start}HYPERLINK("http://x")'
    else:
        assert f"'{start}HYPERLINK" in content(response).decode("utf-8")


def test_export_of_another_province_is_a_404(client, other_admin, plan):
    client.force_login(other_admin)

    assert export(client, plan, "xlsx").status_code == 404


def test_unknown_format_is_a_404(client, leader, plan):
    client.force_login(leader)

    assert export(client, plan, "pdf").status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("count", [3, 60])
def test_export_query_count_does_not_grow_with_tasks(
    client, leader, province, count, fmt, django_assert_num_queries
):
    plan = PlanFactory(province=province)
    for _ in range(count):
        AssignmentFactory(task=TaskFactory(plan=plan))
    client.force_login(leader)

    # session, user, plan, tasks, their assignments
    with django_assert_num_queries(5):
        response = export(client, plan, fmt)
        body = content(response)

    assert response.status_code == 200 and body


def test_csv_export_streams_rows_from_a_database_iterator(client, leader, plan, monkeypatch):
    monkeypatch.setattr("plans.export_views.CHUNK_SIZE", 2)
    tasks = [TaskFactory(plan=plan) for _ in range(5)]
    client.force_login(leader)

    response = export(client, plan, "csv")
    chunks = list(response.streaming_content)

    # one chunk per two tasks read (the BOM and the header go with the first)
    assert len(chunks) == 3
    assert chunks[0].startswith("\ufeff".encode())
    assert all(task.title in b"".join(chunks).decode("utf-8") for task in tasks)
