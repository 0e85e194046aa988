"""The provincial admin's weekly digest: what is overdue and what waits for acceptance, in the plans
the province holds (its own and those of a province merged into it)."""

import datetime

import pytest
from django.core import mail

from agencies.models import Role
from tasks.digest import digest_sections, send_digests
from tasks.models import TaskStatus
from tests.factories import PlanFactory, ProvinceFactory, TaskFactory, UserFactory, change_periods

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)


def _codes(province, section):
    sections = {name: items for name, _count, items in digest_sections(province, DAY)}
    return [item.code for item in sections[section]]


def test_overdue_work_is_listed(plan, province):
    TaskFactory(plan=plan, code="I.2", deadline_text="Năm 2025")

    assert _codes(province, "overdue") == ["I.2"]


def test_a_task_reported_complete_awaits_acceptance(plan, province):
    TaskFactory(plan=plan, code="I.1", deadline_text="Năm 2026", status=TaskStatus.AWAITING_ACCEPTANCE,
                completed_on=datetime.date(2026, 11, 30), progress=100)

    assert _codes(province, "awaiting") == ["I.1"]


def test_a_recurring_task_with_a_period_awaiting_acceptance_is_listed(province):
    plan = PlanFactory(province=province, issued_on=datetime.date(2026, 1, 5))
    task = TaskFactory(plan=plan, code="IV.2", deadline_text="Hằng quý")
    plan.tasks.sync_occurrences()
    change_periods(task.occurrences.filter(due=datetime.date(2026, 9, 30)),
                   status=TaskStatus.AWAITING_ACCEPTANCE, completed_on=datetime.date(2026, 9, 25),
                   progress=100)

    assert _codes(province, "awaiting") == ["IV.2"]


def test_the_merged_province_gets_the_plans_it_inherited(province):
    merged_away = ProvinceFactory(
        name="Quảng Nam", slug="quang-nam", active_until=datetime.date(2025, 6, 30), successor=province
    )
    TaskFactory(plan=PlanFactory(province=merged_away), code="II.1", deadline_text="Năm 2025")

    assert _codes(province, "overdue") == ["II.1"]


def test_each_admin_with_an_address_gets_one_email(province):
    UserFactory(province=province, role=Role.PROVINCE_ADMIN, agency=None, email="admin@example.vn")
    UserFactory(province=province, role=Role.PROVINCE_ADMIN, agency=None, email="")

    assert send_digests(DAY) == 1
    assert [message.to for message in mail.outbox] == [["admin@example.vn"]]
