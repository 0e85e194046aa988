"""``Authorization: Bearer``: a personal access token acts as its user, an API key as a reader of its
province; a revoked, expired or unknown secret, or a token of a deactivated user, is refused (401)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.api_keys import AccessToken, APIKey, hash_secret
from tests.api.conftest import bearer, issue_key, issue_token

pytestmark = pytest.mark.django_db


def test_a_token_acts_as_its_user(lead_focal_point, task):
    _token, secret = issue_token(lead_focal_point)

    response = bearer(secret).get("/api/v1/tasks/")

    assert [row["id"] for row in response.json()["results"]] == [task.pk]


def test_only_the_secrets_hash_is_stored(lead_focal_point):
    token, secret = issue_token(lead_focal_point)

    stored = AccessToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hash_secret(secret) != secret
    assert secret.startswith("pat_") and secret.startswith(stored.hint)


def test_a_key_reads_its_province(province, task):
    _key, secret = issue_key(province)

    response = bearer(secret).get("/api/v1/tasks/")

    assert [row["id"] for row in response.json()["results"]] == [task.pk]


def test_a_use_is_recorded(province, task):
    key, secret = issue_key(province)

    bearer(secret).get("/api/v1/tasks/")

    assert APIKey.objects.get(pk=key.pk).last_used_at is not None


def test_a_use_within_a_minute_of_the_last_writes_nothing(province, task, django_assert_num_queries):
    key, secret = issue_key(province)
    APIKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    client = bearer(secret)

    # the key, the tasks, their assignments: no UPDATE
    with django_assert_num_queries(3):
        client.get("/api/v1/tasks/")


def test_a_revoked_key_is_refused(province, task):
    key, secret = issue_key(province)
    key.revoke()

    response = bearer(secret).get("/api/v1/tasks/")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Mã truy cập hoặc khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi."
    }


def test_an_expired_token_is_refused(lead_focal_point):
    _token, secret = issue_token(lead_focal_point, expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert bearer(secret).get("/api/v1/tasks/").status_code == 401


def test_a_deactivated_users_token_is_refused(lead_focal_point):
    _token, secret = issue_token(lead_focal_point)
    lead_focal_point.is_active = False
    lead_focal_point.save()

    assert bearer(secret).get("/api/v1/tasks/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer pat_unknown", "Bearer key_unknown", "Bearer abc", "Bearer",
                                    "Bearer a b", "Bearer khóa"])
def test_a_malformed_or_unknown_secret_is_refused(province, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/tasks/")

    assert response.status_code == 401
    assert not response.json()["detail"].isascii()


def test_a_key_never_reads_another_province(other_province, task):
    _key, secret = issue_key(other_province)

    assert bearer(secret).get("/api/v1/tasks/").json()["results"] == []
    assert bearer(secret).get(f"/api/v1/tasks/{task.pk}/").status_code == 404


def test_a_key_of_a_merged_province_reads_the_plans_it_holds(province, other_province, task):
    province.active_until, province.successor = datetime.date(2025, 6, 30), other_province
    province.save()
    _key, secret = issue_key(other_province)

    assert [row["id"] for row in bearer(secret).get("/api/v1/tasks/").json()["results"]] == [task.pk]
