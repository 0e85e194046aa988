"""A person signs on in the browser through the province's identity provider (a real OpenID Connect
provider run in the test, oidc-provider-mock) and lands on their home page."""

import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from agencies.models import User
from tests.sso import put_person, turn_on_sso


@pytest.fixture
def provider(live_server, settings):
    with run_server_in_thread(require_client_registration=True, require_nonce=True) as server:
        base = f"http://localhost:{server.server_port}"
        turn_on_sso(settings, base, f"{live_server.url}/accounts/sso/return/")
        settings.OIDC_PROVIDER_NAME = "Cổng định danh tỉnh"
        yield base


def test_a_focal_point_signs_on_through_the_provider(demo, provider, browser, live_server):
    user = User.objects.get(username="dongthap.khcn")
    put_person(provider, "cccd-087123456789", email=user.email, email_verified=True)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()

    page.goto("/tasks/mine/")
    page.get_by_role("link", name="Đăng nhập bằng Cổng định danh tỉnh").click()
    page.locator("input[name=sub]").first.fill("cccd-087123456789")
    page.locator("input[name=sub]").first.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/tasks/mine/", timeout=45_000)
    user.refresh_from_db()
    assert user.oidc_subject == "cccd-087123456789"
    context.close()
