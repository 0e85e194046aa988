"""Single sign-on against a real OpenID Connect provider run in the tests (oidc-provider-mock: Authlib's
code flow, a registered client with its secret and redirect URI, RS256 ID tokens, JWKS, userinfo):
the portal's start page, the provider's consent, the portal's return, as a browser would go through
them (the test client for the portal, HTTP for the provider)."""

from io import StringIO
from urllib.parse import urlsplit

import jwt
import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from oidc_provider_mock import run_server_in_thread

from agencies.models import Role, User
from agencies.sso import ProvinceIdentityBackend, SignOnRefused
from tests.factories import UserFactory
from tests.sso import put_person, turn_on_sso

pytestmark = pytest.mark.django_db

RETURN_URL = "http://testserver/accounts/sso/return/"


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread(require_client_registration=True, require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, provider):
    """Single sign-on on, as the environment turns it on, with a client registered at the provider."""
    turn_on_sso(settings, provider, RETURN_URL)
    return provider


def _sign_on(client, provider, sub, next_url=None):
    """Through the portal's start page and the provider's consent back to the portal's return."""
    start = client.get(reverse("sso_start"), {"next": next_url} if next_url else {})
    assert start.status_code == 302 and start.url.startswith(f"{provider}/oauth2/authorize?")
    consent = requests.post(start.url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert consent.status_code == 302, consent.text
    back = urlsplit(consent.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == RETURN_URL
    return client.get(f"{back.path}?{back.query}")


def _signed_in_as(client):
    return client.session.get(SESSION_KEY)


def _errors(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_bound_subject_signs_in_to_its_account(client, sso):
    user = UserFactory(oidc_subject="vneid-079123456789", email="")
    put_person(sso, "vneid-079123456789", name="Nguyễn Văn A")

    response = _sign_on(client, sso, "vneid-079123456789")

    assert response.status_code == 302 and response.url == reverse("home")
    assert _signed_in_as(client) == str(user.pk)


def test_the_signed_in_page_loads_the_user_through_the_portal_backend(client, sso):
    UserFactory(oidc_subject="sub-1")
    put_person(sso, "sub-1")
    _sign_on(client, sso, "sub-1")

    page = client.get(reverse("home"))

    assert page.status_code == 200
    assert hasattr(page.wsgi_request.user, "unread_notification_count")


def test_the_first_sign_on_binds_the_verified_email_account(client, sso):
    user = UserFactory(email="Noivu@DongThap.gov.vn", oidc_subject=None)
    put_person(sso, "kc-42", email="noivu@dongthap.gov.vn", email_verified=True)

    _sign_on(client, sso, "kc-42")

    user.refresh_from_db()
    assert user.oidc_subject == "kc-42"
    assert _signed_in_as(client) == str(user.pk)


def test_after_binding_a_changed_email_still_signs_in_by_subject(client, sso):
    user = UserFactory(email="old@dongthap.gov.vn", oidc_subject="kc-7")
    put_person(sso, "kc-7", email="new@dongthap.gov.vn", email_verified=True)

    _sign_on(client, sso, "kc-7")

    assert _signed_in_as(client) == str(user.pk)


def test_the_next_page_is_kept_through_the_provider(client, sso):
    UserFactory(oidc_subject="sub-next")
    put_person(sso, "sub-next")

    response = _sign_on(client, sso, "sub-next", next_url="/tasks/mine/")

    assert response.url == "/tasks/mine/"


def test_an_outside_next_page_is_not_followed(client, sso):
    UserFactory(oidc_subject="sub-out")
    put_person(sso, "sub-out")

    response = _sign_on(client, sso, "sub-out", next_url="https://evil.example/")

    assert response.url == reverse("home")


def test_nobody_is_created_for_an_unknownput_person(client, sso):
    put_person(sso, "stranger", email="stranger@example.org", email_verified=True)
    before = User.objects.count()

    response = _sign_on(client, sso, "stranger")

    assert User.objects.count() == before
    assert response.url == reverse("login")
    assert _signed_in_as(client) is None
    assert "chưa có tài khoản" in _errors(response)[0]


def test_an_unverified_email_binds_nothing(client, sso):
    user = UserFactory(email="khcn@dongthap.gov.vn", oidc_subject=None)
    put_person(sso, "kc-unverified", email="khcn@dongthap.gov.vn", email_verified=False)

    response = _sign_on(client, sso, "kc-unverified")

    user.refresh_from_db()
    assert user.oidc_subject is None
    assert _signed_in_as(client) is None
    assert "chưa xác minh" in _errors(response)[0]


def test_two_accounts_with_the_email_are_not_guessed_between(client, sso):
    UserFactory(email="chung@dongthap.gov.vn")
    UserFactory(email="CHUNG@dongthap.gov.vn")
    put_person(sso, "kc-shared", email="chung@dongthap.gov.vn", email_verified=True)

    response = _sign_on(client, sso, "kc-shared")

    assert _signed_in_as(client) is None
    assert not User.objects.filter(oidc_subject="kc-shared").exists()
    assert "Nhiều tài khoản" in _errors(response)[0]


def test_an_account_bound_to_another_subject_is_not_taken_over(client, sso):
    user = UserFactory(email="vpubnd@dongthap.gov.vn", oidc_subject="kc-owner")
    put_person(sso, "kc-intruder", email="vpubnd@dongthap.gov.vn", email_verified=True)

    _sign_on(client, sso, "kc-intruder")

    user.refresh_from_db()
    assert user.oidc_subject == "kc-owner"
    assert _signed_in_as(client) is None


def test_a_disabled_account_does_not_sign_in(client, sso):
    UserFactory(oidc_subject="kc-gone", is_active=False)
    put_person(sso, "kc-gone")

    response = _sign_on(client, sso, "kc-gone")

    assert _signed_in_as(client) is None
    assert "bị khóa" in _errors(response)[0]


def test_a_superuser_is_not_bound_by_email(client, sso):
    admin = UserFactory(email="root@dongthap.gov.vn", is_superuser=True, province=None, agency=None)
    put_person(sso, "kc-root", email="root@dongthap.gov.vn", email_verified=True)

    _sign_on(client, sso, "kc-root")

    admin.refresh_from_db()
    assert admin.oidc_subject is None
    assert _signed_in_as(client) is None


def test_the_provider_claims_change_no_rights(client, sso):
    user = UserFactory(oidc_subject="kc-rights", role=Role.FOCAL_POINT)
    put_person(sso, "kc-rights", role="province_admin", groups=["admins"], is_superuser=True)

    _sign_on(client, sso, "kc-rights")

    user.refresh_from_db()
    assert (user.role, user.is_superuser, user.is_staff) == (Role.FOCAL_POINT, False, False)


def test_a_refused_consent_returns_to_the_login_page_with_a_message(client, sso):
    start = client.get(reverse("sso_start"))
    denied = requests.post(start.url, data={"action": "deny"}, allow_redirects=False, timeout=10)
    back = urlsplit(denied.headers["Location"])

    response = client.get(f"{back.path}?{back.query}")

    assert response.url == reverse("login")
    assert _signed_in_as(client) is None
    assert _errors(response)


def test_a_replayed_return_is_refused_without_an_error_page(client, sso):
    UserFactory(oidc_subject="kc-replay")
    put_person(sso, "kc-replay")
    start = client.get(reverse("sso_start"))
    consent = requests.post(start.url, data={"sub": "kc-replay"}, allow_redirects=False, timeout=10)
    back = urlsplit(consent.headers["Location"])
    client.get(f"{back.path}?{back.query}")
    client.logout()

    response = client.get(f"{back.path}?{back.query}")

    assert response.status_code == 302 and response.url == reverse("login")
    assert _signed_in_as(client) is None


def test_a_return_with_a_forged_state_is_refused(client, sso):
    client.get(reverse("sso_start"))

    response = client.get(reverse("sso_return"), {"code": "made-up", "state": "forged"})

    assert response.status_code == 302 and response.url == reverse("login")


def test_an_unreachable_provider_is_told_not_a_500(client, sso, settings):
    UserFactory(oidc_subject="kc-down")
    put_person(sso, "kc-down")
    start = client.get(reverse("sso_start"))
    consent = requests.post(start.url, data={"sub": "kc-down"}, allow_redirects=False, timeout=10)
    back = urlsplit(consent.headers["Location"])
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # nothing listens on the discard port

    response = client.get(f"{back.path}?{back.query}")

    assert response.status_code == 302 and response.url == reverse("login")
    assert "Không kết nối được với hệ thống định danh" in _errors(response)[0]


def test_a_token_from_another_issuer_is_refused(client, sso, settings):
    UserFactory(oidc_subject="kc-iss")
    put_person(sso, "kc-iss")
    settings.OIDC_OP_ISSUER = "https://sso.other-province.gov.vn"

    _sign_on(client, sso, "kc-iss")

    assert _signed_in_as(client) is None


VALID_ID_TOKEN = {
    "sub": "s",
    "iss": "https://idp.example",
    "aud": "portal",
    "iat": 1_700_000_000,
    "exp": 4_000_000_000,
}


def _read_id_token(claims):
    key = "k" * 32
    with override_settings(
        OIDC_RP_SIGN_ALGO="HS256", OIDC_RP_CLIENT_ID="portal", OIDC_OP_ISSUER="https://idp.example"
    ):
        return ProvinceIdentityBackend().get_payload_data(jwt.encode(claims, key, algorithm="HS256"), key)


def test_an_id_token_for_this_portal_from_its_provider_is_read():
    assert _read_id_token(VALID_ID_TOKEN)["sub"] == "s"


@pytest.mark.parametrize(
    "change",
    [
        {"iss": "https://idp.other-province.gov.vn"},
        {"aud": "another-system"},
        {"exp": 1_700_000_100},
        {"exp": None},
    ],
    ids=["other issuer", "other audience", "expired", "no expiry"],
)
def test_an_id_token_not_for_this_portal_is_refused(change):
    claims = {**VALID_ID_TOKEN, **change}
    claims = {name: value for name, value in claims.items() if value is not None}

    with pytest.raises(SignOnRefused):
        _read_id_token(claims)


def test_the_login_page_offers_the_provider_by_name(client, sso, settings):
    settings.OIDC_PROVIDER_NAME = "Cổng định danh Đà Nẵng"

    page = client.get(reverse("login"), {"next": "/plans/"})

    assert "Đăng nhập bằng Cổng định danh Đà Nẵng" in page.text
    assert f'href="{reverse("sso_start")}?next=/plans/"' in page.text
    assert 'name="password"' in page.text


def test_without_configuration_the_sign_on_pages_are_not_found(client):
    assert client.get(reverse("sso_start")).status_code == 404
    assert client.get(reverse("sso_return"), {"code": "x", "state": "y"}).status_code == 404
    assert "sso-login" not in client.get(reverse("login")).text


class TestLocalLoginOff:
    @pytest.fixture(autouse=True)
    def local_off(self, sso, settings):
        settings.LOCAL_LOGIN_ENABLED = False

    def test_a_right_password_no_longer_logs_in(self, client):
        UserFactory(username="dt.admin")

        response = client.post(reverse("login"), {"username": "dt.admin", "password": "secret-pass-123"})

        assert _signed_in_as(client) is None
        assert response.status_code == 200

    def test_the_login_page_has_only_the_provider(self, client):
        page = client.get(reverse("login")).text

        assert 'id="sso-login"' in page
        assert 'name="password"' not in page

    @pytest.mark.parametrize("name", ["password_reset", "password_change"])
    def test_the_password_pages_are_gone(self, client, name):
        client.force_login(UserFactory())

        assert client.get(reverse(name)).status_code == 404

    def test_the_admin_login_sends_to_the_portal_login(self, client):
        response = client.get(reverse("admin:login"))

        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_single_sign_on_still_signs_in(self, client, sso):
        user = UserFactory(oidc_subject="kc-only")
        put_person(sso, "kc-only")

        _sign_on(client, sso, "kc-only")

        assert _signed_in_as(client) == str(user.pk)


def test_sso_endpoints_prints_the_settings_from_the_discovery_document(provider):
    out = StringIO()

    call_command("sso_endpoints", provider, stdout=out)

    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert lines["OIDC_OP_ISSUER"] == provider
    assert lines["OIDC_OP_JWKS_ENDPOINT"] == f"{provider}/jwks"
    assert lines["OIDC_OP_TOKEN_ENDPOINT"] == f"{provider}/oauth2/token"


def test_sso_endpoints_names_an_address_that_gives_no_discovery_document():
    with pytest.raises(CommandError, match="Could not read"):
        call_command("sso_endpoints", "http://127.0.0.1:9", "--timeout", "2")
