"""Creating and revoking credentials in the portal: a user's personal access tokens in *Cài đặt của
tôi*, a provincial admin's API keys, and both in the Django admin. A secret is shown once."""

import re

import pytest
from django.test import Client

from agencies.api_keys import AccessToken, APIKey, Scope
from tests.api.conftest import bearer, issue_key, issue_token

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _shown_secret(html, prefix):
    return re.search(rf'value="({prefix}[\w-]+)"', html).group(1)


def test_a_user_creates_a_token_and_sees_it_once(lead_focal_point, task):
    client = _client(lead_focal_point)

    response = client.post("/agencies/me/tokens/", {"name": "Báo cáo tự động", "scope": "read"}, follow=True)

    secret = _shown_secret(response.content.decode(), "pat_")
    assert bearer(secret).get("/api/v1/tasks/").status_code == 200
    assert "pat_" + secret[4:] not in client.get("/agencies/me/").content.decode()
    assert AccessToken.objects.get().user == lead_focal_point


def test_the_settings_page_lists_a_users_tokens_without_their_secrets(lead_focal_point):
    token, secret = issue_token(lead_focal_point, name="Script Excel")

    html = _client(lead_focal_point).get("/agencies/me/").content.decode()

    assert "Script Excel" in html and token.hint in html
    assert secret not in html


def test_a_user_revokes_a_token(lead_focal_point):
    token, secret = issue_token(lead_focal_point)

    _client(lead_focal_point).post(f"/agencies/me/tokens/{token.pk}/revoke/")

    assert bearer(secret).get("/api/v1/tasks/").status_code == 401


def test_nobody_revokes_another_users_token(lead_focal_point, leader):
    token, _secret = issue_token(lead_focal_point)

    assert _client(leader).post(f"/agencies/me/tokens/{token.pk}/revoke/").status_code == 404
    assert AccessToken.objects.get(pk=token.pk).revoked_at is None


def test_a_token_without_a_name_is_not_created(lead_focal_point):
    _client(lead_focal_point).post("/agencies/me/tokens/", {"name": "", "scope": "read"})

    assert not AccessToken.objects.exists()


def test_an_admin_issues_a_key_for_the_province(province, province_admin, task):
    client = _client(province_admin)

    response = client.post("/agencies/api-keys/", {"name": "LGSP", "scope": "read", "note": "Sở KH&CN"},
                           follow=True)

    secret = _shown_secret(response.content.decode(), "key_")
    key = APIKey.objects.get()
    assert (key.province, key.created_by, key.scope) == (province, province_admin, Scope.READ)
    assert [row["id"] for row in bearer(secret).get("/api/v1/tasks/").json()["results"]] == [task.pk]
    assert secret not in client.get("/agencies/api-keys/").content.decode()


def test_an_admin_revokes_a_key(province, province_admin):
    key, secret = issue_key(province)

    _client(province_admin).post(f"/agencies/api-keys/{key.pk}/revoke/")

    assert bearer(secret).get("/api/v1/tasks/").status_code == 401


def test_an_admin_sees_only_the_keys_of_the_province(province, other_province, province_admin):
    issue_key(province, name="Hệ thống một cửa")
    issue_key(other_province, name="Trung tâm IOC Quảng Nam")

    html = _client(province_admin).get("/agencies/api-keys/").content.decode()

    assert "Hệ thống một cửa" in html and "Trung tâm IOC Quảng Nam" not in html


def test_an_admin_cannot_revoke_another_provinces_key(other_province, province_admin):
    key, _secret = issue_key(other_province)

    assert _client(province_admin).post(f"/agencies/api-keys/{key.pk}/revoke/").status_code == 404


@pytest.mark.parametrize("role", ["lead_focal_point", "leader"])
def test_others_may_not_issue_keys(request, role):
    user = request.getfixturevalue(role)

    assert _client(user).get("/agencies/api-keys/").status_code == 403
    assert _client(user).post("/agencies/api-keys/", {"name": "x", "scope": "read"}).status_code == 403


def test_a_superuser_issues_a_key_in_the_django_admin(province, superuser):
    response = _client(superuser).post(
        "/admin/agencies/apikey/add/", {"name": "IOC", "scope": "read_write", "province": province.pk},
        follow=True,
    )

    secret = re.search(r"(key_[\w-]{20,})", response.content.decode()).group(1)
    assert bearer(secret).get("/api/v1/provinces/").status_code == 200
    assert APIKey.objects.get().scope == Scope.READ_WRITE
