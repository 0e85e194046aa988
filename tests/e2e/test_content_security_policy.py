"""The Content-Security-Policy blocks nothing the portal's own pages need: a browser that enforces it
reports no violation on the main pages, and what their scripts draw is there."""

import pytest
from playwright.sync_api import expect

from plans.models import Plan

pytestmark = pytest.mark.usefixtures("demo")


def _violations(page):
    """The policy violations the page reports from now on (Chromium logs each to the console)."""
    found = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_an_admins_pages_break_no_rule_of_the_policy(sign_in):
    plan = Plan.objects.get(number="115/KH-UBND")
    page = sign_in("dongthap.admin")
    violations = _violations(page)

    for path in ("/", "/plans/", f"/plans/{plan.pk}/", "/tasks/", "/tasks/review/", "/agencies/",
                 "/reports/", "/reports/ranking/", f"/reports/plans/{plan.pk}/", "/plans/import/",
                 "/agencies/me/", "/admin/"):
        page.goto(path)

    assert violations == []


def test_the_menu_opens_under_the_policy(sign_in):
    page = sign_in("dongthap.noivu")
    violations = _violations(page)
    page.goto("/tasks/mine/")

    page.locator(".navbar .dropdown-toggle").click()
    expect(page.get_by_role("link", name="Cài đặt của tôi")).to_be_visible()

    assert violations == []


def test_charts_are_drawn_under_the_policy(sign_in):
    page = sign_in("dongthap.admin")
    violations = _violations(page)

    page.goto("/reports/")

    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    assert page.evaluate("() => Object.keys(Chart.instances).length") > 0
    assert violations == []
