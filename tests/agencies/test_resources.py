import pytest
import tablib

from agencies.models import AgencyAlias
from agencies.resources import AgencyResource
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(province):
    parent = AgencyFactory(province=province, name="UBND tỉnh", kind="province_office")
    agency = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông", parent=parent)
    AgencyAlias.objects.create(agency=agency, name="Sở TT&TT")
    AgencyAlias.objects.create(agency=agency, name="STTTT")
    return agency


def test_round_trip_changes_nothing(agencies):
    exported = AgencyResource().export()

    result = AgencyResource().import_data(tablib.Dataset().load(exported.csv, format="csv"), dry_run=False)

    assert not result.has_errors()
    assert {row.import_type for row in result.rows} == {"skip"}


def test_import_adds_an_alias(agencies):
    dataset = AgencyResource().export()
    row = dataset.dict[1]
    row["aliases"] += "|Sở Thông tin - Truyền thông"
    dataset = tablib.Dataset(*[list(r.values()) for r in [dataset.dict[0], row]], headers=dataset.headers)

    AgencyResource().import_data(dataset, dry_run=False)

    assert set(agencies.aliases.values_list("name", flat=True)) == {
        "Sở TT&TT", "STTTT", "Sở Thông tin - Truyền thông"
    }
