"""The leader of Đồng Tháp opens the portal: the province at a glance, this quarter and the last, and
the late-agency panel, its days checked against the tasks' due dates, each row opening the agency's
overdue tasks."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.home import current_quarter
from tasks.models import DeadlineKind, Task, TaskStatus

pytestmark = pytest.mark.usefixtures("demo")


def due_date(task, today):
    """The date a task is late from, read from its own dates: for a recurring task judged by its
    periods, the earliest period still open past its due date (not one reported complete in time)."""
    if task.deadline_kind != DeadlineKind.RECURRING or task.due_override or task.extended_due:
        return task.due
    late = [
        period.judged_due for period in task.occurrences.all()
        if period.judged_due < today and period.status not in (TaskStatus.COMPLETED, TaskStatus.CANCELLED)
        and not (period.status == TaskStatus.AWAITING_ACCEPTANCE and period.completed_on <= period.judged_due)
    ]
    return min(late)


def test_leader_reads_the_late_agency_panel_against_the_due_dates(sign_in):
    today = timezone.localdate()
    page = sign_in("dongthap.lanhdao")

    glances = page.locator("#province-glance .glance")
    expect(glances).to_have_count(2)
    expect(glances.first).to_have_attribute("data-period", current_quarter(today).code)
    expect(glances.nth(1)).to_have_attribute("data-period", current_quarter(today).previous().code)

    rows = page.locator("#late-agencies tr.late-agency")
    expect(rows.first).to_be_visible()
    seen = []
    for row in rows.all():
        row.locator("summary").click()
        expect(row.locator("ul.late-tasks")).to_be_attached()  # loaded when the row opens
        days = []
        for item in row.locator("li.late-task").all():
            task = Task.objects.get(pk=item.get_attribute("data-task-id"))
            due = due_date(task, today)
            days.append((today - due).days)
            expect(item.locator(".days-overdue")).to_have_text(f"quá hạn {days[-1]} ngày")
            expect(item).to_contain_text(f"hạn {due:%d/%m/%Y}")
        expect(row.locator("td.overdue")).to_have_text(str(len(days)))
        expect(row.locator("td.longest")).to_have_text(str(max(days, default=0)))
        expect(row.locator("td.total-days")).to_have_text(str(sum(days)))
        seen.append((len(days), sum(days)))
    assert seen == sorted(seen, reverse=True)  # most overdue first, then most days
    assert seen[0][0] > 0

    office = rows.filter(has_text="Văn phòng UBND tỉnh")  # opened above
    expected = int(office.locator("td.overdue").inner_text())
    office.get_by_role("link", name="Xem trong danh sách nhiệm vụ").click()
    page.wait_for_url(re.compile(r"/tasks/\?agency=\d+&role=lead&state=overdue"))
    listed = page.locator("main table tbody tr")
    expect(listed).to_have_count(expected)
    expect(listed.first).to_contain_text("Quá hạn")
    expect(listed.first).to_contain_text("30/06/2025")
