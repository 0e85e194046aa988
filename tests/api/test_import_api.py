"""An appendix imported through the API: upload → preview (the --dry-run --json shape, with the
mentions to decide) → confirm, by the province's read-write key or a provincial admin; nothing is
saved before the confirmation, nor when it is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.api_keys import Scope
from plans.models import AppendixImport, ImportStatus, Plan
from tasks.models import Task, TaskUpdate
from tests.api.conftest import bearer, issue_key, issue_token, signed_in
from tests.factories import AgencyFactory
from tests.plans.import_helpers import HEADER, eager_jobs, private_media, table_counts, xlsx_bytes  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

ROWS = [
    HEADER,
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    ["1", "Rà soát quy chế", "Sở Nội vụ", "Sở Tài chính", "Năm 2026", "Quyết định"],
    ["2", "Tổ chức tập huấn", "Sở Tài chính", "Ban Quản lý dự án ABC", "Hằng quý", "Báo cáo"],
]


@pytest.fixture
def finance(province, lead_agency):
    return AgencyFactory(province=province, name="Sở Tài chính")


@pytest.fixture
def system(province):
    return bearer(issue_key(province, Scope.READ_WRITE, name="Hệ thống QLVB")[1])


def _upload(client, plan=None, rows=ROWS, name="phu-luc.xlsx", **fields):
    body = {"file": SimpleUploadedFile(name, xlsx_bytes(rows)), **fields}
    if plan is not None:
        body["plan"] = plan.pk
    return client.post("/api/v1/imports/", body, format="multipart")


def test_an_upload_answers_its_preview_in_the_command_lines_shape(system, plan, finance):
    response = _upload(system, plan)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "previewed"
    assert [task["title"] for task in body["preview"]["tasks"]] == ["Rà soát quy chế", "Tổ chức tập huấn"]
    assert set(body["preview"]) >= {"plan", "source", "tasks", "issues"}
    assert body["counts"]["created"] == 2


def test_nothing_is_saved_before_the_confirmation(system, plan, finance):
    before = table_counts()

    _upload(system, plan)

    assert table_counts() == before


def test_the_mentions_to_decide_are_listed_with_what_they_are_saved_as(system, plan, finance):
    mentions = _upload(system, plan).json()["mentions"]

    assert [(m["mention"], m["saved_as"]) for m in mentions] == [("Ban Quản lý dự án ABC", "text")]


def test_the_confirmation_saves_the_tasks_with_the_decisions_named_by_the_key(system, plan, finance):
    record = _upload(system, plan).json()

    response = system.post(f"/api/v1/imports/{record['id']}/confirm/",
                           {"mentions": {"Ban Quản lý dự án ABC": str(finance.pk)}}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    second = Task.objects.get(plan=plan, title="Tổ chức tập huấn")
    assert set(second.assignments.values_list("agency__name", flat=True)) == {"Sở Tài chính"}
    assert set(TaskUpdate.objects.filter(task__plan=plan).values_list("api_client", flat=True)) == {
        "Hệ thống QLVB"
    }


def test_a_new_plan_is_created_with_the_fields_given(system, province, finance):
    record = _upload(system, number="", title="Kế hoạch chuyển đổi số năm 2026").json()

    response = system.post(f"/api/v1/imports/{record['id']}/confirm/",
                           {"plan": {"number": "12/KH-UBND", "issuer": "UBND tỉnh Đồng Tháp"}}, format="json")

    assert response.status_code == 200, response.content
    plan = Plan.objects.get(pk=response.json()["plan"])
    assert (plan.number, plan.title) == ("12/KH-UBND", "Kế hoạch chuyển đổi số năm 2026")
    assert plan.province == province


def test_a_confirmation_sent_twice_saves_once(system, plan, finance):
    record = _upload(system, plan).json()
    system.post(f"/api/v1/imports/{record['id']}/confirm/", {}, format="json")

    again = system.post(f"/api/v1/imports/{record['id']}/confirm/", {}, format="json")

    assert again.status_code == 422
    assert again.json()["detail"].startswith("Lần nhập này không còn chờ xác nhận")
    assert Task.objects.filter(plan=plan).count() == 2


def test_a_file_with_errors_is_previewed_but_not_saved(system, plan, finance):
    rows = [*ROWS, ["3", "", "Sở Nội vụ", "", "Năm 2026", ""]]  # a task with no words
    record = _upload(system, plan, rows=rows).json()
    assert any(issue["level"] == "error" for issue in record["preview"]["issues"])

    response = system.post(f"/api/v1/imports/{record['id']}/confirm/", {}, format="json")

    assert response.status_code == 422
    assert not Task.objects.filter(plan=plan).exists()


def test_an_unknown_agency_choice_is_a_message_naming_the_mention(system, plan, finance):
    record = _upload(system, plan).json()

    response = system.post(f"/api/v1/imports/{record['id']}/confirm/",
                           {"mentions": {"Ban Quản lý dự án ABC": "999999"}}, format="json")

    assert response.status_code == 400
    assert response.json()["mentions"][0].startswith("Ban Quản lý dự án ABC: ")
    assert not Task.objects.filter(plan=plan).exists()


def test_a_file_that_is_no_spreadsheet_is_refused(system, plan):
    body = {"plan": plan.pk, "file": SimpleUploadedFile("phu-luc.xlsx", b"not a workbook")}

    response = system.post("/api/v1/imports/", body, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert not AppendixImport.objects.exists()


def test_a_large_file_is_read_by_the_worker(
    system, plan, finance, settings, eager_jobs, django_capture_on_commit_callbacks  # noqa: F811
):
    settings.APPENDIX_INLINE_MAX_ROWS = 1

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(system, plan)

    assert response.status_code == 202
    record = AppendixImport.objects.get(pk=response.json()["id"])
    assert record.status == ImportStatus.PREVIEWED
    assert system.get(f"/api/v1/imports/{record.pk}/").json()["counts"]["created"] == 2


def test_a_read_only_key_imports_nothing(province, plan):
    response = _upload(bearer(issue_key(province)[1]), plan)

    assert response.status_code == 403
    assert not AppendixImport.objects.exists()


def test_a_focal_point_neither_imports_nor_reads_imports(lead_focal_point, plan):
    client = bearer(issue_token(lead_focal_point, Scope.READ_WRITE)[1])

    assert _upload(client, plan).status_code == 403
    assert client.get("/api/v1/imports/").status_code == 403


def test_another_provinces_admin_does_not_find_the_import(system, plan, finance, other_admin):
    record = _upload(system, plan).json()

    response = signed_in(other_admin).post(f"/api/v1/imports/{record['id']}/confirm/", {}, format="json")

    assert response.status_code == 404
    assert not Task.objects.filter(plan=plan).exists()
