"""A report names the province's People's Committee as the catalogue does: a city is "thành phố"
(Đà Nẵng since 1 July 2025 holds the former Quảng Nam), not "tỉnh" written for every province."""

import pytest

from agencies.models import AgencyKind
from reports.services import addressee_committee, parent_body
from tests.factories import AgencyFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def da_nang():
    province = ProvinceFactory(name="Đà Nẵng", slug="da-nang")
    AgencyFactory(province=province, name="UBND thành phố", kind=AgencyKind.PROVINCE_OFFICE)
    return province


def test_a_citys_department_reports_under_the_city_committee(da_nang):
    department = AgencyFactory(province=da_nang, name="Sở Nội vụ")

    assert parent_body(department, da_nang) == "UBND thành phố Đà Nẵng"


def test_a_city_report_is_addressed_to_the_city_committee_in_full(da_nang):
    assert addressee_committee(da_nang) == "Ủy ban nhân dân thành phố Đà Nẵng"


def test_a_province_without_its_committee_in_the_catalogue_is_a_tinh():
    province = ProvinceFactory(name="Đồng Tháp", slug="dong-thap")

    assert (parent_body(None, province), addressee_committee(province)) == (
        "UBND tỉnh Đồng Tháp", "Ủy ban nhân dân tỉnh Đồng Tháp"
    )


def test_a_unit_under_a_department_reports_under_that_department(da_nang):
    department = AgencyFactory(province=da_nang, name="Sở Y tế")
    unit = AgencyFactory(province=da_nang, name="Trung tâm Kiểm soát bệnh tật", parent=department)

    assert parent_body(unit, da_nang) == "Sở Y tế"
