import pytest
import tablib

from tasks.resources import TaskResource

pytestmark = pytest.mark.django_db


def test_round_trip_changes_nothing(task):
    exported = TaskResource().export()

    result = TaskResource().import_data(tablib.Dataset().load(exported.csv, format="csv"), dry_run=False)

    assert not result.has_errors()
    assert {row.import_type for row in result.rows} == {"skip"}


def test_export_lists_agencies_as_printed(task):
    row = TaskResource().export().dict[0]

    assert row["lead"] == "Sở Nội vụ"
    assert row["code"] == "I.1"


def test_status_cannot_be_changed_through_a_sheet(task):
    exported = TaskResource().export()
    rows = [{**row, "status": "completed"} for row in exported.dict]
    dataset = tablib.Dataset(*[list(row.values()) for row in rows], headers=exported.headers)

    TaskResource().import_data(dataset, dry_run=False)

    task.refresh_from_db()
    assert task.status == "not_started"
