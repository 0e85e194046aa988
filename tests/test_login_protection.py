"""Log-in protection: lockout of an account and of an address (django-axes), on the portal's log-in
page and the admin's; the password reset limits; sessions that end."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from agencies.models import User
from config.middleware import SlidingSessionMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # the password reset counters (a local-memory cache in the test settings)


@pytest.fixture
def user():
    return UserFactory(username="dt.noivu", email="noivu@dongthap.gov.vn")


def _log_in(client, username, password, address="10.0.0.1", url=None, **headers):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def _fail(client, times, username="dt.noivu", **kwargs):
    for _ in range(times):
        _log_in(client, username, "wrong-guess", **kwargs)


def _signed_in(client):
    return SESSION_KEY in client.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, user):
    _fail(client, 30)

    response = _log_in(client, "dt.noivu", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)


def test_four_wrong_passwords_then_the_right_one_logs_in(client, user):
    _fail(client, 4)

    response = _log_in(client, "dt.noivu", PASSWORD)

    assert response.url == reverse("home")


def test_the_lockout_page_says_why_and_for_how_long_in_vietnamese(client, user):
    _fail(client, 5)

    page = _log_in(client, "dt.noivu", PASSWORD).content.decode()

    assert "Đăng nhập sai 5 lần" in page
    assert "15 phút" in page


def test_an_account_is_locked_from_every_address(client, user):
    for number in range(5):
        _fail(client, 1, address=f"10.0.1.{number}")

    assert _log_in(client, "dt.noivu", PASSWORD, address="10.0.2.1").status_code == 429


def test_an_address_is_locked_for_every_account(client, user):
    for number in range(5):
        _fail(client, 1, username=f"guess{number}", address="10.0.3.1")

    assert _log_in(client, "dt.noivu", PASSWORD, address="10.0.3.1").status_code == 429


def test_another_address_is_not_locked_by_one_addresss_guesses(client, user):
    other = UserFactory(username="dt.khcn")
    for number in range(5):
        _fail(client, 1, username=f"guess{number}", address="10.0.3.1")

    assert _log_in(client, other.username, PASSWORD, address="10.0.4.1").url == reverse("home")


def test_a_user_name_of_any_length_is_only_a_failed_log_in(client, user):
    response = _log_in(client, "x" * 5000, "wrong-guess")

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150


def test_a_locked_out_attempt_checks_no_password(client, user, monkeypatch):
    _fail(client, 5)
    checked = []
    monkeypatch.setattr(User, "check_password", lambda self, raw: checked.append(raw))

    _log_in(client, "dt.noivu", PASSWORD)

    assert checked == []


def test_the_lockout_ends_after_its_time(client, user):
    _fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert _log_in(client, "dt.noivu", PASSWORD).url == reverse("home")


def test_the_admin_login_is_locked_out_too(client):
    UserFactory(username="quantri", is_staff=True, is_superuser=True, province=None, agency=None)
    _fail(client, 5, username="quantri", url=reverse("admin:login"))

    response = _log_in(client, "quantri", PASSWORD, url=reverse("admin:login"))

    assert response.status_code == 429
    assert not _signed_in(client)


def test_a_superuser_unlocks_an_account_in_the_admin(client, user):
    _fail(client, 5)
    admin = client.__class__()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True, province=None, agency=None))

    admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert _log_in(client, "dt.noivu", PASSWORD).url == reverse("home")


def test_behind_the_trusted_proxy_the_forwarded_address_is_locked_not_the_proxy(client, settings, user):
    settings.TRUSTED_PROXY = True
    for number in range(5):
        _fail(client, 1, username=f"guess{number}", address="10.9.9.9", HTTP_X_FORWARDED_FOR="192.0.2.7")

    response = _log_in(client, "dt.noivu", PASSWORD, address="10.9.9.9", HTTP_X_FORWARDED_FOR="192.0.2.8")

    assert response.url == reverse("home")


def test_behind_the_trusted_proxy_a_forged_forwarded_address_changes_nothing(client, settings, user):
    settings.TRUSTED_PROXY = True
    for number in range(5):
        forged = f"203.0.113.{number}, 192.0.2.7"
        _fail(client, 1, username=f"guess{number}", address="10.9.9.9", HTTP_X_FORWARDED_FOR=forged)

    response = _log_in(client, "dt.noivu", PASSWORD, address="10.9.9.9", HTTP_X_FORWARDED_FOR="192.0.2.7")

    assert response.status_code == 429


def test_without_a_trusted_proxy_the_forwarded_address_is_ignored(client, user):
    for number in range(5):
        forwarded = f"192.0.2.{number}"
        _fail(client, 1, username=f"guess{number}", address="10.0.5.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert _log_in(client, "dt.noivu", PASSWORD, address="10.0.5.1").status_code == 429


def _reset(client, email, address="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_sends_at_most_three_emails_an_hour_for_one_account(client, user):
    answers = [_reset(client, "noivu@dongthap.gov.vn", address=f"10.0.6.{n}").status_code for n in range(5)]

    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3


def test_password_reset_answers_at_most_ten_requests_an_hour_from_one_address(client):
    for number in range(11):
        UserFactory(email=f"user{number}@dongthap.gov.vn")

    answers = [_reset(client, f"user{number}@dongthap.gov.vn").status_code for number in range(11)]

    assert answers == [302] * 10 + [429]
    assert len(mail.outbox) == 10


def test_password_reset_refusal_says_when_to_try_again_in_vietnamese(client, user):
    for _ in range(3):
        _reset(client, "noivu@dongthap.gov.vn")

    page = _reset(client, "noivu@dongthap.gov.vn").content.decode()

    assert "Vui lòng thử lại sau một giờ" in page


def test_password_reset_counts_unknown_addresses_too(client):
    answers = [_reset(client, "nobody@example.vn").status_code for _ in range(4)]

    assert answers[-1] == 429


def test_password_reset_still_works_when_the_cache_is_unreachable(client, user, monkeypatch):
    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "add", unreachable)

    assert _reset(client, "noivu@dongthap.gov.vn").status_code == 302
    assert len(mail.outbox) == 1


def _session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_the_session_cookie_ends_with_the_browser(client, user):
    response = _log_in(client, "dt.noivu", PASSWORD)

    cookie = response.cookies["sessionid"]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")


def test_a_session_ends_eight_hours_after_log_in_without_requests(client, user):
    _log_in(client, "dt.noivu", PASSWORD)

    left = _session(client).expire_date - timezone.now()
    assert datetime.timedelta(hours=8) - left < datetime.timedelta(minutes=1)


def test_a_request_moves_the_end_of_the_session(client, user):
    _log_in(client, "dt.noivu", PASSWORD)
    session = client.session
    session[SlidingSessionMiddleware.KEY] -= SlidingSessionMiddleware.REFRESH_SECONDS
    session.save()
    # As if its last request had been seven hours ago.
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=1))

    client.get(reverse("home"))

    left = _session(client).expire_date - timezone.now()
    assert left > datetime.timedelta(hours=7, minutes=59)


def test_requests_within_a_minute_write_no_session(client, user):
    _log_in(client, "dt.noivu", PASSWORD)
    before = _session(client).expire_date

    client.get(reverse("agencies:profile"))

    assert _session(client).expire_date == before


def test_a_session_past_its_end_is_logged_out(client, user):
    _log_in(client, "dt.noivu", PASSWORD)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(reverse("home"))

    assert response.url.startswith(reverse("login"))
