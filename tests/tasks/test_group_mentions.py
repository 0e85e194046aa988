"""An @-mention of a group of agencies ("@Các sở, ban, ngành tỉnh") tells the focal points of the
agencies that answer for the group today, by the portal's one rule (``agencies.models.bound_pairs``):
its members in force, and the agency that carries on the duties of a member merged away; never the
people of a member that has ended."""

import datetime

import pytest
from django.core import mail

from agencies.models import AgencyKind
from tasks import workflow
from tasks.models import Notification, NotificationKind
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

GROUP = "Các sở, ban, ngành tỉnh"


@pytest.fixture(autouse=True)
def jobs_run_here(settings):
    """Celery jobs (the mention e-mails) run in the test, not on a broker."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def departments(province, lead_agency):
    """The group, two members in force (Sở Nội vụ, Sở Y tế), a member merged into Sở Tài chính (not
    itself a member) and a member that ended with no successor; a focal point in each."""
    finance = AgencyFactory(province=province, name="Sở Tài chính")
    health = AgencyFactory(province=province, name="Sở Y tế")
    planning = AgencyFactory(province=province, name="Sở Kế hoạch và Đầu tư",
                             active_until=datetime.date(2025, 2, 28), successor=finance)
    closed = AgencyFactory(province=province, name="Ban Quản lý dự án cũ",
                           active_until=datetime.date(2025, 2, 28))
    group = AgencyFactory(province=province, name=GROUP, kind=AgencyKind.GROUP)
    group.members.set([lead_agency, health, planning, closed])
    people = {
        name: UserFactory(province=province, agency=agency, username=f"dt.{name}", email=f"{name}@example.vn")
        for name, agency in [("noivu", lead_agency), ("yte", health), ("taichinh", finance),
                             ("khdt", planning), ("cu", closed), ("nhom", group)]
    }
    return group, people


def _mention_notices():
    return Notification.objects.filter(kind=NotificationKind.MENTION)


def _told():
    return set(_mention_notices().values_list("recipient__username", flat=True))


def test_a_mentioned_group_tells_the_focal_points_of_its_members_in_force(leader, task, departments):
    comment = workflow.comment(task, author=leader, text=f"Đề nghị @{GROUP} cho ý kiến.")

    assert [mention["name"] for mention in comment.mentions] == [GROUP]
    assert {"dt.noivu", "dt.yte"} <= _told()


def test_the_agency_carrying_on_a_merged_members_duties_is_told(leader, task, departments):
    workflow.comment(task, author=leader, text=f"Đề nghị @{GROUP} cho ý kiến.")

    assert "dt.taichinh" in _told()


def test_people_of_members_that_have_ended_are_not_told(leader, task, departments):
    workflow.comment(task, author=leader, text=f"Đề nghị @{GROUP} cho ý kiến.")

    assert _told() == {"dt.noivu", "dt.yte", "dt.taichinh", "dt.nhom"}


def test_a_member_mentioned_with_its_group_is_told_once(leader, task, departments):
    workflow.comment(task, author=leader, text=f"@{GROUP}, nhất là @Sở Y tế: đề nghị cho ý kiến.")

    recipients = list(_mention_notices().values_list("recipient", flat=True))
    assert len(recipients) == len(set(recipients)) == 4


def test_each_member_focal_point_gets_the_mention_e_mail(
    leader, task, departments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment(task, author=leader, text=f"Đề nghị @{GROUP} cho ý kiến.")

    assert sorted(address for message in mail.outbox for address in message.to) == [
        "nhom@example.vn", "noivu@example.vn", "taichinh@example.vn", "yte@example.vn",
    ]


def test_a_member_writing_is_not_told_of_its_own_mention(task, departments):
    _group, people = departments

    workflow.comment(task, author=people["noivu"], text=f"@{GROUP} phối hợp báo cáo.")

    assert "dt.noivu" not in _told()
