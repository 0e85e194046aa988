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
