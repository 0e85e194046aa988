"""Every .xlsx and .csv the portal writes gives back a formula-like title as text: the plan's task
export, the dashboards' and a plan's progress exports, an agency's report, the admin's exports and the
build_report command. A cell is text when it is a string that no spreadsheet runs as a formula (it
does not start with a formula trigger) and, in .xlsx, openpyxl reads it as a string (data type "s")."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from agencies.resources import AgencyResource
from config.spreadsheets import FORMULA_TRIGGERS
from tasks.resources import TaskResource
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

# What follows the trigger: found in a cell, it marks the hostile text (the title or agency name).
PAYLOAD = 'HYPERLINK("http://x.example/","Bấm vào đây")'
PERIOD = {"period": "2024"}


@pytest.fixture(params=FORMULA_TRIGGERS, ids=repr)
def hostile(request, plan, province):
    """A task of ``plan`` overdue in 2024 (so every report lists it) whose title, and whose lead
    agency's name, start with a formula trigger."""
    agency = AgencyFactory(province=province, name=request.param + PAYLOAD)
    task = TaskFactory(plan=plan, code="I.9", title=request.param + PAYLOAD, deadline_text="Quý I năm 2024")
    AssignmentFactory(task=task, agency=agency)
    return task


def _cells(content, fmt):
    """``(text, openpyxl data type or None for CSV)`` of every cell of the file."""
    if fmt == "csv":
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        return [(cell, None) for row in rows for cell in row]
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [(cell.value, cell.data_type) for sheet in book for row in sheet.iter_rows() for cell in row]


def _hostile_cells(content, fmt):
    cells = [(value, kind) for value, kind in _cells(content, fmt) if PAYLOAD in str(value)]
    assert cells, "the hostile text is not in the file"
    return cells


def _assert_text(content, fmt):
    for value, kind in _hostile_cells(content, fmt):
        assert isinstance(value, str) and not value.startswith(FORMULA_TRIGGERS)
        assert kind in (None, "s")


def _download(client, user, url):
    client.force_login(user)
    response = client.get(url, PERIOD)
    assert response.status_code == 200
    # The plan's task exports stream (a CSV as it is written, an .xlsx from a temporary file).
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_plan_task_export(client, leader, hostile, fmt):
    _assert_text(_download(client, leader, reverse("plans:export", args=[hostile.plan.pk, fmt])), fmt)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_province_dashboard_export(client, leader, hostile, fmt):
    _assert_text(_download(client, leader, reverse("reports:export", args=[fmt])), fmt)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_plan_progress_export(client, leader, hostile, fmt):
    _assert_text(_download(client, leader, reverse("reports:plan_export", args=[hostile.plan.pk, fmt])), fmt)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_agency_report_export(client, province_admin, hostile, fmt):
    agency = hostile.assignments.get().agency
    report = ReportFactory(plan=hostile.plan, agency=agency, created_by=province_admin)
    url = reverse("reports:document_export", args=[report.pk, fmt])
    _assert_text(_download(client, province_admin, url), fmt)


@pytest.mark.parametrize("fmt", [XLSX, CSV], ids=["xlsx", "csv"])
@pytest.mark.parametrize("resource", [TaskResource, AgencyResource])
def test_admin_export(hostile, resource, fmt):
    # The admin's export action: the resource's dataset, written by the chosen format.
    content = fmt().export_data(resource().export())
    _assert_text(content if isinstance(content, bytes) else content.encode(), fmt().get_extension())


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_build_report_command(hostile, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    call_command("build_report", province=hostile.plan.province.slug, period="2024", format=fmt, out=str(out))
    _assert_text(out.read_bytes(), fmt)



EXPORTS = {"plan": lambda plan: reverse("plans:export", args=[plan.pk, "xlsx"]),
           "dashboard": lambda plan: reverse("reports:export", args=["xlsx"])}


@pytest.mark.parametrize("export", EXPORTS)
def test_a_control_character_xml_cannot_carry_is_dropped(client, leader, plan, lead_agency, export):
    # openpyxl refuses "\x0b" (a vertical tab, pasted from Word): the export answered 500.
    task = TaskFactory(plan=plan, code="I.9", title="Rà soát\x0b" + PAYLOAD, deadline_text="Quý I năm 2024")
    AssignmentFactory(task=task, agency=lead_agency)

    content = _download(client, leader, EXPORTS[export](plan))

    assert {value for value, _kind in _hostile_cells(content, "xlsx")} == {"Rà soát" + PAYLOAD}
