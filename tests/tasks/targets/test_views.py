"""The target pages as users meet them: the plan page's targets, a target's page, reporting a value
and reviewing it in the browser's forms, entering a target by hand; bad input answered in Vietnamese,
nothing changed; another province's target not found."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tasks.targets.models import ReportStatus, Target
from tests.factories import TargetFactory, TargetReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(plan, lead_agency):
    return TargetFactory(
        plan=plan,
        reporting_agency=lead_agency,
        value=80,
        code="2",
        name="Tỷ lệ hồ sơ giải quyết trực tuyến",
        level="cấp xã",
    )


def post_report(client, target, **data):
    return client.post(
        reverse("tasks:target_report", args=[target.pk]),
        {"version": target.version, "period": "2026-Q3", "value": "82,5", **data},
    )


def test_the_plan_page_counts_and_lists_its_targets(client, plan, target, leader):
    TargetReportFactory(target=target, value=85)
    TargetFactory(plan=plan, code="3", name="Tỷ lệ người dân có tài khoản định danh", value=90)
    client.force_login(leader)
    with translation.override("vi"):
        page = client.get(plan.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tỷ lệ hồ sơ giải quyết trực tuyến" in page and "≥ 80%" in page
    assert "Đạt: 1 · chưa đạt: 0 · chưa báo cáo: 1" in page


def test_a_focal_point_reports_a_value_with_a_vietnamese_decimal_comma(client, target, lead_focal_point):
    client.force_login(lead_focal_point)
    response = post_report(client, target, note="Số liệu quý III")
    assert response.status_code == 302
    saved = target.reports.get()
    assert (saved.value, saved.period_end.isoformat(), saved.status) == (
        Decimal("82.5"),
        "2026-09-30",
        "awaiting",
    )


def test_a_malformed_value_is_refused_in_vietnamese(client, target, lead_focal_point):
    client.force_login(lead_focal_point)
    response = post_report(client, target, value="tám mươi", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "Nhập một số" in response.content.decode()
    assert not target.reports.exists()


@pytest.mark.parametrize(
    "field, value",
    [("period", "2026-Q9"), ("period", "'; drop"), ("version", "x"), ("version", "99999999999999999999")],
)
def test_malformed_fields_change_nothing_and_never_fail(client, target, lead_focal_point, field, value):
    client.force_login(lead_focal_point)
    assert post_report(client, target, **{field: value}).status_code in (400, 409)
    assert not target.reports.exists()


def test_a_stale_form_answers_409_with_the_current_version(client, target, lead_focal_point):
    client.force_login(lead_focal_point)
    Target.objects.filter(pk=target.pk).update(version=5)
    response = post_report(client, target)
    assert response.status_code == 409
    assert 'name="version" value="5"' in response.content.decode()


def test_another_agency_may_not_report(client, target, coordinator_focal_point):
    client.force_login(coordinator_focal_point)
    assert post_report(client, target).status_code == 403


def test_another_province_does_not_see_the_target(client, target, other_admin):
    client.force_login(other_admin)
    assert client.get(target.get_absolute_url()).status_code == 404
    assert post_report(client, target).status_code == 404


def test_the_admin_returns_then_accepts(client, target, lead_focal_point, province_admin):
    client.force_login(lead_focal_point)
    post_report(client, target)
    waiting = target.reports.get()
    client.force_login(province_admin)
    url = reverse("tasks:target_review", args=[waiting.pk])
    target.refresh_from_db()
    refused = client.post(url, {"version": target.version, "decision": "return", "note": ""})
    assert refused.status_code == 400
    client.post(url, {"version": target.version, "decision": "return", "note": "Thiếu minh chứng"})
    waiting.refresh_from_db()
    assert waiting.status == ReportStatus.RETURNED
    page = client.get(target.get_absolute_url()).content.decode()
    assert "Thiếu minh chứng" in page


def test_the_focal_point_cannot_review(client, target, lead_focal_point):
    waiting = TargetReportFactory(target=target, status="awaiting")
    client.force_login(lead_focal_point)
    response = client.post(
        reverse("tasks:target_review", args=[waiting.pk]), {"version": target.version, "decision": "accept"}
    )
    assert response.status_code == 403


def test_the_admin_enters_a_range_target_by_hand(client, plan, province_admin):
    client.force_login(province_admin)
    data = {
        "code": "5",
        "name": "Dự án chuyển đổi số được triển khai",
        "comparator": "range",
        "value": "3",
        "value_max": "5",
        "unit": "dự án",
        "deadline_text": "Quý IV năm 2026",
    }
    response = client.post(reverse("tasks:target_create", args=[plan.pk]), data)
    assert response.status_code == 302
    target = plan.targets.get(code="5")
    assert (target.value_max, target.due.isoformat(), target.origin) == (Decimal("5"), "2026-12-31", "manual")


def test_a_range_without_its_upper_value_is_refused(client, plan, province_admin):
    client.force_login(province_admin)
    data = {"code": "5", "name": "Dự án", "comparator": "range", "value": "3", "unit": "dự án"}
    response = client.post(reverse("tasks:target_create", args=[plan.pk]), data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert not plan.targets.exists()


def test_a_focal_point_cannot_enter_targets(client, plan, lead_focal_point):
    client.force_login(lead_focal_point)
    assert client.get(reverse("tasks:target_create", args=[plan.pk])).status_code == 403


def test_the_review_queue_lists_values_awaiting_acceptance(client, target, province_admin, other_admin):
    TargetReportFactory(target=target, status="awaiting", value=81)
    client.force_login(province_admin)
    page = client.get(reverse("tasks:review_queue")).content.decode()
    assert target.get_absolute_url() in page and "Tỷ lệ hồ sơ giải quyết trực tuyến" in page
    client.force_login(other_admin)
    assert target.get_absolute_url() not in client.get(reverse("tasks:review_queue")).content.decode()
