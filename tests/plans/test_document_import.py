"""Importing a whole plan as published (.docx, .pdf): the command-line contract, the plan's own data,
the choice of task list, and the same in the portal."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.urls import reverse

from plans.demo import DEMO_DIR, _load_province
from plans.models import AppendixImport, ImportStatus, Plan
from tests.factories import UserFactory
from tests.plans.import_helpers import eager_jobs, private_media, run_command  # noqa: F401

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).resolve().parent / "documents"
PROVINCES = {"dongthap": ("dong-thap", "Đồng Tháp"), "quangnam": ("quang-nam", "Quảng Nam"),
             "dongnai": ("dong-nai", "Đồng Nai")}
# file -> (where its tasks are, the golden they equal)
CASES = {
    "dongthap-115-2024.docx": ("appendix", "dongthap-115-2024"),
    "dongthap-115-2024.pdf": ("appendix", "dongthap-115-2024"),
    "quangnam-2024.docx": ("prose", "quangnam-2024"),
    "quangnam-2024.pdf": ("prose", "quangnam-2024"),
    "dongnai-53-2024.docx": ("duties", "dongnai-53-2024"),
    "dongnai-53-2024.pdf": ("duties", "dongnai-53-2024"),
}
REFERENCE_DATES = {"dongthap": "2024-04-08", "quangnam": "2024-06-13", "dongnai": "2024-02-15"}


def province_of(filename):
    slug, name = PROVINCES[filename.split("-")[0]]
    return _load_province(slug, name)


def dry_run(filename, *args):
    province = province_of(filename)
    reference = REFERENCE_DATES[filename.split("-")[0]]
    output = run_command(DOCUMENTS / filename, "--province", province.slug, "--dry-run", "--json",
                         "--reference-date", reference, *args)
    return json.loads(output)


def tasks_as_golden(output):
    for task in output["tasks"]:
        for role in ("lead", "coordinators"):
            for mention in task[role]:
                del mention["suggestions"]
    return output["tasks"]


@pytest.mark.parametrize("filename", sorted(CASES))
def test_whole_document_gives_the_golden_tasks(filename):
    source, golden = CASES[filename]

    output = dry_run(filename)

    expected = json.loads((DEMO_DIR / "appendix" / f"{golden}.expected.json").read_text("utf-8"))
    assert output["source"] == source
    assert tasks_as_golden(output) == expected["tasks"]


def test_the_plan_prints_its_own_data():
    output = dry_run("dongthap-115-2024.pdf")

    plan = output["plan"]
    assert (plan["number"], plan["issued_on"], plan["kind"], plan["issuer"], plan["signer"]) == (
        "115/KH-UBND", "2024-04-08", "Kế hoạch", "UBND tỉnh Đồng Tháp", "Huỳnh Minh Tuấn",
    )
    assert plan["title"].startswith("THỰC HIỆN ĐỀ ÁN “KIỆN TOÀN TỔ CHỨC BỘ MÁY")
    assert plan["legal_basis"][0].startswith("Căn cứ Quyết định số 1690/QĐ-TTg")


def test_a_draft_without_number_and_day_is_warned_about():
    output = dry_run("quangnam-2024.docx")

    assert (output["plan"]["number"], output["plan"]["issued_on"]) == (None, None)
    warnings = [issue["message"] for issue in output["issues"] if issue["row"] is None]
    assert any("chưa có số" in message for message in warnings)
    assert any("ngày ban hành" in message for message in warnings)


def test_every_task_list_found_is_listed():
    output = dry_run("dongthap-115-2024.docx")

    found = [(source["key"], source["tasks"]) for source in output["sources"]]
    assert found == [("appendix-1", 16), ("duties", 9)]
    assert output["sources"][0]["label"].startswith("PHỤ LỤC DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM")


def test_source_option_reads_the_duties_instead_of_the_prose():
    output = dry_run("quangnam-2024.docx", "--source", "duties")

    assert output["source"] == "duties"
    assert output["tasks"][0]["lead"][0]["mention"] == "Sở Thông tin và Truyền thông"


def test_a_source_the_document_does_not_have_is_refused_with_what_it_has():
    with pytest.raises(CommandError, match="không có nhiệm vụ viết trong nội dung; có: bảng phụ lục"):
        dry_run("dongthap-115-2024.docx", "--source", "prose")


def test_an_appendix_number_beyond_those_printed_is_refused():
    with pytest.raises(CommandError, match="chỉ có 1 bảng phụ lục, không có bảng thứ 2"):
        dry_run("dongthap-115-2024.docx", "--appendix", "2")


def test_importing_a_document_creates_the_plan_it_prints():
    province = province_of("dongnai-53-2024.docx")

    run_command(DOCUMENTS / "dongnai-53-2024.docx", "--province", province.slug)

    plan = Plan.objects.get()
    assert (plan.number, plan.issued_on, plan.reference_date, plan.kind) == (
        "53/KH-UBND", datetime.date(2024, 2, 15), datetime.date(2024, 2, 15), "Kế hoạch",
    )
    signed = (plan.issuer, plan.signer, plan.signer_position)
    assert signed == ("UBND tỉnh Đồng Nai", "Võ Tấn Đức", "Q. CHỦ TỊCH")
    assert plan.legal_basis.splitlines()[0].startswith("Nghị quyết số 52-NQ/TW")
    assert plan.tasks.count() == 29


def test_deadlines_are_read_from_the_printed_issue_date():
    output = json.loads(run_command(
        DOCUMENTS / "dongnai-53-2024.docx", "--province", province_of("dongnai-53-2024.docx").slug,
        "--dry-run", "--json",
    ))

    expected = {"text": "Năm 2024", "kind": "period", "due": "2024-12-31", "every": None}
    assert output["tasks"][0]["deadline"] == expected


# --- In the portal ----------------------------------------------------------------------------------


@pytest.fixture
def admin():
    province = province_of("dongthap-115-2024.pdf")
    return UserFactory(province=province, role="province_admin", username="dt.admin")


def upload(client, admin, filename, **fields):
    client.force_login(admin)
    data = (DOCUMENTS / filename).read_bytes()
    response = client.post(
        reverse("plans:import_upload"), {"file": SimpleUploadedFile(filename, data), **fields}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return AppendixImport.objects.get()


@pytest.mark.usefixtures("eager_jobs", "private_media")
def test_a_pdf_is_read_by_the_job_and_previewed_with_the_plan_it_prints(
    client, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = upload(client, admin, "dongthap-115-2024.pdf")

    record.refresh_from_db()
    page = client.get(record.get_absolute_url())
    assert (record.status, record.rows_done, record.rows_total) == (ImportStatus.PREVIEWED, 8, 8)
    assert record.reference_date == datetime.date(2024, 4, 8)
    html = page.content.decode()
    assert 'value="115/KH-UBND"' in html and 'value="Huỳnh Minh Tuấn"' in html
    assert "Căn cứ Quyết định số 1690/QĐ-TTg" in html


@pytest.mark.usefixtures("private_media")
def test_the_admin_switches_to_another_task_list_and_back(client, admin):
    record = upload(client, admin, "dongthap-115-2024.docx")

    client.post(reverse("plans:import_source", args=[record.pk]), {"source": "duties"})
    record.refresh_from_db()
    switched = (record.preview["source"], len(record.preview["tasks"]))
    client.post(reverse("plans:import_source", args=[record.pk]), {"source": "appendix-1"})
    record.refresh_from_db()

    assert switched == ("duties", 9)
    assert (record.preview["source"], len(record.preview["tasks"])) == ("appendix", 16)
    assert record.preview["plan"]["number"] == "115/KH-UBND"


@pytest.mark.usefixtures("private_media")
def test_an_unknown_task_list_changes_nothing(client, admin):
    record = upload(client, admin, "dongthap-115-2024.docx")
    before = record.preview

    response = client.post(
        reverse("plans:import_source", args=[record.pk]), {"source": "prose"}, follow=True
    )

    record.refresh_from_db()
    assert record.preview == before
    assert "Văn bản không có danh sách nhiệm vụ này." in response.content.decode()


@pytest.mark.usefixtures("private_media")
def test_the_plan_form_is_prefilled_and_what_the_admin_corrects_is_saved(client, admin):
    record = upload(client, admin, "dongthap-115-2024.docx")

    response = client.post(reverse("plans:import_confirm", args=[record.pk]), {
        "plan-number": "115/KH-UBND", "plan-title": "Kế hoạch 115", "plan-issued_on": "09/04/2024",
        "plan-issuer": "UBND tỉnh Đồng Tháp", "plan-signer": "Huỳnh Minh Tuấn",
        "plan-signer_position": "PHÓ CHỦ TỊCH",
    })

    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.number, plan.title, plan.issued_on, plan.signer_position) == (
        "115/KH-UBND", "Kế hoạch 115", datetime.date(2024, 4, 9), "PHÓ CHỦ TỊCH",
    )
    assert plan.tasks.count() == 16


@pytest.mark.usefixtures("private_media")
def test_a_plan_number_already_taken_is_refused_in_the_form(client, admin):
    record = upload(client, admin, "dongthap-115-2024.docx")
    Plan.objects.create(province=admin.province, number="115/KH-UBND", title="x", issuer="x",
                        reference_date=datetime.date(2024, 4, 8))

    response = client.post(reverse("plans:import_confirm", args=[record.pk]), {
        "plan-number": "115/KH-UBND", "plan-title": "Kế hoạch 115", "plan-issuer": "UBND tỉnh Đồng Tháp",
    })

    assert response.status_code == 400
    assert Plan.objects.count() == 1


@pytest.mark.usefixtures("private_media")
def test_tasks_read_by_ocr_are_marked_and_doubtful_cells_highlighted(client, admin):
    record = upload(client, admin, "dongthap-115-2024.docx")
    record.preview["from_ocr"] = True
    record.preview["tasks"][0].update(from_ocr=True, doubtful=["lead"])
    record.save()

    html = client.get(record.get_absolute_url()).content.decode()

    assert 'id="ocr-notice"' in html
    assert html.count('class="ocr-doubtful"') == 1
