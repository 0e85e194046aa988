"""Headers and content: HSTS, HTTPS redirects and cookies in production (the README's settings, in a
child process), the Content-Security-Policy on every page, and templates it leaves working."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.production import README_PRODUCTION, run

REQUESTS = """
import json, django
django.setup()
from django.test import Client

def answer(path, **extra):
    response = Client().get(path, HTTP_HOST="portal.example.gov.vn", **extra)
    cookies = {name: {"secure": bool(morsel["secure"])} for name, morsel in response.cookies.items()}
    return {"status": response.status_code, "headers": dict(response.headers), "cookies": cookies}

print(json.dumps({
    "https": answer("/accounts/login/", secure=True),
    "http": answer("/accounts/login/"),
    "forwarded_https": answer("/accounts/login/", HTTP_X_FORWARDED_PROTO="https"),
    "healthz": answer("/healthz"),
}))
"""


def _answers(env, tmp_path):
    finished = run(REQUESTS, env, tmp_path)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production's static files, collected as the Docker image does (pages need their manifest)."""
    root = tmp_path_factory.mktemp("static")
    code = "import django; django.setup(); from django.core.management import call_command; "
    code += "call_command('collectstatic', '--noinput', verbosity=0)"
    finished = run(code, {**README_PRODUCTION, "STATIC_ROOT": str(root)}, tmp_path_factory.mktemp("collect"))
    assert finished.returncode == 0, finished.stderr
    return str(root)


@pytest.fixture(scope="module")
def production(static_root, tmp_path_factory):
    """Answers of the portal with the README's production settings (behind its trusted proxy)."""
    env = {**README_PRODUCTION, "STATIC_ROOT": static_root}
    return _answers(env, tmp_path_factory.mktemp("production"))


@pytest.fixture(scope="module")
def untrusted(static_root, tmp_path_factory):
    """The same, with TRUSTED_PROXY off: reached directly, or through a proxy nobody vouched for."""
    env = {**README_PRODUCTION, "STATIC_ROOT": static_root, "TRUSTED_PROXY": "false"}
    return _answers(env, tmp_path_factory.mktemp("untrusted"))


def test_https_answers_carry_hsts(production):
    hsts = production["https"]["headers"]["Strict-Transport-Security"]

    assert hsts == "max-age=31536000; includeSubDomains"


def test_plain_http_is_sent_to_https(production):
    answer = production["http"]

    assert answer["status"] == 301
    assert answer["headers"]["Location"] == "https://portal.example.gov.vn/accounts/login/"


def test_the_health_check_answers_over_plain_http(production):
    assert production["healthz"]["status"] == 200


def test_behind_the_trusted_proxy_its_https_header_is_believed(production):
    assert production["forwarded_https"]["status"] == 200


def test_without_a_trusted_proxy_a_forwarded_https_header_is_ignored(untrusted):
    assert untrusted["forwarded_https"]["status"] == 301


def test_the_csrf_cookie_is_https_only(production):
    assert production["https"]["cookies"]["csrftoken"]["secure"] is True


def test_no_referer_goes_to_other_sites(production):
    assert production["https"]["headers"]["Referrer-Policy"] == "same-origin"


def test_browsers_are_told_not_to_guess_content_types(production):
    assert production["https"]["headers"]["X-Content-Type-Options"] == "nosniff"


def _policy(header):
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


def test_production_pages_carry_the_content_security_policy(production):
    policy = _policy(production["https"]["headers"]["Content-Security-Policy"])

    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_policy_allows_no_inline_script(client):
    policy = _policy(client.get(reverse("login"))["Content-Security-Policy"])

    assert policy["default-src"] == policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_the_policy_refuses_inline_style_elements(client):
    policy = _policy(client.get(reverse("login"))["Content-Security-Policy"])

    assert policy["style-src-elem"] == ["'self'"]


TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
# E-mails are read in mail programs, where the portal's policy does not apply.
PAGES = [path for path in TEMPLATES if "emails" not in path.parts]


@pytest.mark.parametrize("path", PAGES, ids=[str(path.relative_to(settings.BASE_DIR)) for path in PAGES])
def test_no_template_has_inline_script(path):
    html = path.read_text(encoding="utf-8")

    assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []
    assert "javascript:" not in html
