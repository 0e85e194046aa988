"""Writes on a task through the API: the pages' permissions, forms and workflow, answered as an API
answers (201 with the history entry, 400 with each field's messages, 403, 404, 409 with the current
version, 422 with the workflow's reason), and named in the history by the token or key used."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from agencies.api_keys import Scope
from agencies.models import Role
from tasks.models import (
    AssignmentRole,
    Evidence,
    ExtensionRequest,
    Notification,
    NotificationKind,
    Task,
    TaskStatus,
    TaskUpdate,
)
from tests.api.conftest import bearer, issue_key, issue_token, signed_in
from tests.factories import AgencyFactory, AssignmentFactory, IndicatorFactory, UserFactory
from tests.tasks.factories import PDF_BYTES

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def focal_point_api(lead_focal_point):
    """The lead agency's focal point calling through a read-write personal token named "e-office"."""
    return bearer(issue_token(lead_focal_point, Scope.READ_WRITE, name="Văn phòng điện tử")[1])


@pytest.fixture
def system_api(province):
    """The province's e-office system, with a read-write API key."""
    return bearer(issue_key(province, Scope.READ_WRITE, name="Hệ thống QLVB")[1])


@pytest.fixture
def coordinator(province, task):
    agency = AgencyFactory(province=province, name="Sở Tài chính")
    AssignmentFactory(task=task, agency=agency, role=AssignmentRole.COORDINATOR, mention=agency.name)
    return UserFactory(province=province, agency=agency, role=Role.FOCAL_POINT)


def _progress(task, **fields):
    return {"version": task.version, "status": "in_progress", "progress": 40, "done": "Đã ban hành kế hoạch",
            **fields}


def _awaiting(task):
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.AWAITING_ACCEPTANCE, progress=100, completed_on=TODAY
    )
    task.refresh_from_db()
    return task


# Reports ------------------------------------------------------------------------------------------


def test_a_focal_point_reports_progress_through_a_token(focal_point_api, task):
    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", _progress(task), format="json")

    assert response.status_code == 201, response.content
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 40)
    assert response.json()["task"]["version"] == task.version


def test_the_history_names_the_token_beside_its_user(focal_point_api, task, lead_focal_point):
    focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", _progress(task), format="json")

    entry = task.updates.get(kind=TaskUpdate.Kind.REPORT)
    assert (entry.author, entry.agency, entry.api_client) == (
        lead_focal_point, lead_focal_point.agency, "Văn phòng điện tử"
    )


def test_a_report_of_complete_work_carries_its_evidence_files_and_references(focal_point_api, task):
    body = {**_progress(task, status="awaiting_acceptance", completed_on=TODAY.isoformat()),
            "references": ["Quyết định số 12/QĐ-UBND ngày 02/12/2026"],
            "evidence": [SimpleUploadedFile("bao-cao.pdf", PDF_BYTES, content_type="application/pdf")]}

    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", body, format="multipart")

    assert response.status_code == 201, response.content
    evidence = Evidence.objects.filter(update__task=task)
    assert sorted((e.reference, e.original_name) for e in evidence) == [
        ("", "bao-cao.pdf"), ("Quyết định số 12/QĐ-UBND ngày 02/12/2026", "")
    ]
    assert sorted(response.json()["entry"]["evidence"]) == sorted(e.pk for e in evidence)


def test_complete_work_is_sent_to_the_provincial_admins(focal_point_api, task, province_admin):
    body = _progress(task, status="awaiting_acceptance", completed_on=TODAY.isoformat())

    focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", body, format="json")

    assert Notification.objects.filter(recipient=province_admin, kind=NotificationKind.SUBMITTED).count() == 1


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_written(focal_point_api, task):
    body = {**_progress(task), "evidence": [SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 program")]}

    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", body, format="multipart")

    assert response.status_code == 400
    assert response.json()["evidence"] == [
        "Nội dung tệp bao-cao.pdf không đúng với định dạng ghi trong tên tệp."
    ]
    assert not task.updates.exists()


def test_complete_work_needs_its_completion_date(focal_point_api, task):
    body = _progress(task, status="awaiting_acceptance")

    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"completed_on": ["Vui lòng nhập ngày hoàn thành."]}


def test_a_report_on_a_version_no_longer_the_tasks_is_a_conflict_with_the_current_version(
    focal_point_api, task
):
    seen = task.version
    Task.objects.filter(pk=task.pk).update(version=seen + 1)

    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", _progress(task, version=seen),
                                    format="json")

    assert response.status_code == 409
    assert response.json()["version"] == seen + 1
    assert response.json()["detail"].startswith("Nhiệm vụ đã được người khác cập nhật")
    assert not task.updates.exists()


