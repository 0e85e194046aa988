"""Every write of the API through every way of calling it, on a row of the caller's province and on
one of another's. An empty body is sent: a caller let through is answered about the body (400, or
422 for an import already saved), so nothing is written; a caller refused gets 403, and a row of
another province is not found (404) by anyone but a superuser."""

import pytest

from agencies.api_keys import Scope
from plans.models import AppendixImport, ImportStatus
from tasks import workflow
from tasks.models import AssignmentRole
from tests.api.conftest import bearer, issue_token
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

CALLERS = ["admin", "focal_point", "leader", "superuser", "token", "write_token", "read_key", "write_key"]
ADMINS = {"admin", "superuser", "write_key"}
LEADS = {"focal_point", "write_token"}  # the lead agency's focal point, by session or read-write token
# Action → (path with the row's id, who is let through).
WRITES = {
    "task-report": ("tasks/{led}/report/", LEADS),
    "task-extension-request": ("tasks/{led}/extension-request/", LEADS),
    "task-contribute": ("tasks/{coordinated}/contribute/", LEADS),
    "task-review": ("tasks/{led}/review/", ADMINS),
    "extension-decide": ("extensions/{extension}/decide/", ADMINS),
    "import-confirm": ("imports/{saved_import}/confirm/", ADMINS),
}
CREATES = {"handover-list": "handovers/", "import-list": "imports/"}


def _rows_of(province, lead_agency=None, focal_point=None):
    agency = lead_agency or AgencyFactory(province=province)
    plan = PlanFactory(province=province)
    led = TaskFactory(plan=plan, code="1")
    AssignmentFactory(task=led, agency=agency)
    coordinated = TaskFactory(plan=plan, code="2")
    AssignmentFactory(task=coordinated, agency=AgencyFactory(province=province))
    AssignmentFactory(task=coordinated, agency=agency, role=AssignmentRole.COORDINATOR)
    extension = workflow.request_extension(
        led, author=focal_point or _focal_point_of(agency), reason="Chờ kinh phí",
        proposed_due=led.due.replace(year=led.due.year + 1),
    )
    saved = AppendixImport.objects.create(
        province=province, plan=plan, reference_date=plan.reference_date, original_name="phu-luc.xlsx",
        status=ImportStatus.DONE, preview={"tasks": [], "issues": []},
    )
    return {"led": led.pk, "coordinated": coordinated.pk, "extension": extension.pk, "saved_import": saved.pk}


def _focal_point_of(agency):
    return UserFactory(province=agency.province, agency=agency)


@pytest.fixture
def rows(province, other_province, lead_agency, lead_focal_point):
    return {"own": _rows_of(province, lead_agency, lead_focal_point), "other": _rows_of(other_province)}


@pytest.fixture
def writers(callers, lead_focal_point):
    return {**callers, "write_token": bearer(issue_token(lead_focal_point, Scope.READ_WRITE)[1])}


def _expected_own(caller, allowed):
    if caller in ("token", "read_key"):
        return {403}
    return {400, 422} if caller in allowed else {403}


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("caller", CALLERS)
def test_each_write_lets_through_only_those_the_pages_let_through(writers, rows, caller, action):
    path, allowed = WRITES[action]

    response = writers[caller].post("/api/v1/" + path.format(**rows["own"]), {}, format="json")

    assert response.status_code in _expected_own(caller, allowed), response.content


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("caller", CALLERS)
def test_no_write_reaches_a_row_of_another_province(writers, rows, caller, action):
    path, allowed = WRITES[action]

    response = writers[caller].post("/api/v1/" + path.format(**rows["other"]), {}, format="json")

    if caller == "superuser":
        assert response.status_code in _expected_own(caller, allowed)
    else:
        assert response.status_code in {403, 404}


@pytest.mark.parametrize("action", CREATES)
@pytest.mark.parametrize("caller", CALLERS)
def test_hand_overs_and_imports_are_for_the_provinces_admins(writers, rows, caller, action):
    response = writers[caller].post("/api/v1/" + CREATES[action], {}, format="json")

    assert response.status_code in _expected_own(caller, ADMINS), response.content


@pytest.mark.parametrize("caller", CALLERS)
def test_imports_are_read_by_those_who_import(writers, rows, caller):
    own = writers[caller].get(f"/api/v1/imports/{rows['own']['saved_import']}/")
    other = writers[caller].get(f"/api/v1/imports/{rows['other']['saved_import']}/")

    if caller in ADMINS:
        assert own.status_code == 200
        assert other.status_code == (200 if caller == "superuser" else 404)
    else:
        assert (own.status_code, other.status_code) == (403, 403)


@pytest.mark.parametrize("caller", CALLERS)
def test_extension_requests_are_read_by_the_province(writers, rows, caller):
    listed = writers[caller].get("/api/v1/extensions/?page_size=200").json()["results"]

    ids = {row["id"] for row in listed}
    assert rows["own"]["extension"] in ids
    assert (rows["other"]["extension"] in ids) == (caller == "superuser")
