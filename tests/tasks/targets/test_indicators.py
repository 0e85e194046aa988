"""A task's product indicators: reported with the progress report, kept in the history, corrected by
the admin, and — when the plan says a task is complete only once they are met — checked at acceptance."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tasks import workflow
from tasks.models import TaskStatus
from tests.factories import IndicatorFactory
from tests.tasks.factories import report_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(task):
    return IndicatorFactory(task=task, value=20)


def report_with(client, task, value, status="in_progress"):
    task.refresh_from_db()
    data = {
        "version": task.version,
        "status": status,
        "progress": "40",
        "done": "Đã hỗ trợ",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    if status == "awaiting_acceptance":
        data["completed_on"] = "01/12/2026"
    data.update({f"indicator_{pk}": v for pk, v in value.items()})
    return client.post(reverse("tasks:report", args=[task.pk]), data)


def test_the_report_form_carries_each_indicator(client, task, indicator, lead_focal_point):
    client.force_login(lead_focal_point)
    page = client.get(reverse("tasks:report", args=[task.pk])).content.decode()
    assert f'name="indicator_{indicator.pk}"' in page and "≥ 20 doanh nghiệp" in page


def test_a_reported_value_is_saved_and_kept_in_the_history(client, task, indicator, lead_focal_point):
    client.force_login(lead_focal_point)
    assert report_with(client, task, {indicator.pk: "15"}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.reported == Decimal("15") and indicator.met is False
    entry = task.updates.get(kind="report")
    assert entry.changes["≥ 20 doanh nghiệp doanh nghiệp được hỗ trợ chuyển đổi số"] == ["", "15"]


def test_the_task_page_shows_indicators_and_whether_they_are_met(client, task, indicator, lead_focal_point):
    indicator.reported = Decimal("25")
    indicator.save()
    client.force_login(lead_focal_point)
    page = client.get(task.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "≥ 20 doanh nghiệp" in page and "Đạt" in page


def test_work_with_unmet_indicators_cannot_be_accepted_when_the_plan_requires_them(
    task, indicator, lead_focal_point, province_admin
):
    task.plan.indicators_required = True
    task.plan.save()
    report_complete(task, lead_focal_point)
    task.refresh_from_db()
    with pytest.raises(workflow.WorkflowError, match="20 doanh nghiệp"):
        workflow.review(task, author=province_admin, version=task.version, accept=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.AWAITING_ACCEPTANCE


def test_met_indicators_let_the_work_be_accepted(task, indicator, lead_focal_point, province_admin):
    task.plan.indicators_required = True
    task.plan.save()
    indicator.reported = Decimal("21")
    indicator.save()
    report_complete(task, lead_focal_point)
    task.refresh_from_db()
    workflow.review(task, author=province_admin, version=task.version, accept=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED


def test_without_the_plan_setting_unmet_indicators_do_not_block(
    task, indicator, lead_focal_point, province_admin
):
    report_complete(task, lead_focal_point)
    task.refresh_from_db()
    workflow.review(task, author=province_admin, version=task.version, accept=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED


def test_the_review_page_tells_the_admin_why_acceptance_is_refused(
    client, task, indicator, lead_focal_point, province_admin
):
    task.plan.indicators_required = True
    task.plan.save()
    report_complete(task, lead_focal_point)
    task.refresh_from_db()
    client.force_login(province_admin)
    response = client.post(
        reverse("tasks:review", args=[task.pk]),
        {"version": task.version, "decision": "accept", "note": ""},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code in (200, 400)
    assert "chưa đạt" in response.content.decode()


def test_the_admin_corrects_an_indicator(client, task, indicator, province_admin):
    client.force_login(province_admin)
    prefix = "indicators"
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": indicator.pk,
        f"{prefix}-0-task": task.pk,
        f"{prefix}-0-comparator": ">=",
        f"{prefix}-0-value": "30",
        f"{prefix}-0-unit": "doanh nghiệp",
        f"{prefix}-0-subject": "doanh nghiệp được hỗ trợ",
    }
    response = client.post(reverse("tasks:edit_indicators", args=[task.pk]), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.value == Decimal("30")


def test_a_focal_point_cannot_correct_indicators(client, task, lead_focal_point):
    client.force_login(lead_focal_point)
    assert client.get(reverse("tasks:edit_indicators", args=[task.pk])).status_code == 403
