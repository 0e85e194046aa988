"""The Đồng Tháp admin works through the review queue in a real browser: three reports accepted at
once, and one accepted in place by htmx without the page reloading, under the portal's
Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tasks.models import Occurrence, Task, TaskStatus

pytestmark = pytest.mark.usefixtures("demo")


def _violations(page):
    """Content-Security-Policy violations and script errors the page reports from now on."""
    found = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _record(dom_id):
    kind, pk = dom_id.split("-")
    return (Occurrence if kind == "occurrence" else Task).objects.get(pk=pk)


def _open_queue(page):
    page.goto("/tasks/review/")
    items = page.locator("#review-items article.review-item")
    expect(items.first).to_be_visible()
    return items


def test_the_admin_accepts_three_reports_at_once(sign_in):
    page = sign_in("dongthap.admin")
    violations = _violations(page)
    items = _open_queue(page)
    waiting = int(page.locator("#awaiting-count").inner_text())
    assert waiting >= 3, "the demo keeps three reports awaiting the Đồng Tháp admin"
    chosen = [items.nth(index).get_attribute("id") for index in range(3)]

    for dom_id in chosen:
        page.locator(f"#{dom_id} input.review-select").check()
    page.get_by_role("button", name="Chấp nhận các mục đã chọn").click()

    expect(page.locator("#bulk-result .bulk-count")).to_have_text("Đã chấp nhận 3 mục.")
    for dom_id in chosen:
        expect(page.locator(f"#{dom_id} .outcome")).to_contain_text("Đã chấp nhận — hoàn thành")
    expect(page.locator("#awaiting-count")).to_have_text(str(waiting - 3))
    assert {_record(dom_id).status for dom_id in chosen} == {TaskStatus.COMPLETED}
    assert violations == []


def test_one_report_is_accepted_in_place_without_reloading_the_page(sign_in):
    page = sign_in("dongthap.admin")
    violations = _violations(page)
    items = _open_queue(page)
    first, second = items.nth(0).get_attribute("id"), items.nth(1).get_attribute("id")
    # A mark on this document: a reload, or a plain form's redirect, would lose it.
    page.evaluate("() => { window.reviewQueueNotReloaded = true; }")

    accept = page.locator(f"#{first} button[name=decision][value=accept]")
    expect(accept).to_have_text("Chấp nhận")
    accept.click()

    expect(page.locator(f"#{first} .outcome")).to_contain_text("Đã chấp nhận — hoàn thành")
    assert page.evaluate("() => window.reviewQueueNotReloaded === true")
    expect(page.locator(f"#{second} .review-decision")).to_be_visible()  # the rest left as it was
    assert _record(first).status == TaskStatus.COMPLETED
    assert _record(second).status == TaskStatus.AWAITING_ACCEPTANCE
    assert violations == []
