"""Rate limits: per API key or token (its own rate when set, else API_REQUESTS_PER_MINUTE), per
user for a session, per address without credentials (the schema and its page); a refusal says when
to come back (429)."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient

from config.api.throttling import CredentialRateThrottle
from tests.api.conftest import bearer, issue_key, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    def set_rates(api=100, anon=100):
        limits = {"api": f"{api}/min", "anon": f"{anon}/min"}
        monkeypatch.setattr(CredentialRateThrottle, "THROTTLE_RATES", limits)

    return set_rates


def test_a_key_past_its_own_rate_is_told_to_wait(province, rates):
    rates(api=100)
    _key, secret = issue_key(province, requests_per_minute=2)
    client = bearer(secret)

    statuses = [client.get("/api/v1/provinces/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = client.get("/api/v1/provinces/")
    assert response.json()["detail"].startswith("Quá nhiều yêu cầu: hãy thử lại sau")
    assert int(response["Retry-After"]) > 0


def test_each_key_has_its_own_count(province, rates):
    rates(api=1)
    first, second = bearer(issue_key(province)[1]), bearer(issue_key(province)[1])

    assert first.get("/api/v1/provinces/").status_code == 200
    assert first.get("/api/v1/provinces/").status_code == 429
    assert second.get("/api/v1/provinces/").status_code == 200


def test_a_session_is_counted_per_user(province_admin, leader, rates):
    rates(api=1)
    admin = signed_in(province_admin)

    assert admin.get("/api/v1/provinces/").status_code == 200
    assert admin.get("/api/v1/provinces/").status_code == 429
    assert signed_in(leader).get("/api/v1/provinces/").status_code == 200


def test_calls_without_credentials_are_counted_per_address(rates):
    rates(anon=1)
    client = APIClient()

    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/schema/").status_code == 429


def test_calls_go_through_when_the_cache_is_unreachable(province, rates, monkeypatch):
    rates(api=1)

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(CredentialRateThrottle.cache, "get", unreachable)
    client = bearer(issue_key(province)[1])

    assert [client.get("/api/v1/provinces/").status_code for _ in range(2)] == [200, 200]
