"""A target of 115/KH-UBND in a real browser: Sở Khoa học và Công nghệ reports its value for the year
with evidence, the admin returns it with the reason, the agency reports again and the admin accepts;
the plan page then counts the target met."""

import pytest
from playwright.sync_api import expect

from tasks.models import Target
from tasks.targets.models import ReportStatus

pytestmark = pytest.mark.usefixtures("demo")


def _report(page, target, value, note, tmp_path):
    page.goto(f"/tasks/targets/{target.pk}/")
    page.select_option("#id_period", "2026")
    page.fill("#id_value", value)
    page.fill("#id_note", note)
    evidence = tmp_path / "so-lieu.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("#id_file", str(evidence))
    page.get_by_role("button", name="Gửi chờ xác nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Số liệu đã được gửi chờ xác nhận")


def _review(page, target, decision, note=""):
    page.goto(f"/tasks/targets/{target.pk}/")
    waiting = page.locator("#target-reports li", has_text="Chờ xác nhận").first
    if note:
        waiting.locator("textarea[name=note]").fill(note)
    waiting.get_by_role("button", name=decision).click()


def test_a_value_returned_then_reported_again_and_accepted(sign_in, tmp_path):
    target = Target.objects.get(plan__number="115/KH-UBND", code="3")
    agency = sign_in("dongthap.khcn")
    _report(agency, target, "95", "Đã tổng hợp từ các xã", tmp_path)
    admin = sign_in("dongthap.admin")
    _review(admin, target, "Trả lại kèm ý kiến", "Bổ sung số liệu của các phường")
    expect(admin.locator("#target-reports")).to_contain_text("Bổ sung số liệu của các phường")

    _report(agency, target, "100", "Đã bổ sung số liệu của các phường", tmp_path)
    _review(admin, target, "Chấp nhận")
    expect(admin.locator("#target-state")).to_contain_text("Đạt")
    assert list(target.reports.order_by("pk").values_list("status", flat=True)) == [
        ReportStatus.RETURNED, ReportStatus.ACCEPTED,
    ]

    admin.goto("/plans/")
    admin.get_by_role("link", name="115/KH-UBND").first.click()
    expect(admin.locator("#target-counts")).to_contain_text("Đạt: 2")
