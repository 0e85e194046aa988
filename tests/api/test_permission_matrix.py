"""Every endpoint through every way of calling it: the cast of roles (admin, focal point, leader,
superuser), a focal point's personal token, the province's read and read-write API keys, and nobody.
Each sees its province's rows and none of another's (a 404 on their detail); the report figures
are the dashboards' readers'; a read-only credential is told first that it may only read. The
writes have their own matrix (test_write_permission_matrix)."""

import pytest
from rest_framework.test import APIClient

from tasks.models import Evidence, TaskUpdate
from tests.api.test_write_permission_matrix import CREATES, WRITES
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TargetFactory, TaskFactory
from tests.url_patterns import API_PATTERNS

pytestmark = pytest.mark.django_db

CALLERS = ["admin", "focal_point", "leader", "superuser", "token", "read_key", "write_key"]
ENDPOINTS = ["provinces", "agencies", "plans", "tasks", "periods", "history", "evidence", "targets"]
# The router's names of the endpoints (api:task-list, api:task-detail).
BASENAMES = ["province", "agency", "plan", "task", "period", "history", "evidence", "target"]


def _rows_of(province):
    """One row of each endpoint in ``province``, by endpoint."""
    agency = AgencyFactory(province=province)
    plan = PlanFactory(province=province)
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    AssignmentFactory(task=task, agency=agency)
    entry = TaskUpdate.objects.create(task=task, kind=TaskUpdate.Kind.REPORT, done="Đã triển khai")
    evidence = Evidence.objects.create(update=entry, reference="Quyết định số 1/QĐ-UBND")
    return {"provinces": province.pk, "agencies": agency.pk, "plans": plan.pk, "tasks": task.pk,
            "periods": task.occurrences.first().pk, "history": entry.pk, "evidence": evidence.pk,
            "targets": TargetFactory(plan=plan).pk}


@pytest.fixture
def world(province, other_province):
    return {"own": _rows_of(province), "other": _rows_of(other_province)}


def _ids(client, endpoint):
    response = client.get(f"/api/v1/{endpoint}/?page_size=200")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("caller", CALLERS)
def test_each_caller_lists_its_provinces_rows_and_none_of_another(callers, world, caller, endpoint):
    ids = _ids(callers[caller], endpoint)

    assert world["own"][endpoint] in ids
    if caller == "superuser":
        assert world["other"][endpoint] in ids
    else:
        assert world["other"][endpoint] not in ids


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("caller", CALLERS)
def test_another_provinces_row_is_not_found(callers, world, caller, endpoint):
    client = callers[caller]

    own = client.get(f"/api/v1/{endpoint}/{world['own'][endpoint]}/")
    other = client.get(f"/api/v1/{endpoint}/{world['other'][endpoint]}/")

    assert own.status_code == 200
    assert other.status_code == (200 if caller == "superuser" else 404)


@pytest.mark.parametrize("caller", [caller for caller in CALLERS if caller != "superuser"])
def test_no_list_leaks_a_row_of_another_province(callers, world, caller):
    other = world["other"]

    leaked = {endpoint: _ids(callers[caller], endpoint) & {other[endpoint]} for endpoint in ENDPOINTS}

    assert leaked == dict.fromkeys(ENDPOINTS, set())


@pytest.mark.parametrize("path", [*(f"/api/v1/{endpoint}/" for endpoint in ENDPOINTS),
                                  "/api/v1/reports/figures/"])
def test_nobody_is_asked_for_credentials(world, path):
    response = APIClient().get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"].startswith("Hãy đăng nhập")


@pytest.mark.parametrize("caller, status", [
    ("admin", 200), ("leader", 200), ("superuser", 200), ("read_key", 200), ("write_key", 200),
    ("focal_point", 403), ("token", 403),
])
def test_the_report_figures_are_for_the_dashboards_readers(callers, world, caller, status):
    plan = world["own"]["plans"]

    assert callers[caller].get(f"/api/v1/reports/figures/?plan={plan}&period=2024").status_code == status


@pytest.mark.parametrize("caller", ["token", "read_key"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_read_only_credential_is_refused_a_write(callers, world, caller, method):
    task = world["own"]["tasks"]
    path = "/api/v1/tasks/" if method == "post" else f"/api/v1/tasks/{task}/"

    response = getattr(callers[caller], method)(path, {}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Mã truy cập hoặc khóa API này chỉ được đọc dữ liệu."}


@pytest.mark.parametrize("caller", ["write_key", "admin"])
def test_tasks_are_not_created_through_the_api(callers, world, caller):
    response = callers[caller].post("/api/v1/tasks/", {}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": "Không được dùng phương thức POST ở đây."}


def test_nobody_is_refused_a_write_before_anything_else(world):
    assert APIClient().post("/api/v1/tasks/", {}, format="json").status_code == 401


def test_the_matrix_covers_every_endpoint_of_the_api():
    # The pages' matrix leaves the API's URLs to this one: an endpoint added is added here too.
    covered = {*(f"api:{basename}-{kind}" for basename in BASENAMES for kind in ("list", "detail")),
               *(f"api:{name}" for name in (*WRITES, *CREATES)), "api:extension-list", "api:extension-detail",
               "api:import-detail", "api:report-figures", "api:schema", "api:docs", None}  # None: JSON 404

    assert {name for name, _route in API_PATTERNS} == covered
