"""One rule of who answers for a task, walked through every part that asks it.

The oracle is each scenario's own statement of which agency answers today (written by hand from the
facts of the 2025 reorganisation, not from the code): its focal point must be reached by every part,
the other focal point by none; and the agency whose row counts the task in the dashboards and the
ranking (a group keeps its own row; work nobody answers stays in the row of the agency printed).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from agencies.calendar import agency_calendar
from agencies.models import AgencyKind
from reports.periods import parse_period
from reports.services import submissions
from reports.summary import agency_rows, tasks_in_period
from tasks import notifications
from tasks.handover import hand_over
from tasks.mine import agency_work
from tasks.models import AssignmentRole, ReminderLog, Task
from tasks.permissions import can_report
from tasks.reminder_scan import scan
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

MARCH_2025, JULY_2025 = datetime.date(2025, 3, 1), datetime.date(2025, 7, 1)


@dataclass(frozen=True)
class Scenario:
    task: Task
    answering: object  # a focal point of the agency answering today, or None
    other: object  # a focal point of an agency that does not
    row: object  # the agency whose row counts the task


def _focal_point(agency):
    return UserFactory(province=agency.province, agency=agency, email=f"{agency.pk}@example.vn")


def _task(plan, agency, today):
    due = today + datetime.timedelta(days=7)
    task = TaskFactory(plan=plan, deadline_text=f"Trước ngày {due:%d/%m/%Y}")
    AssignmentFactory(task=task, agency=agency, role=AssignmentRole.LEAD, position=0)
    return task


def successor(province, plan, today):
    """Sở TT&TT merged into Sở KH&CN on 1 March 2025: Sở KH&CN answers, nobody left at Sở TT&TT."""
    science = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    ict = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông",
                        active_until=MARCH_2025 - datetime.timedelta(days=1), successor=science)
    return Scenario(_task(plan, ict, today), _focal_point(science), _focal_point(ict), science)


def group_member(province, plan, today):
    """"Các sở, ban, ngành" leads: each member department answers, an agency outside it does not."""
    home = AgencyFactory(province=province, name="Sở Nội vụ")
    group = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    group.members.add(home)
    outside = AgencyFactory(province=province, name="Công an tỉnh", kind=AgencyKind.POLICE)
    return Scenario(_task(plan, group, today), _focal_point(home), _focal_point(outside), group)


def handed_over(province, plan, today):
    """Dissolved district People's Committees' task handed to Sở Tư pháp from 1 July 2025."""
    districts = AgencyFactory(province=province, name="UBND cấp huyện", kind=AgencyKind.GROUP,
                              active_until=JULY_2025 - datetime.timedelta(days=1))
    justice = AgencyFactory(province=province, name="Sở Tư pháp")
    other = AgencyFactory(province=province, name="Sở Y tế")
    task = _task(plan, districts, today)
    hand_over(Task.objects.filter(pk=task.pk), from_agency=districts, to_agencies=[justice],
              role=AssignmentRole.LEAD, decision="Quyết định số 1/QĐ-UBND", effective_on=JULY_2025)
    return Scenario(task, _focal_point(justice), _focal_point(other), justice)


def orphaned(province, plan, today):
    """A district dissolved with no hand-over: nobody answers; its former focal point is not reached."""
    district = AgencyFactory(province=province, name="UBND huyện Tân Hồng", kind=AgencyKind.DISTRICT,
                             active_until=JULY_2025 - datetime.timedelta(days=1))
    return Scenario(_task(plan, district, today), None, _focal_point(district), district)


SCENARIOS = [successor, group_member, handed_over, orphaned]
ANSWERED = [successor, group_member, handed_over]


def _can_report(task, user, today):
    return can_report(user, Task.objects.select_related("plan").with_roles_of(user).get(pk=task.pk))


def _my_tasks(task, user, today):
    tasks, _periods = agency_work(user, today)
    return tasks.filter(pk=task.pk).exists()


def _notified(task, user, today):
    return user.pk in notifications.lead_focal_points(task)


def _reminded(task, user, today):
    scan(today)
    return ReminderLog.objects.filter(recipient=user, task=task).exists()


def _owes_a_report(task, user, today):
    return user.agency in [agency for agency, _report in submissions(task.plan, str(today.year))]


def _in_calendar(task, user, today):
    return f"task-{task.pk}".encode() in agency_calendar(user)


PARTS = [_can_report, _my_tasks, _notified, _reminded, _owes_a_report, _in_calendar]


@pytest.fixture
def world(province):
    today = timezone.localdate()
    plan = PlanFactory(province=province, issued_on=datetime.date(2024, 4, 8))
    return today, plan


@pytest.mark.parametrize("part", PARTS, ids=lambda part: part.__name__.strip("_"))
@pytest.mark.parametrize("scenario", ANSWERED, ids=lambda scenario: scenario.__name__)
def test_the_agency_answering_today_is_reached(world, province, scenario, part):
    today, plan = world
    given = scenario(province, plan, today)

    assert part(given.task, given.answering, today)


@pytest.mark.parametrize("part", PARTS, ids=lambda part: part.__name__.strip("_"))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.__name__)
def test_an_agency_not_answering_today_is_not_reached(world, province, scenario, part):
    today, plan = world
    given = scenario(province, plan, today)

    assert not part(given.task, given.other, today)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.__name__)
def test_orphaned_work_is_listed_only_when_nobody_answers(world, province, scenario):
    today, plan = world
    given = scenario(province, plan, today)

    assert Task.objects.orphaned(today).filter(pk=given.task.pk).exists() == (given.answering is None)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.__name__)
def test_the_task_counts_in_one_agencys_row_of_the_dashboards(world, province, scenario):
    today, plan = world
    given = scenario(province, plan, today)
    tasks = tasks_in_period(Task.objects.filter(pk=given.task.pk), parse_period(str(today.year)), today)

    assert [row["agency_id"] for row in agency_rows(tasks, today)] == [given.row.pk]
