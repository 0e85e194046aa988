"""On a 390 × 844 phone every list shows each task, its agency and its state without sideways
scrolling (tables of tasks become cards); the my-tasks cards and home pages fit too."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, User
from plans.models import Plan
from reports.models import Report
from reports.services import new_report
from tasks.models import Task
from tasks.urging import UrgeState, candidates, send, urgeable

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


# --- Every other list of the portal: cards on a phone -----------------------------------------------
# Each case: who looks, the page (a path, or a function making what it shows and giving its path),
# the main list's table. Its rows are cards within the screen, each cell under its column's name.

REPORT_PERIOD = "2025-Q3"


def _agency(name="Sở Nội vụ"):
    return Agency.objects.get(province__slug="dong-thap", name=name)


def _agency_page():
    return _agency().get_absolute_url()


def _report():
    plan = Plan.objects.get(province__slug="dong-thap", number="115/KH-UBND")
    agency = _agency("Sở Khoa học và Công nghệ")
    report = Report.objects.filter(kind="agency", plan=plan, agency=agency, period=REPORT_PERIOD).first()
    if report is None:  # the list and the page show the same report
        report = new_report(kind="agency", plan=plan, agency=agency, period=REPORT_PERIOD,
                            user=User.objects.get(username="dongthap.khcn"))
        report.save()
    return plan, report


def _report_list():
    plan, _report_made = _report()
    return f"/reports/documents/?plan={plan.pk}&period={REPORT_PERIOD}"


def _report_page():
    return _report()[1].get_absolute_url()


def _notice():
    today = timezone.localdate()
    tasks = urgeable(Task.objects.filter(plan__province__slug="dong-thap"), today, UrgeState.OVERDUE)
    lines = candidates(tasks, today, _agency()).lines
    assert lines  # the demo's Sở Nội vụ has overdue work
    admin = User.objects.get(username="dongthap.admin")
    return send(lines, author=admin, province=admin.province, on=today,
                subject="Đôn đốc thực hiện nhiệm vụ quá hạn")


def _notice_list():
    _notice()
    return "/tasks/urge/notices/"


def _notice_page():
    return _notice().get_absolute_url()


def _task_with_periods():
    tasks = Task.objects.filter(plan__province__slug="dong-thap", occurrences__isnull=False)
    task = tasks.order_by("pk").first()
    return task.get_absolute_url()


LISTS = [
    ("dongthap.admin", "/agencies/", "main table.table-cards"),
    ("dongthap.noivu", "/agencies/", "main table.table-cards"),
    ("dongthap.admin", _agency_page, "main table.table-cards"),
    ("dongthap.noivu", "/plans/", "main table.table-cards"),
    ("dongthap.admin", "/plans/", "main table.table-cards"),
    ("dongthap.admin", "/tasks/", "main table.table-cards"),  # with the boxes to urge
    ("dongthap.lanhdao", "/tasks/", "main table.table-cards"),
    ("dongthap.lanhdao", "/reports/ranking/", "main figure table.table-cards"),
    ("dongthap.lanhdao", "/reports/", "main table.table-cards:not(figure table)"),
    ("dongthap.lanhdao", "/", "table.late-agencies"),
    ("dongthap.admin", _report_list, "#reports"),
    ("dongthap.admin", _report_list, "#submissions"),
    ("dongthap.khcn", _report_page, "#appendix"),
    ("dongthap.admin", _notice_list, "#notices"),
    ("dongthap.noivu", _notice_page, "main section table.table-cards"),
    ("dongthap.noivu", _task_with_periods, "#occurrences"),
]


def _check_cards(page, path, table):
    rows = page.locator(f"{table} tbody tr:not(.section-row)")
    expect(rows.first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "scrolls sideways"
    for index in range(min(rows.count(), 3)):
        card = rows.nth(index)
        assert _fits(page, card), f"row {index} wider than the screen"
        cells = card.locator("td[data-label]")
        assert cells.count() >= 1, f"row {index} has no labelled cell"
        shown = 0
        for at in range(cells.count()):
            cell = cells.nth(at)
            if cell.is_visible():
                shown += 1
                assert _fits(page, cell), f"cell {cell.get_attribute('data-label')} wider than the screen"
        assert shown >= 1, f"row {index} shows no cell"
    # on a phone the header row is gone: each visible cell carries its column's name instead
    heads = page.locator(f"{table} thead")
    for index in range(heads.count()):
        expect(heads.nth(index)).to_be_hidden()


def test_every_list_is_cards_that_fit_a_phone(sign_in):
    # One demo for all the pages (loading it takes most of a browser test's time); every page is
    # checked and every failure reported.
    paths, pages, failures = {}, {}, []
    for username, page_of, table in LISTS:
        if page_of not in paths:
            paths[page_of] = page_of() if callable(page_of) else page_of
        path = paths[page_of]
        if username not in pages:
            pages[username] = sign_in(username, **PHONE)
        page = pages[username]
        page.goto(path)
        try:
            _check_cards(page, path, table)
        except AssertionError as error:
            failures.append(f"{username} {path} {table}: {str(error).splitlines()[0]}")
    assert failures == []


def test_the_evidence_input_takes_the_phones_camera_and_files(sign_in):
    from tasks.forms import EVIDENCE_ACCEPT

    led = Task.objects.for_agency(_agency(), role="lead", on=timezone.localdate())
    task = (led.filter(deadline_kind__in=["date", "period"])
            .exclude(status__in=["completed", "awaiting_acceptance", "cancelled"]).order_by("pk").first())
    page = sign_in("dongthap.noivu", **PHONE)
    page.goto(f"/tasks/{task.pk}/report/")

    evidence = page.locator("input[type=file]").first
    expect(evidence).to_be_attached()
    accept = evidence.get_attribute("accept")
    assert accept == EVIDENCE_ACCEPT and "image/" in accept
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
