"""docs/api_client_example.py, run as a system of the province would run it, against a live server:
it lists the province's overdue tasks with an API key, page after page, and none of another's."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import issue_key
from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "api_client_example.py"


def _run(live_server, *args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--url", live_server.url, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_lists_the_provinces_overdue_tasks(live_server, province, plan, lead_agency, other_task):
    for code in ("I.1", "I.2", "I.3"):
        AssignmentFactory(task=TaskFactory(plan=plan, code=code), agency=lead_agency)
    TaskFactory(plan=plan, code="II.1", deadline_text="Năm 2026")  # not yet due
    _key, secret = issue_key(province)

    result = _run(live_server, "--key", secret, "--on", "2025-03-01", "--page-size", "2")

    assert result.returncode == 0, result.stderr
    lines = [row.split("\t") for row in result.stdout.splitlines()]
    assert [row[:3] for row in lines] == [
        ["I.1", "2024-12-31", "Sở Nội vụ"],
        ["I.2", "2024-12-31", "Sở Nội vụ"],
        ["I.3", "2024-12-31", "Sở Nội vụ"],
    ]


def test_it_says_the_apis_refusal(live_server, province):
    result = _run(live_server, "--key", "key_revoked-or-wrong")

    assert result.returncode == 1
    assert "HTTP 401" in result.stderr and "không hợp lệ" in result.stderr
