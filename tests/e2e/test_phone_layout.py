"""On a 390 × 844 phone every list shows each task, its agency and its state without sideways
scrolling (tables of tasks become cards); the my-tasks cards and home pages fit too."""

import pytest
from playwright.sync_api import expect

from plans.models import Plan

pytestmark = pytest.mark.usefixtures("demo")

PHONE = {
    "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _plan_page():
    plan = Plan.objects.filter(province__slug="dong-thap").order_by("pk").first()
    return plan.get_absolute_url()


def _fits(page, locator):
    """The element lies within the screen's width."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1


@pytest.mark.parametrize("path", ["/tasks/", "plan", "/tasks/urge/?state=overdue"])
def test_a_table_of_tasks_is_cards_that_fit(sign_in, path):
    page = sign_in("dongthap.admin", **PHONE)
    page.goto(_plan_page() if path == "plan" else path)

    card = page.locator("table.table-cards tbody tr:not(.section-row)").first
    expect(card).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert _fits(page, card)
    labelled = card.locator("td[data-label]")
    assert labelled.count() >= 3
    for index in range(labelled.count()):
        cell = labelled.nth(index)
        if cell.is_visible():
            assert _fits(page, cell), cell.get_attribute("data-label")


@pytest.mark.parametrize(("username", "path"), [("dongthap.admin", "/"), ("dongthap.lanhdao", "/"),
                                                ("dongthap.admin", "/tasks/review/")])
def test_pages_of_every_day_fit(sign_in, username, path):
    page = sign_in(username, **PHONE)
    page.goto(path)

    expect(page.locator("main")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_my_tasks_shows_task_agency_and_state_on_a_phone(sign_in):
    page = sign_in("dongthap.noivu", **PHONE)
    page.goto("/tasks/mine/")

    expect(page.locator("main")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
