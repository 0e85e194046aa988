"""Sở Nội vụ's focal point writes a comment on a task it answers for and mentions Sở Khoa học và
Công nghệ; that agency's focal point finds the mention among their notifications and opens the
comment; the author withdraws it and its words are gone from the page."""

import pytest
from playwright.sync_api import expect

from agencies.models import Agency
from plans.models import PlanStatus
from tasks.models import Task

pytestmark = pytest.mark.usefixtures("demo")

WORDS = "cần phối hợp cung cấp số liệu chuyển đổi số trước ngày 15/12"


def _task_of_home_affairs():
    agency = Agency.objects.get(province__slug="dong-thap", name="Sở Nội vụ")
    return Task.objects.for_agency(agency).filter(plan__status=PlanStatus.ACTIVE).order_by("pk").first()


def test_a_mention_reaches_the_agency_and_a_withdrawal_hides_the_words(sign_in):
    task = _task_of_home_affairs()
    author = sign_in("dongthap.noivu")
    author.goto(task.get_absolute_url())
    author.fill("#comment-form textarea", f"@Sở Khoa học và Công nghệ {WORDS}")
    author.locator("#comment-form button[type=submit]").click()

    comment = author.locator("#history .comment-text").first
    expect(comment).to_contain_text(WORDS)
    expect(comment.locator("a", has_text="Sở Khoa học và Công nghệ")).to_be_visible()

    mentioned = sign_in("dongthap.khcn")
    mentioned.goto("/tasks/notifications/")
    notice = mentioned.locator("main li, main .list-group-item").filter(
        has_text="Đơn vị được nhắc đến trong một bình luận").first
    expect(notice).to_be_visible()
    mentioned.goto(task.get_absolute_url())
    expect(mentioned.locator("#history")).to_contain_text(WORDS)

    author.reload()
    author.locator("#history").get_by_role("link", name="Thu hồi").first.click()
    author.locator("main form button[type=submit]").click()
    expect(author.locator("#history")).to_contain_text("Bình luận đã được thu hồi")
    expect(author.locator("#history")).not_to_contain_text(WORDS)