def test_a_move_the_workflow_refuses_is_unprocessable_with_its_reason(focal_point_api, task):
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.COMPLETED, completed_on=TODAY)

    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", _progress(task), format="json")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Nhiệm vụ đang ở tình trạng “Hoàn thành” không thể chuyển sang “Đang thực hiện”."
    }


def test_a_malformed_value_is_a_field_message_not_a_server_error(focal_point_api, task):
    response = focal_point_api.post(
        f"/api/v1/tasks/{task.pk}/report/", _progress(task, progress=[1, 2], occurrence={"a": 1}),
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"progress", "occurrence"}


def test_a_body_that_is_not_an_object_is_refused(focal_point_api, task):
    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/report/", [1, 2], format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": ["Hãy gửi một đối tượng JSON."]}


def test_indicator_values_are_read_as_numbers_whatever_the_interface_language(focal_point_api, task):
    indicator = IndicatorFactory(task=task)

    response = focal_point_api.post(
        f"/api/v1/tasks/{task.pk}/report/", {**_progress(task), "indicators": {str(indicator.pk): "1234.5"}},
        format="json",
    )

    assert response.status_code == 201, response.content
    indicator.refresh_from_db()
    assert str(indicator.reported) == "1234.5000"


def test_only_the_lead_agencys_focal_points_report(system_api, task):
    response = system_api.post(f"/api/v1/tasks/{task.pk}/report/", _progress(task), format="json")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Chỉ đầu mối của cơ quan chủ trì")


def test_a_read_only_token_reports_nothing(lead_focal_point, task):
    client = bearer(issue_token(lead_focal_point)[1])

    response = client.post(f"/api/v1/tasks/{task.pk}/report/", _progress(task), format="json")

    assert response.status_code == 403
    assert not task.updates.exists()


def test_another_provinces_task_is_not_found(focal_point_api, other_task):
    response = focal_point_api.post(f"/api/v1/tasks/{other_task.pk}/report/", _progress(other_task),
                                    format="json")

    assert response.status_code == 404


def test_a_session_write_needs_the_csrf_token(lead_focal_point, task):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(lead_focal_point)

    response = client.post(f"/api/v1/tasks/{task.pk}/report/", _progress(task), format="json")

    assert response.status_code == 403
    assert not task.updates.exists()


# Contributions ------------------------------------------------------------------------------------


