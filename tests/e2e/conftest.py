"""Browser tests: Playwright drives Debian's Chromium against a live server loaded with the demo."""

import os

import pytest
from django.db import connection
from playwright.sync_api import expect

from plans.demo import load_demo

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Assertions wait as long as actions do (the contexts' default below): a loaded CI machine serves
# the 115/KH-UBND page in more than expect's 5 s default.
expect.set_options(timeout=15_000)
SIGN_IN_TIMEOUT_MS = 45_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo data, with uploads kept in a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    if connection.vendor == "postgresql":
        # Each test empties and refills the tables within seconds: autovacuum's statistics lag
        # behind, and PostgreSQL once planned the home page's count over them for minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@pytest.fixture
def sign_in(browser, live_server):
    """``sign_in(username, **context_options)``: a new browser context (its own cookies; Playwright's
    options, a phone's viewport say) signed in as a demo user."""
    contexts = []

    def _sign_in(username, **context_options):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", **context_options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo12345")
        # Signing in hashes the password and renders the home page: on a loaded CI machine, once,
        # that took longer than the 15 s every other action gets.
        with page.expect_navigation(url=f"{live_server.url}/", timeout=SIGN_IN_TIMEOUT_MS):
            page.locator("main form button[type=submit]").click(no_wait_after=True)
        return page

    yield _sign_in
    for context in contexts:
        context.close()
