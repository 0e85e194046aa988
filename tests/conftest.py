"""The fixed cast of users every permission test uses, in two provinces."""

import pytest
from celery.app.task import Task as CeleryJob
from django.core.cache import cache
from kombu.exceptions import OperationalError

from agencies.models import Role
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    PlanFactory,
    ProvinceFactory,
    TaskFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def empty_cache():
    # What one test keeps (the trend's past month ends, rate limits) must not answer another's.
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; tests check behaviour, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def broker_down(monkeypatch):
    """Redis is stopped: queueing any Celery job fails the way kombu fails then."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(CeleryJob, "apply_async", refuse)


@pytest.fixture
def province():
    return ProvinceFactory(name="Đồng Tháp", slug="dong-thap")


@pytest.fixture
def other_province():
    return ProvinceFactory(name="Quảng Nam", slug="quang-nam")


@pytest.fixture
def lead_agency(province):
    return AgencyFactory(province=province, name="Sở Nội vụ")


@pytest.fixture
def plan(province):
    return PlanFactory(province=province, number="115/KH-UBND")


@pytest.fixture
def task(plan, lead_agency):
    task = TaskFactory(plan=plan, code="I.1")
    AssignmentFactory(task=task, agency=lead_agency)
    return task


@pytest.fixture
def province_admin(province):
    return UserFactory(province=province, role=Role.PROVINCE_ADMIN, username="dt.admin")


@pytest.fixture
def lead_focal_point(province, lead_agency):
    return UserFactory(province=province, agency=lead_agency, username="dt.noivu")


@pytest.fixture
def leader(province):
    return UserFactory(province=province, role=Role.LEADER, username="dt.lanhdao")


@pytest.fixture
def other_admin(other_province):
    return UserFactory(province=other_province, role=Role.PROVINCE_ADMIN, username="qn.admin")
