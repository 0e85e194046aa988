import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from agencies.models import Agency, Province, User
from plans.demo import DEMO_DIR, load_demo
from plans.models import Plan
from tasks.models import AssignmentRole, Indicator, Target, TargetReport, Task, TaskAssignment
from tasks.targets.judging import MET, NOT_MET, NOT_REPORTED
from tasks.targets.standing import standings_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo()


def _golden(name):
    return json.loads((DEMO_DIR / "appendix" / f"{name}.expected.json").read_text(encoding="utf-8"))["tasks"]


def test_demo_loads_the_six_plans_in_four_provinces_of_today_and_four_merged_away(demo):
    assert Province.objects.filter(active_until__isnull=True).count() == 4
    assert demo["provinces"] == 8
    assert demo["plans"] == 6
    assert demo["tasks"] == 16 + 13 + 10 + 29 + 10


def test_plan_115_has_every_appendix_task_with_its_agencies(demo):
    plan = Plan.objects.get(number="115/KH-UBND")

    loaded = {
        task.code: (
            task.title,
            [line.printed_agency.name for line in task.leads],
            [line.printed_agency.name for line in task.coordinators],
        )
        for task in plan.tasks.with_assignments()
    }

    expected = {
        t["code"]: (t["title"], [m["agency"] for m in t["lead"]], [m["agency"] for m in t["coordinators"]])
        for t in _golden("dongthap-115-2024")
    }
    assert loaded == expected


def test_unresolved_mention_is_kept_as_printed(demo):
    outside = TaskAssignment.objects.get(mention="UBND cấp huyện, cấp xã")

    assert outside.agency is None
    assert outside.role == AssignmentRole.COORDINATOR


def test_loading_twice_changes_nothing(demo):
    snapshot = {
        "tasks": list(Task.objects.values().order_by("pk")),
        "assignments": list(TaskAssignment.objects.values().order_by("pk")),
        "agencies": list(Agency.objects.values().order_by("pk")),
        "users": list(User.objects.values().order_by("pk")),
        "targets": list(Target.objects.values().order_by("pk")),
        "target reports": list(TargetReport.objects.values().order_by("pk")),
        "indicators": list(Indicator.objects.values().order_by("pk")),
    }

    load_demo()

    assert snapshot == {
        "tasks": list(Task.objects.values().order_by("pk")),
        "assignments": list(TaskAssignment.objects.values().order_by("pk")),
        "agencies": list(Agency.objects.values().order_by("pk")),
        "users": list(User.objects.values().order_by("pk")),
        "targets": list(Target.objects.values().order_by("pk")),
        "target reports": list(TargetReport.objects.values().order_by("pk")),
        "indicators": list(Indicator.objects.values().order_by("pk")),
    }


def test_demo_targets_stand_as_their_history_says(demo):
    plan = Plan.objects.get(number="115/KH-UBND")
    found = standings_on(plan.targets.all(), datetime.date(2026, 12, 2))
    assert [(item.target.code, item.state, item.awaiting) for item in found] == [
        ("1", MET, False), ("2", NOT_MET, True), ("3", NOT_REPORTED, False),
    ]
    assert Plan.objects.get(number="53/KH-UBND").targets.count() == 23


def test_demo_users_log_in_with_the_documented_password(demo, client):
    response = client.post(reverse("login"), {"username": "dongthap.admin", "password": "demo12345"})

    assert response.url == reverse("home")


def test_report_recipient_of_115_is_science_department_after_the_merger(demo):
    plan = Plan.objects.get(number="115/KH-UBND")

    assert plan.report_recipient_on(datetime.date(2024, 12, 31)).name == "Sở Thông tin và Truyền thông"
    assert plan.report_recipient_on(datetime.date(2025, 3, 1)).name == "Sở Khoa học và Công nghệ"


def test_group_of_departments_has_the_departments_as_members(demo):
    group = Agency.objects.get(province__slug="dong-thap", name="Các sở, ban, ngành Tỉnh")

    assert group.members.filter(name="Sở Nội vụ").exists()
    assert not group.members.filter(kind="district").exists()


def test_command_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")

    assert Plan.objects.count() == 0
