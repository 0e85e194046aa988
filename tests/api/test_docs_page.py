"""The documentation page in a real browser (Debian's Chromium) under the portal's
Content-Security-Policy: Swagger UI draws the API, with no violation reported."""

import os
import shutil

import pytest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed"),
]

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]}


def test_swagger_ui_draws_the_api_under_the_policy(page, live_server):
    problems = []
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: problems.append(request.url)
            if not request.url.startswith((live_server.url, "data:")) else None)

    page.goto(f"{live_server.url}/api/v1/docs/")

    page.locator(".swagger-ui .info .title").wait_for(timeout=20_000)
    assert "API Cổng theo dõi thực hiện kế hoạch" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-tag", has_text="tasks").first.wait_for()
    assert problems == []
