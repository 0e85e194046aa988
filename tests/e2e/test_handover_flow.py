"""The admin of Đồng Tháp finds the task nobody answers for and hands it over to the communes; the
merged Đà Nẵng's admin sees the plan inherited from Quảng Nam."""

import pytest
from playwright.sync_api import expect

from agencies.models import Agency
from plans.models import Plan
from tasks.models import Task

pytestmark = pytest.mark.usefixtures("demo")


def test_the_admin_hands_the_orphaned_task_over_to_the_communes(sign_in):
    page = sign_in("dongthap.admin")
    page.locator("#orphaned-work a").click()
    task = Task.objects.get(plan__number="115/KH-UBND", code="VI.2")
    expect(page.locator("main table")).to_contain_text(task.title[:40])

    districts = Agency.objects.get(province__slug="dong-thap", name="UBND cấp huyện")
    page.goto(f"/agencies/{districts.pk}/")
    page.get_by_role("link", name="Chuyển giao các nhiệm vụ đang thực hiện").click()
    page.get_by_label("Cho các đơn vị").select_option(label="UBND các xã, phường")
    page.get_by_label("Quyết định").fill("Quyết định số 2001/QĐ-UBND ngày 20/11/2026")
    page.get_by_label("Hiệu lực từ ngày").fill("01/12/2026")
    page.get_by_role("button", name="Chuyển giao").click()

    expect(page.locator(".alert-success")).to_contain_text("UBND các xã, phường")
    page.goto(f"/tasks/{task.pk}/")
    expect(page.locator("main")).to_contain_text("UBND cấp huyện → UBND các xã, phường")
    expect(page.locator("#history")).to_contain_text("Quyết định số 2001/QĐ-UBND")


def test_the_merged_city_admin_opens_the_plan_inherited_from_quang_nam(sign_in):
    plan = Plan.objects.get(province__slug="quang-nam")
    page = sign_in("quangnam.admin")

    page.goto(f"/plans/{plan.pk}/")

    expect(page.locator("#inherited")).to_contain_text("Quảng Nam (cũ)")
    expect(page.locator("main table")).to_contain_text("→")
