"""Imports always end: whatever stops one (an error while reading or saving, a job lost with the broker,
a worker or a command killed), it ends failed with a Vietnamese message, its stored file removed and a
way to try again. Imported text loses its invisible characters (and the preview says so); semicolon CSVs
with title rows above the header are read."""

import datetime
import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from plans import jobs
from plans.appendix.delimited import separator
from plans.importing import fail_stale_imports, preview_in_background
from plans.models import AppendixImport, ImportStatus
from tests.factories import AgencyFactory
from tests.plans.hostile_files import corpus
from tests.plans.import_helpers import (  # noqa: F401
    HEADER,
    dong_thap,
    eager_jobs,
    import_counts,
    private_media,
    run_command,
    table_counts,
    xlsx_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

ROWS = [
    HEADER,
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    ["1", "Rà soát quy chế", "Sở Nội vụ", "Sở Tài chính", "Năm 2024", "Quyết định"],
    ["2", "Tổ chức tập huấn", "Sở Tài chính", "Sở Nội vụ", "Hằng quý", "Báo cáo"],
]
UNEXPECTED = "Không đọc được tệp do có lỗi ngoài dự kiến."


@pytest.fixture
def catalogue(province, lead_agency):
    AgencyFactory(province=province, name="Sở Tài chính")


def an_import(plan, status=ImportStatus.UPLOADED, minutes_ago=0, stored=True, **fields):
    """An import of ``plan``, its file stored unless ``stored`` is false, last heard of ``minutes_ago``."""
    record = AppendixImport.objects.create(
        province=plan.province, plan=plan, reference_date=plan.reference_date, original_name="phu-luc.xlsx",
        file=ContentFile(xlsx_bytes(ROWS), name="phu-luc.xlsx") if stored else "", status=status, **fields,
    )
    AppendixImport.objects.filter(pk=record.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    record.refresh_from_db()
    return record


def stored_files():
    media = Path(settings.MEDIA_ROOT)
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


def previewed(client, admin, plan, rows=ROWS):
    client.force_login(admin)
    upload = SimpleUploadedFile("phu-luc.xlsx", xlsx_bytes(rows))
    response = client.post(reverse("plans:import_upload"), {"plan": plan.pk, "file": upload})
    assert response.status_code == 302
    return AppendixImport.objects.get()


def broken(*args, **kwargs):
    raise RuntimeError("a bug")


# --- An error anywhere --------------------------------------------------------------------------------


def test_an_error_while_reading_in_a_job_fails_the_import_and_removes_its_file(plan, monkeypatch):
    record = an_import(plan)
    monkeypatch.setattr("plans.importing.build_import_preview", broken)

    jobs.read_appendix(record.pk)

    record.refresh_from_db()
    assert (record.status, record.error, record.file.name) == (ImportStatus.FAILED, UNEXPECTED, "")
    assert stored_files() == []


def test_an_error_while_reading_in_the_request_is_a_message(client, province_admin, plan, monkeypatch):
    monkeypatch.setattr("plans.import_flow.build_import_preview", broken)
    client.force_login(province_admin)

    upload = SimpleUploadedFile("a.xlsx", xlsx_bytes(ROWS))
    response = client.post(reverse("plans:import_upload"), {"plan": plan.pk, "file": upload})

    assert response.status_code == 200 and UNEXPECTED in response.text
    assert AppendixImport.objects.count() == 0 and stored_files() == []


def test_an_error_while_saving_fails_the_import_and_trying_again_goes_back_to_the_preview(
    client, province_admin, plan, catalogue, monkeypatch
):
    record = previewed(client, province_admin, plan)
    before = table_counts()
    monkeypatch.setattr("plans.import_flow.commit_import", broken)

    failed = client.post(reverse("plans:import_confirm", args=[record.pk]))
    page = client.get(failed.url)

    record.refresh_from_db()
    assert (record.status, record.file.name, len(record.preview["tasks"])) == (ImportStatus.FAILED, "", 2)
    assert "Không lưu được các nhiệm vụ do có lỗi ngoài dự kiến" in page.text
    assert reverse("plans:import_retry", args=[record.pk]) in page.text
    assert table_counts() == before and stored_files() == []

    monkeypatch.undo()
    client.post(reverse("plans:import_retry", args=[record.pk]))
    client.post(reverse("plans:import_confirm", args=[record.pk]))

    record.refresh_from_db()
    assert (record.status, plan.tasks.count()) == (ImportStatus.DONE, 2)


# --- Imports left for dead ----------------------------------------------------------------------------


def test_the_scan_fails_the_imports_left_for_dead_and_removes_their_files(plan):
    lost = an_import(plan, ImportStatus.UPLOADED, minutes_ago=60)
    reading = an_import(plan, ImportStatus.READING, minutes_ago=60)
    saving = an_import(plan, ImportStatus.COMMITTING, minutes_ago=60, preview={"tasks": [{}], "issues": []})
    alive = an_import(plan, ImportStatus.READING, minutes_ago=1)
    waiting = an_import(plan, ImportStatus.PREVIEWED, minutes_ago=60)

    assert fail_stale_imports() == 3

    messages = {
        lost.pk: "Tệp chưa được đọc do tác vụ xử lý nền bị mất. Vui lòng thử lại.",
        reading.pk: "Việc đọc tệp bị dừng giữa chừng do tác vụ xử lý nền bị gián đoạn. Vui lòng thử lại.",
        saving.pk: "Việc lưu các nhiệm vụ bị dừng giữa chừng; chưa có dữ liệu nào được lưu. "
        "Vui lòng thử lại.",
    }
    for pk, message in messages.items():
        record = AppendixImport.objects.get(pk=pk)
        assert (record.status, record.error, record.file.name) == (ImportStatus.FAILED, message, "")
    alive.refresh_from_db()
    waiting.refresh_from_db()
    assert (alive.status, waiting.status) == (ImportStatus.READING, ImportStatus.PREVIEWED)
    assert len(stored_files()) == 2


@pytest.mark.parametrize("minutes, failed", [(30, 1), (120, 0)])
def test_how_long_an_import_may_be_silent_is_a_setting(plan, settings, minutes, failed):
    settings.APPENDIX_IMPORT_STALE_MINUTES = minutes
    an_import(plan, ImportStatus.READING, minutes_ago=60)

    assert fail_stale_imports() == failed


def test_the_scan_runs_every_five_minutes():
    task = PeriodicTask.objects.get(task="plans.jobs.fail_stale_imports")

    assert (task.enabled, task.interval.every, task.interval.period) == (True, 5, "minutes")


def test_the_scan_is_a_job(plan):
    an_import(plan, ImportStatus.UPLOADED, minutes_ago=60)

    assert jobs.fail_stale_imports() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks")
def test_the_scan_leaves_a_commit_in_progress_alone(plan):
    record = an_import(plan, ImportStatus.COMMITTING, minutes_ago=60)
    locked, done = threading.Event(), threading.Event()

    def commit():  # as plans.import_flow.confirm_import holds the import while it saves the tasks
        with transaction.atomic():
            AppendixImport.objects.select_for_update().get(pk=record.pk)
            locked.set()
            done.wait(10)
        connection.close()

    worker = threading.Thread(target=commit)
    worker.start()
    locked.wait(10)
    try:
        assert fail_stale_imports() == 0
    finally:
        done.set()
        worker.join()

    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTING


def test_a_job_finishing_after_the_scan_gave_up_its_import_changes_nothing(plan, monkeypatch):
    record = an_import(plan)

    def slow(*args, **kwargs):  # the scan fails the import while the job is still reading
        AppendixImport.objects.filter(pk=record.pk).update(status=ImportStatus.FAILED, error="given up")
        return {"tasks": [], "issues": [], "reference_date": "2024-04-08"}

    monkeypatch.setattr("plans.importing.build_import_preview", slow)

    preview_in_background(record)

    record.refresh_from_db()
    assert (record.status, record.error, record.preview) == (ImportStatus.FAILED, "given up", {})


def test_the_scan_removes_stored_files_no_import_refers_to(plan):
    kept = an_import(plan, ImportStatus.DONE)
    folder = Path(kept.file.path).parent
    orphan, fresh = folder / "orphan.xlsx", folder / "fresh.xlsx"
    orphan.write_bytes(b"x")
    fresh.write_bytes(b"x")
    hour_ago = (timezone.now() - datetime.timedelta(hours=1)).timestamp()
    os.utime(orphan, (hour_ago, hour_ago))
    os.utime(kept.file.path, (hour_ago, hour_ago))

    fail_stale_imports()

    assert not orphan.exists() and fresh.exists() and default_storage.exists(kept.file.name)


# --- Trying again -------------------------------------------------------------------------------------


def test_trying_again_without_the_file_asks_for_it_with_the_form_filled_in(client, province_admin, plan):
    record = an_import(plan, ImportStatus.FAILED, stored=False)
    client.force_login(province_admin)

    response = client.post(reverse("plans:import_retry", args=[record.pk]))
    form = client.get(response.url).context["form"]

    assert response.url == f"{reverse('plans:import_upload')}?again={record.pk}"
    assert form["plan"].value() == plan.pk


def test_trying_again_a_new_plan_fills_in_its_fields(client, province_admin, province):
    record = AppendixImport.objects.create(
        province=province, reference_date=datetime.date(2024, 4, 8), original_name="a.xlsx", file="",
        status=ImportStatus.FAILED,
        new_plan={
            "number": "9/KH-UBND", "title": "Kế hoạch X", "issued_on": "2024-04-08",
            "reference_date": "2024-04-08", "issuer": "UBND tỉnh Đồng Tháp",
        },
    )
    client.force_login(province_admin)

    form = client.get(f"{reverse('plans:import_upload')}?again={record.pk}").context["form"]

    assert (form["number"].value(), form["title"].value()) == ("9/KH-UBND", "Kế hoạch X")
    assert form["issued_on"].value() == datetime.date(2024, 4, 8)


@pytest.mark.usefixtures("eager_jobs", "catalogue")
def test_trying_again_with_the_file_still_stored_reads_it_again(
    client, province_admin, plan, django_capture_on_commit_callbacks
):
    record = an_import(plan, ImportStatus.FAILED, error="Không xóa được tệp")
    client.force_login(province_admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:import_retry", args=[record.pk]))

    record.refresh_from_db()
    assert (record.status, record.error, len(record.preview["tasks"])) == (ImportStatus.PREVIEWED, "", 2)


def test_only_a_failed_import_is_tried_again(client, province_admin, plan):
    record = an_import(plan, ImportStatus.READING)
    client.force_login(province_admin)

    client.post(reverse("plans:import_retry", args=[record.pk]))

    record.refresh_from_db()
    assert record.status == ImportStatus.READING


def test_trying_again_someone_elses_import_is_refused(client, other_admin, plan):
    record = an_import(plan, ImportStatus.FAILED)
    client.force_login(other_admin)

    assert client.post(reverse("plans:import_retry", args=[record.pk])).status_code == 404


# --- The command --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("dong_thap")
@pytest.mark.parametrize("stop, raised", [("Ctrl-C", KeyboardInterrupt), ("SIGTERM", SystemExit)])
def test_a_command_stopped_while_saving_leaves_neither_tasks_nor_its_file(
    tmp_path, monkeypatch, stop, raised
):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    before = import_counts()
    handler = signal.getsignal(signal.SIGTERM)

    def interrupted(record, *args, **kwargs):
        assert stored_files()  # the file is stored by now
        if stop == "SIGTERM":
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises before the sleep ends
        raise KeyboardInterrupt

    monkeypatch.setattr(AppendixImport, "save", interrupted)

    with pytest.raises(raised):
        run_command(path, "--province", "dong-thap", "--title", "Kế hoạch")

    monkeypatch.undo()
    assert import_counts() == before and stored_files() == []
    assert signal.getsignal(signal.SIGTERM) is handler


@pytest.mark.usefixtures("dong_thap")
def test_a_command_failing_while_saving_says_so_and_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    monkeypatch.setattr("plans.management.commands.import_appendix.commit_import", broken)

    with pytest.raises(CommandError, match="Không lưu được các nhiệm vụ"):
        run_command(path, "--province", "dong-thap", "--title", "Kế hoạch")

    assert AppendixImport.objects.count() == 0 and stored_files() == []


@pytest.mark.usefixtures("dong_thap")
def test_a_command_failing_while_reading_says_so(tmp_path, monkeypatch):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    monkeypatch.setattr("plans.management.commands.import_appendix.build_import_preview", broken)

    with pytest.raises(CommandError, match=UNEXPECTED):
        run_command(path, "--province", "dong-thap", "--dry-run")


# --- Imported text ------------------------------------------------------------------------------------


def test_a_csv_with_a_nul_byte_past_8_kb_is_imported_with_a_note(client, province_admin, plan, catalogue):
    item = corpus()["nul-after-8-KB.csv"]
    client.force_login(province_admin)

    upload = SimpleUploadedFile(item.name, item.data)
    response = client.post(reverse("plans:import_upload"), {"plan": plan.pk, "file": upload})

    preview = AppendixImport.objects.get().preview
    assert response.status_code == 302
    assert [task["title"] for task in preview["tasks"]] == ["Rà soát quy chế", "Tổ chức tập huấn"]
    notes = [issue for issue in preview["issues"] if "NUL" in issue["message"]]
    assert [(note["row"], note["level"]) for note in notes] == [(None, "warning")]
    assert notes[0]["message"].startswith("Đã loại bỏ") and notes[0]["message"].endswith("1 dòng: 7.")


def test_the_note_lists_the_rows_cleaned(client, province_admin, plan, catalogue):
    item = corpus()["hidden-characters.xlsx"]
    client.force_login(province_admin)

    upload = SimpleUploadedFile(item.name, item.data)
    client.post(reverse("plans:import_upload"), {"plan": plan.pk, "file": upload})
    page = client.get(AppendixImport.objects.get().get_absolute_url())

    assert "2 dòng: 5, 6." in page.text


def test_the_file_name_loses_its_invisible_characters(client, province_admin, plan, catalogue):
    client.force_login(province_admin)

    client.post(
        reverse("plans:import_upload"),
        {"plan": plan.pk, "file": SimpleUploadedFile("phu\u202eluc.xlsx", xlsx_bytes(ROWS))},
    )

    assert AppendixImport.objects.get().original_name == "phuluc.xlsx"


SEMICOLON_TITLES = [
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
    "PHỤ LỤC",
    "(Kèm theo Kế hoạch số 115/KH-UBND, ngày 10/4/2024 của UBND tỉnh)",
    "",
]


@pytest.mark.usefixtures("dong_thap")
@pytest.mark.parametrize("padding", ["", ";;;;;"])
def test_a_semicolon_csv_with_title_rows_above_its_header_is_read(tmp_path, padding):
    lines = [title + padding for title in SEMICOLON_TITLES] + [";".join(row) for row in ROWS]
    path = tmp_path / "phu-luc.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    output = json.loads(run_command(path, "--province", "dong-thap", "--dry-run", "--json"))

    assert [task["code"] for task in output["tasks"]] == ["I.1", "I.2"]


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["Tiêu đề, có dấu phẩy", "STT;Nhiệm vụ;Chủ trì", "1;Rà soát, bổ sung;Sở Nội vụ"], ";"),
        (["STT,Nhiệm vụ,Chủ trì", '1,"Rà soát; bổ sung",Sở Nội vụ', "2,Tập huấn,Sở Tư pháp"], ","),
        (["STT\tNhiệm vụ\tChủ trì", "1\tRà soát, bổ sung\tSở Nội vụ"], "\t"),
    ],
)
def test_the_separator_is_the_one_that_splits_the_table_evenly(lines, expected):
    assert separator("\n".join(lines) + "\n") == expected
