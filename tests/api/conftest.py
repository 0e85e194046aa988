"""The API's test world: the fixed cast of tests/conftest.py (an admin, a focal point and a leader of
Đồng Tháp, an admin of Quảng Nam), a superuser, a personal access token and the API keys of each
province, and a client for each that calls the API as they do."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from agencies.api_keys import AccessToken, APIKey, Scope
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_rates():
    # The throttle counts live in the process's cache, which outlives each test's database.
    cache.clear()
    yield
    cache.clear()


def issue_key(province, scope=Scope.READ, **fields):
    """``(key, secret)``: an API key of ``province``; the secret is known only now."""
    key = APIKey(province=province, name=fields.pop("name", "LGSP"), scope=scope, **fields)
    secret = key.set_secret()
    key.save()
    return key, secret


def issue_token(user, scope=Scope.READ, **fields):
    token = AccessToken(user=user, name=fields.pop("name", "script"), scope=scope, **fields)
    secret = token.set_secret()
    token.save()
    return token, secret


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def signed_in(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def superuser():
    return UserFactory(username="quantri", province=None, agency=None, is_superuser=True, is_staff=True)


@pytest.fixture
def other_plan(other_province):
    return PlanFactory(province=other_province, number="53/KH-UBND")


@pytest.fixture
def other_task(other_plan):
    task = TaskFactory(plan=other_plan, code="II.2")
    AssignmentFactory(task=task, agency=AgencyFactory(province=other_plan.province, name="Sở Tài chính"))
    return task


@pytest.fixture
def key(province):
    return issue_key(province)


@pytest.fixture
def callers(province_admin, lead_focal_point, leader, superuser, province):
    """A client per way of calling, all of Đồng Tháp but the superuser and the anonymous caller."""
    return {
        "admin": signed_in(province_admin),
        "focal_point": signed_in(lead_focal_point),
        "leader": signed_in(leader),
        "superuser": signed_in(superuser),
        "token": bearer(issue_token(lead_focal_point)[1]),
        "read_key": bearer(issue_key(province)[1]),
        "write_key": bearer(issue_key(province, Scope.READ_WRITE, name="E-office")[1]),
    }


