"""One set of words for where work stands: the plan page, the task list (its badges and filter), the
my-tasks filter, the charts, the report documents, their .xlsx and .csv all print the labels of
``tasks.states`` (``ProgressState``, ``CATEGORY_LABELS``) and of ``TaskStatus``, never their own."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from reports.charts import category_names
from reports.documents.content import agency_table
from reports.documents.tables import render_csv, render_xlsx
from reports.periods import parse_period
from reports.services import plan_document
from reports.summary import build_summary
from tasks.filters import TaskFilter
from tasks.forms import MyTasksFilterForm
from tasks.models import TaskStatus
from tasks.states import CATEGORY_LABELS, NO_DUE_DATE_LABEL, ProgressState
from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db

COUNT_CARD = re.compile(r'<div class="small text-body-secondary">([^<]+)</div><div class="fs-4')
BADGE = re.compile(r'<span class="badge [^"]*">([^<]+)</span>')


def vi(label):
    with translation.override("vi"):
        return str(label)


SOURCE = [vi(label) for label in CATEGORY_LABELS.values()]
# the words pages printed of their own before: none may come back
STRAYS = ["Chưa triển khai (còn hạn)", "Thường xuyên, chưa có thời hạn", "Chờ xác nhận hoàn thành"]


@pytest.fixture
def work(plan, lead_agency):
    """One task in each state the 2024 report sorts."""
    today = timezone.localdate()
    tasks = {
        "overdue": TaskFactory(plan=plan, code="1"),
        "done_on_time": TaskFactory(plan=plan, code="2", status=TaskStatus.COMPLETED, progress=100,
                                    completed_on=datetime.date(2024, 6, 1)),
        "done_late": TaskFactory(plan=plan, code="3", status=TaskStatus.COMPLETED, progress=100,
                                 completed_on=datetime.date(2025, 1, 20)),
        "in_progress": TaskFactory(plan=plan, code="4", status=TaskStatus.IN_PROGRESS,
                                   due_override=today + datetime.timedelta(days=30)),
        "ongoing": TaskFactory(plan=plan, code="5", deadline_text="Thường xuyên", deadline_kind="ongoing",
                               deadline_due=None),
        "awaiting": TaskFactory(plan=plan, code="6", status=TaskStatus.AWAITING_ACCEPTANCE, progress=100,
                                completed_on=today, due_override=today + datetime.timedelta(days=5)),
    }
    for task in tasks.values():
        AssignmentFactory(task=task, agency=lead_agency)
    return tasks


@pytest.fixture
def summary(province, plan, work):
    return build_summary(province, parse_period("2024"), plan=plan, with_tasks=True)


def test_the_source_has_one_label_a_category():
    assert SOURCE == ["Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
                      "Chưa triển khai, còn hạn", "Quá hạn", "Thường xuyên / chưa có thời hạn"]
    assert vi(NO_DUE_DATE_LABEL) == SOURCE[-1]


def test_the_plan_pages_figures_use_the_source_labels(client, province_admin, plan, work):
    client.force_login(province_admin)

    html = client.get(plan.get_absolute_url()).content.decode()

    assert COUNT_CARD.findall(html) == SOURCE
    badges = set(BADGE.findall(html))
    assert vi(ProgressState.OVERDUE.label) in badges
    assert vi(TaskStatus.AWAITING_ACCEPTANCE.label) in badges


def test_the_task_lists_badges_and_filter_use_the_source_labels(client, province_admin, work):
    client.force_login(province_admin)

    html = client.get(reverse("tasks:list")).content.decode()

    badges = set(BADGE.findall(html))
    for state in ("overdue", "done_on_time", "done_late", "in_progress", "ongoing"):
        assert vi(ProgressState(state).label) in badges
    assert vi(TaskStatus.AWAITING_ACCEPTANCE.label) in badges
    choices = dict(TaskFilter.base_filters["state"].extra["choices"])
    assert {key: vi(label) for key, label in choices.items()} == {
        state.value: vi(state.label) for state in ProgressState
    }


def test_the_my_tasks_filter_and_the_charts_use_the_source_labels():
    choices = {key: vi(label) for key, label in MyTasksFilterForm.STATUS_CHOICES}
    for key in ("overdue", "in_progress", "not_started"):
        assert choices[key] == vi(ProgressState(key).label)
    assert choices["no_due_date"] == vi(NO_DUE_DATE_LABEL)
    assert choices["done"] == vi(TaskStatus.COMPLETED.label)
    assert choices["awaiting_acceptance"] == vi(TaskStatus.AWAITING_ACCEPTANCE.label)
    assert choices["returned"] == vi(TaskStatus.RETURNED.label)
    with translation.override("vi"):
        assert category_names() == dict(zip(CATEGORY_LABELS, SOURCE, strict=True))


def test_the_report_documents_text_and_appendix_use_the_source_labels(summary, plan, province):
    doc = plan_document(summary, plan, province, datetime.date(2024, 12, 31))
    text = " ".join(p for section in doc["sections"] for p in section["paragraphs"])

    for label in SOURCE:
        assert f"{label.lower()}: " in text
    headers, _rows = agency_table(summary)
    assert headers[3:10] == [*SOURCE, vi(TaskStatus.AWAITING_ACCEPTANCE.label)]
    assert doc["appendix"]["headers"] == headers
    for stray in STRAYS:
        assert stray not in str(doc)


def test_the_exports_use_the_source_labels(summary):
    book = load_workbook(io.BytesIO(render_xlsx(summary)))
    assert vi(ProgressState.OVERDUE.label) in book.sheetnames
    totals = [row[0] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)]
    assert totals[1:7] == SOURCE
    by_agency = [cell.value for cell in book["Theo đơn vị"][1]]
    assert by_agency[3:10] == [*SOURCE, vi(TaskStatus.AWAITING_ACCEPTANCE.label)]

    rows = list(csv.reader(io.StringIO(render_csv(summary).decode("utf-8-sig"))))
    categories = {row[6] for row in rows[1:]}
    assert categories and categories <= set(SOURCE)
    for stray in STRAYS:
        assert all(stray not in cell for row in rows for cell in row)