def test_a_coordinator_contributes_and_the_status_stays(coordinator, task, lead_focal_point):
    client = bearer(issue_token(coordinator, Scope.READ_WRITE)[1])

    response = client.post(f"/api/v1/tasks/{task.pk}/contribute/", {"done": "Đã góp ý"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["entry"]["kind"] == "contribution"
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    told = Notification.objects.filter(recipient=lead_focal_point, kind=NotificationKind.CONTRIBUTION)
    assert told.exists()


def test_the_lead_does_not_contribute_to_its_own_task(focal_point_api, task):
    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/contribute/", {"done": "x"}, format="json")

    assert response.status_code == 403


# Review -------------------------------------------------------------------------------------------


def test_the_provinces_system_accepts_work_in_the_name_of_its_key(system_api, task):
    task = _awaiting(task)

    response = system_api.post(f"/api/v1/tasks/{task.pk}/review/",
                               {"version": task.version, "decision": "accept"}, format="json")

    assert response.status_code == 201, response.content
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    entry = task.updates.get(kind=TaskUpdate.Kind.REVIEW)
    assert (entry.author, entry.api_client) == (None, "Hệ thống QLVB")


def test_the_task_page_shows_who_wrote_through_the_api(system_api, task, province_admin, client):
    task = _awaiting(task)
    system_api.post(f"/api/v1/tasks/{task.pk}/review/", {"version": task.version, "decision": "accept"},
                    format="json")
    client.force_login(province_admin)

    page = client.get(task.get_absolute_url()).content.decode()

    assert "qua API: Hệ thống QLVB" in page


def test_returning_work_needs_a_comment(system_api, task):
    task = _awaiting(task)

    response = system_api.post(f"/api/v1/tasks/{task.pk}/review/",
                               {"version": task.version, "decision": "return"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"note": ["Khi trả lại, vui lòng nêu rõ nội dung cần bổ sung."]}


def test_an_admin_returns_work_through_the_session(province_admin, task):
    task = _awaiting(task)

    response = signed_in(province_admin).post(
        f"/api/v1/tasks/{task.pk}/review/",
        {"version": task.version, "decision": "return", "note": "Bổ sung văn bản"}, format="json",
    )

    assert response.status_code == 201
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED
    assert task.updates.get(kind=TaskUpdate.Kind.REVIEW).api_client == ""


def test_a_read_only_key_reviews_nothing(province, task):
    task = _awaiting(task)

    response = bearer(issue_key(province)[1]).post(
        f"/api/v1/tasks/{task.pk}/review/", {"version": task.version, "decision": "accept"}, format="json"
    )

    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.AWAITING_ACCEPTANCE


def test_another_provinces_key_does_not_find_the_task(other_province, task):
    task = _awaiting(task)

    response = bearer(issue_key(other_province, Scope.READ_WRITE)[1]).post(
        f"/api/v1/tasks/{task.pk}/review/", {"version": task.version, "decision": "accept"}, format="json"
    )

    assert response.status_code == 404


def test_a_focal_point_does_not_review(focal_point_api, task):
    task = _awaiting(task)

    response = focal_point_api.post(f"/api/v1/tasks/{task.pk}/review/",
                                    {"version": task.version, "decision": "accept"}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Chỉ quản trị viên cấp tỉnh")


# Extensions ---------------------------------------------------------------------------------------


def _ask(client, task, days=30):
    return client.post(f"/api/v1/tasks/{task.pk}/extension-request/",
                       {"proposed_due": (task.due + datetime.timedelta(days=days)).isoformat(),
                        "reason": "Chờ kinh phí"}, format="json")


def test_a_focal_point_asks_for_more_time(focal_point_api, task):
    response = _ask(focal_point_api, task)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert ExtensionRequest.objects.filter(task=task, reason="Chờ kinh phí").exists()


def test_a_new_due_date_before_the_current_one_is_refused(focal_point_api, task):
    response = _ask(focal_point_api, task, days=-1)

    assert response.status_code == 422
    assert response.json() == {"detail": "Thời hạn đề nghị phải sau thời hạn hiện tại."}


def test_the_pending_requests_are_listed_for_the_province(focal_point_api, system_api, task):
    _ask(focal_point_api, task)

    listed = system_api.get("/api/v1/extensions/?status=pending").json()["results"]

    assert [row["task"] for row in listed] == [task.pk]


def test_the_system_approves_an_extension_and_the_task_is_judged_against_the_new_date(
    focal_point_api, system_api, task
):
    extension = _ask(focal_point_api, task).json()
    task.refresh_from_db()

    response = system_api.post(f"/api/v1/extensions/{extension['id']}/decide/",
                               {"version": task.version, "decision": "approve"}, format="json")

    assert response.status_code == 201, response.content
    task.refresh_from_db()
    assert task.extended_due.isoformat() == extension["proposed_due"]


def test_a_request_already_decided_is_not_decided_again(focal_point_api, system_api, task):
    extension = _ask(focal_point_api, task).json()
    task.refresh_from_db()
    decide = {"version": task.version, "decision": "reject", "note": "Không đủ căn cứ"}
    system_api.post(f"/api/v1/extensions/{extension['id']}/decide/", decide, format="json")
    task.refresh_from_db()

    again = system_api.post(f"/api/v1/extensions/{extension['id']}/decide/",
                            {**decide, "version": task.version}, format="json")

    assert again.status_code == 422
    assert again.json() == {"detail": "Đề nghị gia hạn này đã được xử lý."}


def test_an_unknown_extension_status_filter_is_a_message(system_api):
    response = system_api.get("/api/v1/extensions/?status=maybe")

    assert response.status_code == 400
    assert "status" in response.json()
