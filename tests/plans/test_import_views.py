"""The appendix import in the portal: permissions, upload, preview, choices, confirmation, progress."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency, AgencyAlias, AgencyKind, Role
from plans.models import AppendixImport, ImportStatus, Plan
from tasks.models import Task, TaskAssignment, TaskUpdate
from tests.factories import AgencyFactory, UserFactory
from tests.plans.import_helpers import (  # noqa: F401
    HEADER,
    bad_files,
    eager_jobs,
    import_counts,
    private_media,
    table_counts,
    xlsx_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

ROWS = [
    HEADER,
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    ["1", "Rà soát quy chế", "Sở Nội vụ", "Sở Tài chính; Văn phòng Chính phủ", "Năm 2024", "Quyết định"],
    ["2", "Tổ chức tập huấn", "Sở Tài chính", "Sở Nội vụ", "Hằng quý", "Báo cáo"],
]


def upload_file(rows=ROWS, name="phu-luc.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows))


@pytest.fixture
def catalogue(province, lead_agency):
    finance = AgencyFactory(province=province, name="Sở Tài chính")
    return {"Sở Nội vụ": lead_agency, "Sở Tài chính": finance}


def post_upload(client, plan=None, file=None, **fields):
    data = {"file": file or upload_file(), **fields}
    if plan is not None:
        data["plan"] = plan.pk
    return client.post(reverse("plans:import_upload"), data)


def previewed(client, admin, plan, rows=ROWS):
    client.force_login(admin)
    response = post_upload(client, plan, upload_file(rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    return AppendixImport.objects.get()


# --- Permissions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.LEADER])
def test_only_provincial_admins_reach_the_upload_form(client, province, role):
    client.force_login(UserFactory(province=province, role=role))

    response = client.get(reverse("plans:import_upload"))

    assert response.status_code == 403


def test_import_of_another_province_is_a_404(client, province_admin, other_admin, plan, catalogue):
    record = previewed(client, province_admin, plan)
    client.force_login(other_admin)

    response = client.get(record.get_absolute_url())

    assert response.status_code == 404


def test_focal_point_of_the_province_gets_403_on_an_import(
    client, province_admin, lead_focal_point, plan, catalogue
):
    record = previewed(client, province_admin, plan)
    client.force_login(lead_focal_point)

    assert client.get(record.get_absolute_url()).status_code == 403
    assert client.post(reverse("plans:import_confirm", args=[record.pk])).status_code == 403
    assert Task.objects.count() == 0


def test_admin_cannot_pick_a_plan_of_another_province(client, other_admin, plan, catalogue):
    client.force_login(other_admin)

    response = post_upload(client, plan)

    assert response.status_code == 200
    assert AppendixImport.objects.count() == 0


def test_upload_form_preselects_the_plan(client, province_admin, plan):
    client.force_login(province_admin)

    response = client.get(reverse("plans:import_upload"), {"plan": plan.pk})

    assert response.context["form"]["plan"].value() == plan.pk


# --- Preview: nothing written -------------------------------------------------------------------------


def test_upload_shows_the_preview_and_writes_only_the_import(client, province_admin, plan, catalogue):
    before = table_counts()

    record = previewed(client, province_admin, plan)
    response = client.get(record.get_absolute_url())

    assert table_counts() == before
    assert record.status == ImportStatus.PREVIEWED and record.file.name.startswith("private/appendix/")
    assert [task["code"] for task in record.preview["tasks"]] == ["I.1", "I.2"]
    assert "Rà soát quy chế" in response.text and "CÔNG TÁC CHỈ ĐẠO" in response.text
    assert "<mark>Văn phòng Chính phủ</mark>" in response.text  # unresolved: to check


def test_preview_counts_what_confirming_does(client, province_admin, plan, catalogue):
    record = previewed(client, province_admin, plan)

    response = client.get(record.get_absolute_url())

    assert response.context["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "deleted": 0, "kept": 0}


def test_preview_ties_issues_to_rows(client, province_admin, plan, catalogue):
    rows = [*ROWS, ["3", "Báo cáo tổng kết", "", "", "", ""]]
    record = previewed(client, province_admin, plan, rows)

    response = client.get(record.get_absolute_url())

    issue = next(issue for issue in record.preview["issues"] if issue["message"] == "Thiếu đơn vị chủ trì.")
    assert issue["row"] == 7
    assert "Thiếu đơn vị chủ trì." in response.text


def test_preview_with_errors_cannot_be_confirmed(client, province_admin, plan, catalogue):
    rows = [*ROWS, ["3", "", "Sở Nội vụ", "", "Năm 2024", ""]]
    record = previewed(client, province_admin, plan, rows)
    before = table_counts()

    page = client.get(record.get_absolute_url())
    response = client.post(reverse("plans:import_confirm", args=[record.pk]), {"choice_0": "text"})

    assert "disabled" in page.text and page.context["has_errors"]
    assert response.status_code == 302
    assert table_counts() == before


@pytest.mark.parametrize("count", [5, 60])
def test_preview_page_query_count_does_not_grow_with_rows(
    client, province_admin, plan, catalogue, count, django_assert_num_queries
):
    rows = [HEADER] + [
        [str(n), f"Nhiệm vụ {n}", "Sở Nội vụ", "Bộ Tư pháp", "Năm 2024", ""] for n in range(count)
    ]
    record = previewed(client, province_admin, plan, rows)

    # session, user, import with its plan and province; agencies for the choices; what confirming does:
    # agency names, saved tasks (none yet); the menu: the user's agency and province; the provinces
    # the admin holds
    with django_assert_num_queries(9):
        client.get(record.get_absolute_url())


# --- Confirm -----------------------------------------------------------------------------------------


def test_confirm_saves_sections_tasks_agencies_and_history(client, province_admin, plan, catalogue):
    record = previewed(client, province_admin, plan)

    response = client.post(reverse("plans:import_confirm", args=[record.pk]), {"choice_0": "text"})

    record.refresh_from_db()
    assert response.status_code == 302 and record.status == ImportStatus.DONE
    tasks = {task.code: task for task in plan.tasks.with_assignments().select_related("section")}
    assert list(tasks) == ["I.1", "I.2"]
    first = tasks["I.1"]
    assert (first.section.code, first.section.title, first.source_row) == ("I", "CÔNG TÁC CHỈ ĐẠO", 5)
    assert (first.deadline_kind, first.deadline_due) == ("period", datetime.date(2024, 12, 31))
    assert [(a.role, a.mention, a.agency) for a in first.assignments.all()] == [
        ("coordinator", "Sở Tài chính", catalogue["Sở Tài chính"]),
        ("coordinator", "Văn phòng Chính phủ", None),
        ("lead", "Sở Nội vụ", catalogue["Sở Nội vụ"]),
    ]
    assert tasks["I.2"].occurrences.count() > 0  # "Hằng quý"
    assert set(TaskUpdate.objects.values_list("kind", "author")) == {("import", province_admin.pk)}
    assert record.result["created"] == 2


def test_result_page_shows_the_counts(client, province_admin, plan, catalogue):
    record = previewed(client, province_admin, plan)
    client.post(reverse("plans:import_confirm", args=[record.pk]), {"choice_0": "text"})

    response = client.get(record.get_absolute_url())

    assert response.status_code == 200
    assert reverse("plans:detail", args=[plan.pk]) in response.text


def test_mapping_a_mention_remembers_it_as_an_alias(client, province_admin, plan, catalogue, province):
    office = AgencyFactory(province=province, name="Văn phòng UBND tỉnh", kind=AgencyKind.PROVINCE_OFFICE)
    record = previewed(client, province_admin, plan)

    client.post(reverse("plans:import_confirm", args=[record.pk]), {"choice_0": str(office.pk)})

    assert TaskAssignment.objects.get(mention="Văn phòng Chính phủ").agency == office
    assert AgencyAlias.objects.filter(agency=office, name="Văn phòng Chính phủ").exists()


def test_creating_an_agency_from_a_mention(client, province_admin, plan, catalogue, province):
    record = previewed(client, province_admin, plan)

    client.post(
        reverse("plans:import_confirm", args=[record.pk]),
        {"choice_0": "create", "kind_0": AgencyKind.CENTRAL},
    )

    agency = Agency.objects.get(name="Văn phòng Chính phủ")
    assert (agency.province, agency.kind) == (province, AgencyKind.CENTRAL)
    assert TaskAssignment.objects.get(mention="Văn phòng Chính phủ").agency == agency


def test_an_agency_of_another_province_is_not_a_valid_choice(
    client, province_admin, plan, catalogue, other_province
):
    foreign = AgencyFactory(province=other_province, name="Văn phòng UBND tỉnh")
    record = previewed(client, province_admin, plan)

    response = client.post(reverse("plans:import_confirm", args=[record.pk]), {"choice_0": str(foreign.pk)})

    assert response.status_code == 400
    assert Task.objects.count() == 0


def test_confirming_twice_saves_once(client, province_admin, plan, catalogue):
    record = previewed(client, province_admin, plan)
    url = reverse("plans:import_confirm", args=[record.pk])

    client.post(url, {"choice_0": "text"})
    client.post(url, {"choice_0": "text"})

    assert Task.objects.count() == 2
    assert TaskUpdate.objects.count() == 2


def test_new_plan_is_created_only_on_confirm(client, province_admin, province, catalogue):
    client.force_login(province_admin)
    post_upload(client, number="7/KH-UBND", title="", issued_on="08/04/2024")
    record = AppendixImport.objects.get()
    assert Plan.objects.count() == 0

    client.post(reverse("plans:import_confirm", args=[record.pk]), {"choice_0": "text"})

    plan = Plan.objects.get()
    assert (plan.number, plan.province, plan.reference_date) == (
        "7/KH-UBND",
        province,
        datetime.date(2024, 4, 8),
    )
    assert plan.title == "(Kèm theo Kế hoạch số 1/KH-UBND)"  # the title rows above the table
    assert plan.tasks.count() == 2


def test_a_new_plan_from_a_file_already_imported_is_flagged(client, province_admin, plan, catalogue):
    client.force_login(province_admin)
    post_upload(client, plan)
    client.post(reverse("plans:import_confirm", args=[AppendixImport.objects.get().pk]), {"choice_0": "text"})

    post_upload(client, number="8/KH-UBND", title="", issued_on="08/04/2024")
    response = client.get(AppendixImport.objects.latest("pk").get_absolute_url())

    assert response.context["same_plan"] == (plan, 2, 2)


def test_a_new_plan_from_a_new_file_is_not_flagged(client, province_admin, province, catalogue):
    client.force_login(province_admin)
    post_upload(client, number="8/KH-UBND", title="", issued_on="08/04/2024")

    response = client.get(AppendixImport.objects.get().get_absolute_url())

    assert response.context["same_plan"] is None


def test_new_plan_number_already_used_is_refused(client, province_admin, plan, catalogue):
    client.force_login(province_admin)

    response = post_upload(client, number=plan.number, title="Kế hoạch")

    assert "already has a plan with this number" in response.text or "đã có kế hoạch" in response.text
    assert AppendixImport.objects.count() == 0


def test_superuser_chooses_the_province_of_a_new_plan(client, province, catalogue):
    client.force_login(UserFactory(is_superuser=True, province=None, agency=None, username="root"))

    refused = post_upload(client, number="8/KH-UBND")
    accepted = post_upload(client, number="8/KH-UBND", province=province.pk)

    assert refused.status_code == 200 and accepted.status_code == 302
    assert AppendixImport.objects.get().province == province


@pytest.mark.parametrize("count", [3, 30])
def test_confirm_query_count_does_not_grow_with_rows(
    client, province_admin, plan, catalogue, count, django_assert_num_queries
):
    deadlines = ["Năm 2024", "Hằng quý"]
    rows = [HEADER, ["I", "CÔNG TÁC CHỈ ĐẠO"]] + [
        [str(n), f"Nhiệm vụ {n}", "Sở Nội vụ", "Sở Tài chính", deadlines[n % 2], ""] for n in range(count)
    ]
    record = previewed(client, province_admin, plan, rows)

    # session, user, import, agencies for the choices, claim; in the transaction (savepoint and
    # release), the import locked (the scan for dead imports skips it), then in the commit's own
    # (savepoint and release): agency names twice, saved tasks, sections (upsert, read, stale ones),
    # tasks, assignments, notifications of the newly assigned (group memberships, focal points),
    # occurrences (tasks, their plans, stale ones, new ones) and their figures kept (today, two
    # quarters, the year), history (new tasks have no indicators to replace), the plan's targets read
    # (none in this file); the import's result; the provinces the admin holds
    with django_assert_num_queries(32):
        client.post(reverse("plans:import_confirm", args=[record.pk]))

    assert plan.tasks.count() == count


# --- Large files: a Celery job and a progress bar ----------------------------------------------------


@pytest.mark.usefixtures("eager_jobs")
def test_large_file_is_read_by_a_job(
    client, province_admin, plan, catalogue, settings, django_capture_on_commit_callbacks
):
    settings.APPENDIX_INLINE_MAX_ROWS = 3
    client.force_login(province_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(client, plan)

    record = AppendixImport.objects.get()
    assert response.url == record.get_absolute_url()
    assert record.status == ImportStatus.PREVIEWED
    assert (record.rows_done, record.rows_total) == (6, 6)
    assert len(record.preview["tasks"]) == 2


def test_large_file_is_read_in_the_request_while_the_broker_is_down(
    client, province_admin, plan, catalogue, settings, broker_down, django_capture_on_commit_callbacks
):
    settings.APPENDIX_INLINE_MAX_ROWS = 3
    client.force_login(province_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(client, plan)

    record = AppendixImport.objects.get()
    assert response.url == record.get_absolute_url()
    assert (record.status, len(record.preview["tasks"])) == (ImportStatus.PREVIEWED, 2)


def large_import(plan, **fields):
    return AppendixImport.objects.create(
        province=plan.province,
        plan=plan,
        reference_date=plan.reference_date,
        original_name="lon.xlsx",
        **fields,
    )


def test_progress_page_polls_a_fragment_that_survives_a_reload(client, province_admin, plan):
    record = large_import(plan, status=ImportStatus.READING, rows_total=20000, rows_done=5000)
    client.force_login(province_admin)

    page = client.get(record.get_absolute_url())
    fragment = client.get(reverse("plans:import_progress", args=[record.pk]))

    assert 'hx-trigger="every 1s"' in page.text and "htmx.min.js" in page.text
    assert fragment.status_code == 200 and 'style="width: 25%"' in fragment.text
    assert "5000" in fragment.text and "20000" in fragment.text


def test_progress_fragment_reloads_the_page_once_the_file_is_read(client, province_admin, plan):
    record = large_import(
        plan, status=ImportStatus.PREVIEWED, preview={"tasks": [], "issues": [], "sections": []}
    )
    client.force_login(province_admin)

    response = client.get(reverse("plans:import_progress", args=[record.pk]))

    assert response.headers["HX-Refresh"] == "true"


@pytest.mark.usefixtures("eager_jobs")
def test_large_bad_file_fails_in_the_job_and_writes_nothing(
    client, province_admin, plan, catalogue, settings, django_capture_on_commit_callbacks
):
    settings.APPENDIX_INLINE_MAX_ROWS = 1
    client.force_login(province_admin)
    before = table_counts()

    with django_capture_on_commit_callbacks(execute=True):
        post_upload(client, plan, SimpleUploadedFile("phu-luc.xlsx", xlsx_bytes([["a", "b"], ["c", "d"]])))
    response = client.get(AppendixImport.objects.get().get_absolute_url())

    record = AppendixImport.objects.get()
    assert record.status == ImportStatus.FAILED and not record.file
    assert "Không tìm thấy dòng tiêu đề" in response.text
    assert table_counts() == before


# --- Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(bad_files()))
def test_bad_file_gets_a_message_and_writes_nothing(client, province_admin, plan, catalogue, case):
    name, content, words = bad_files()[case]
    client.force_login(province_admin)
    before = import_counts()

    response = post_upload(client, plan, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert words in response.text
    assert import_counts() == before


@pytest.mark.parametrize(
    "setting, limit, words",
    [
        ("APPENDIX_MAX_BYTES", 1000, "vượt quá dung lượng cho phép"),
        ("APPENDIX_MAX_ROWS", 5, "quá nhiều dòng"),
    ],
)
def test_file_over_a_limit_is_refused(
    client, province_admin, plan, catalogue, settings, setting, limit, words
):
    setattr(settings, setting, limit)
    client.force_login(province_admin)
    before = import_counts()

    response = post_upload(client, plan)

    assert words in response.text
    assert import_counts() == before


def test_rejected_upload_keeps_what_was_typed(client, province_admin, catalogue):
    client.force_login(province_admin)

    response = post_upload(
        client, file=SimpleUploadedFile("x.txt", b"abc"), number="9/KH-UBND", title="Kế hoạch X"
    )

    assert response.context["form"]["number"].value() == "9/KH-UBND"
    assert "Kế hoạch X" in response.text


def test_plan_pages_link_admins_to_the_import(client, province_admin, lead_focal_point, plan):
    upload = reverse("plans:import_upload")
    client.force_login(province_admin)
    admin_detail = client.get(reverse("plans:detail", args=[plan.pk])).text
    admin_list = client.get(reverse("plans:list")).text
    client.force_login(lead_focal_point)
    focal_detail = client.get(reverse("plans:detail", args=[plan.pk])).text

    assert f"{upload}?plan={plan.pk}" in admin_detail and upload in admin_list
    assert upload not in focal_detail
    assert reverse("plans:export", args=[plan.pk, "xlsx"]) in focal_detail
