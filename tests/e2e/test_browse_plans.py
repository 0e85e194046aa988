"""A provincial admin finds plan 115/KH-UBND and every task of its appendix; another province's
admin cannot open it."""

import json

import pytest
from playwright.sync_api import expect

from plans.demo import DEMO_DIR
from plans.models import Plan

pytestmark = pytest.mark.usefixtures("demo")


def test_admin_finds_every_appendix_task_of_115_with_its_agencies(sign_in):
    page = sign_in("dongthap.admin")
    page.goto("/plans/")
    page.get_by_role("link", name="115/KH-UBND").click()

    rows = page.locator("#plan-tasks tbody tr:not(.section-row)")
    golden = json.loads((DEMO_DIR / "appendix" / "dongthap-115-2024.expected.json").read_text())["tasks"]
    expect(rows).to_have_count(len(golden))
    for row, task in zip(rows.all(), golden, strict=True):
        cells = row.locator("td")
        expect(cells.nth(0)).to_have_text(task["code"])
        expect(cells.nth(1)).to_have_text(task["title"])
        for mention in task["lead"]:
            expect(cells.nth(2)).to_contain_text(mention["mention"])
        for mention in task["coordinators"]:
            expect(cells.nth(3)).to_contain_text(mention["mention"])


def test_admin_of_another_province_cannot_open_it(sign_in):
    plan = Plan.objects.get(number="115/KH-UBND")
    page = sign_in("quangnam.admin")

    response = page.goto(f"/plans/{plan.pk}/")

    assert response.status == 404
    page.goto("/plans/")
    expect(page.locator("main")).not_to_contain_text("115/KH-UBND")
