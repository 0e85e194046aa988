"""/api/v1/schema/ (OpenAPI 3) and /api/v1/docs/ (Swagger UI from the vendored sidecar files, under
the portal's Content-Security-Policy: no inline script, no <style> element)."""

import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PATHS = ["/api/v1/provinces/", "/api/v1/agencies/{id}/", "/api/v1/plans/", "/api/v1/tasks/",
         "/api/v1/tasks/{id}/", "/api/v1/periods/", "/api/v1/history/", "/api/v1/evidence/",
         "/api/v1/reports/figures/"]


@pytest.fixture
def schema():
    return APIClient().get("/api/v1/schema/?format=json").json()


def test_the_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")


@pytest.mark.parametrize("path", PATHS)
def test_the_schema_describes_each_endpoint(schema, path):
    assert "get" in schema["paths"][path]


def test_the_schema_describes_the_bearer_scheme(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]
        ["bearerAuth"]["description"],
    }


def test_the_schema_speaks_vietnamese(schema):
    assert schema["info"]["title"] == "API Cổng theo dõi thực hiện kế hoạch"


def test_the_task_list_documents_its_filters(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]}

    assert {"on", "plan", "agency", "role", "state", "due_within", "due_after", "due_before", "updated_since",
            "cursor", "page_size"} <= names


def test_the_docs_page_has_no_inline_script_or_style():
    response = APIClient().get("/api/v1/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html


def test_the_docs_page_loads_vendored_files_only():
    html = APIClient().get("/api/v1/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)

    assert all(not asset.startswith(("http:", "https:", "//")) for asset in assets)
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset


def test_the_docs_pages_script_points_at_the_schema():
    response = APIClient().get("/api/v1/docs/?script=")

    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in response.content.decode()


def test_writing_the_schema_leaves_the_portals_year_filter_working(province_admin, plan):
    client = APIClient()
    client.force_login(province_admin)
    client.get("/api/v1/schema/")

    page = client.get("/plans/?year=2024")
    api = client.get("/api/v1/plans/?year=2024")

    assert plan.title in page.content.decode()
    assert [row["id"] for row in api.json()["results"]] == [plan.pk]
