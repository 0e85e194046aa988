"""The focal point of Sở Nội vụ Đồng Tháp reports a task complete with a PDF; the Đồng Tháp admin
accepts it; concurrent edits and private files, in a real browser."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency
from tasks.models import Evidence, Occurrence, Task, TaskStatus, TaskUpdate
from tasks.states import ProgressState
from tests.tasks.factories import PDF_BYTES

pytestmark = pytest.mark.usefixtures("demo")

COMPLETED_ON = datetime.date(2024, 12, 20)
REFERENCE = "Quyết định số 123/QĐ-UBND ngày 12/6/2024"


def _open_my_report_form(page):
    # The filter form itself is tested in tests/tasks/test_mine.py; here the link a focal point
    # keeps, so the flow does not race htmx's in-place swap of the results.
    page.goto("/tasks/mine/?role=lead")
    page.locator(".task-card a[href$='/report/']").first.click()
    page.wait_for_url(re.compile(r"/tasks/\d+/report/"))
    return Task.objects.get(pk=re.search(r"/tasks/(\d+)/report/", page.url).group(1))


def _fill_report(page, done):
    page.select_option("#id_status", "awaiting_acceptance")
    page.fill("#id_completed_on", COMPLETED_ON.strftime("%d/%m/%Y"))
    page.fill("#id_done", done)
    page.fill("#id_evidence-0-reference", REFERENCE)
    page.set_input_files(
        "#id_evidence-0-file",
        {"name": "quyet-dinh-123.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )


def test_report_with_a_pdf_then_acceptance_shows_the_on_time_judgement(sign_in):
    focal_point = sign_in("dongthap.noivu")
    task = _open_my_report_form(focal_point)
    _fill_report(focal_point, "Đã bố trí nhân sự làm công tác chuyển đổi số")
    focal_point.locator("button[name=submit-report]").click()

    focal_point.wait_for_url(re.compile(rf"/tasks/{task.pk}/$"))
    expect(focal_point.locator("#history")).to_contain_text("quyet-dinh-123.pdf")
    task.refresh_from_db()
    assert task.status == TaskStatus.AWAITING_ACCEPTANCE

    admin = sign_in("dongthap.admin")
    admin.goto(f"/tasks/{task.pk}/")
    with admin.expect_navigation():
        admin.locator("button[name=decision][value=accept]").click()

    state = Task.objects.with_state(timezone.localdate()).get(pk=task.pk).state
    expected = {
        ProgressState.DONE_ON_TIME: "Hoàn thành đúng hạn",
        ProgressState.DONE_LATE: "Hoàn thành quá hạn",
    }
    assert state in expected, state
    expect(admin.locator("#task-state")).to_contain_text(expected[state])


def test_a_second_session_does_not_overwrite_the_first(sign_in):
    first, second = sign_in("dongthap.noivu"), sign_in("dongthap.noivu")
    _open_my_report_form(first)
    _open_my_report_form(second)
    _fill_report(first, "Báo cáo của phiên thứ nhất")
    _fill_report(second, "Báo cáo của phiên thứ hai")

    first.locator("button[name=submit-report]").click()
    first.wait_for_url(re.compile(r"/tasks/\d+/$"))
    second.locator("button[name=submit-report]").click()

    expect(second.locator(".alert-danger")).to_be_visible()
    expect(second.locator("#id_done")).to_have_value("Báo cáo của phiên thứ hai")
    reports = TaskUpdate.objects.filter(kind="report", author__username="dongthap.noivu")
    assert list(reports.values_list("done", flat=True)) == ["Báo cáo của phiên thứ nhất"]


def test_an_uploaded_file_is_not_reachable_when_logged_out(sign_in, browser, live_server):
    focal_point = sign_in("dongthap.noivu")
    _open_my_report_form(focal_point)
    _fill_report(focal_point, "Đã hoàn thành")
    focal_point.locator("button[name=submit-report]").click()
    focal_point.wait_for_url(re.compile(r"/tasks/\d+/$"))
    evidence = Evidence.objects.exclude(file="").latest("pk")  # the demo history holds references only
    with focal_point.expect_download() as download:  # signed in: the file comes
        focal_point.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = ''; "
            "document.body.appendChild(a); a.click(); }",
            evidence.get_absolute_url(),
        )
    assert download.value.path().read_bytes() == PDF_BYTES

    stranger = browser.new_context(base_url=live_server.url).new_page()
    response = stranger.goto(evidence.get_absolute_url())
    assert "/accounts/login/" in stranger.url
    assert PDF_BYTES not in response.body()
    assert stranger.goto(f"/media/{evidence.file.name}").status == 404
    stranger.context.close()


def _led_by(name):
    return Task.objects.for_agency(Agency.objects.get(province__slug="dong-thap", name=name), role="lead")


def test_the_focal_point_cannot_report_on_another_agencys_task(sign_in):
    other = _led_by("Văn phòng UBND tỉnh").exclude(pk__in=_led_by("Sở Nội vụ")).first()
    focal_point = sign_in("dongthap.noivu")

    assert focal_point.goto(f"/tasks/{other.pk}/report/").status == 403


def test_the_admin_of_quang_nam_sees_nothing_of_dong_thap(sign_in):
    task = Task.objects.filter(plan__province__slug="dong-thap").first()
    admin = sign_in("quangnam.admin")

    assert admin.goto(f"/tasks/{task.pk}/").status == 404
    admin.goto("/tasks/")
    expect(admin.locator("main")).not_to_contain_text(task.title[:40])


def test_quick_status_change_from_my_tasks(sign_in):
    focal_point = sign_in("dongthap.noivu")
    focal_point.goto("/tasks/mine/?role=lead")
    card = focal_point.locator(".task-card", has=focal_point.locator("select[name=status]")).first
    card_id = card.get_attribute("id")
    version = int(card.locator("input[name=version]").get_attribute("value"))

    card.locator("select[name=status]").select_option("in_progress")
    card.locator("button[type=submit]").click()

    # The row comes back from the server (swapped by htmx, or in the reloaded page) with the new version.
    expect(focal_point.locator(f"#{card_id} input[name=version]")).to_have_value(str(version + 1))
    expect(focal_point.locator(f"#{card_id} select[name=status]")).to_have_value("in_progress")
    kind, pk = card_id.split("-")
    model = Task if kind == "task" else Occurrence
    assert model.objects.get(pk=pk).status == TaskStatus.IN_PROGRESS
