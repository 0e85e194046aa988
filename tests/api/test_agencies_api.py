"""/api/v1/provinces/ and /api/v1/agencies/: the catalogue a caller sees, with aliases, groups,
members, dates and successors."""

import datetime

import pytest

from agencies.models import AgencyAlias, AgencyKind
from tests.api.conftest import signed_in
from tests.factories import AgencyFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_callers_province_and_those_merged_into_it(province, other_province, province_admin):
    merged = ProvinceFactory(name="Tiền Giang", slug="tien-giang", active_until=datetime.date(2025, 6, 30),
                             successor=province)

    rows = signed_in(province_admin).get("/api/v1/provinces/").json()["results"]

    assert {row["slug"] for row in rows} == {"dong-thap", "tien-giang"}
    assert next(row for row in rows if row["id"] == merged.pk)["label"] == "Tiền Giang (cũ)"


def test_a_superuser_sees_every_province(province, other_province, superuser):
    rows = signed_in(superuser).get("/api/v1/provinces/").json()["results"]

    assert {row["slug"] for row in rows} == {"dong-thap", "quang-nam"}


def test_it_gives_an_agencys_aliases_groups_and_successor(province, province_admin):
    successor = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    agency = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông",
                           active_until=datetime.date(2025, 2, 28), successor=successor)
    AgencyAlias.objects.create(agency=agency, name="Sở TT&TT")
    group = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    group.members.add(agency)

    row = signed_in(province_admin).get(f"/api/v1/agencies/{agency.pk}/").json()

    assert row["aliases"] == ["Sở TT&TT"]
    assert row["groups"] == [group.pk]
    assert (row["active_until"], row["successor"]) == ("2025-02-28", successor.pk)


def test_it_gives_a_groups_members(province, province_admin, lead_agency):
    group = AgencyFactory(province=province, kind=AgencyKind.GROUP)
    group.members.add(lead_agency)

    row = signed_in(province_admin).get(f"/api/v1/agencies/{group.pk}/").json()

    assert (row["is_group"], row["members"]) == (True, [lead_agency.pk])


def test_it_finds_an_agency_by_alias(province, province_admin, lead_agency):
    AgencyAlias.objects.create(agency=lead_agency, name="SNV")
    AgencyFactory(province=province)

    rows = signed_in(province_admin).get("/api/v1/agencies/?q=snv").json()["results"]

    assert [row["id"] for row in rows] == [lead_agency.pk]


def test_it_filters_agencies_by_kind(province, province_admin, lead_agency):
    police = AgencyFactory(province=province, kind=AgencyKind.POLICE)

    rows = signed_in(province_admin).get("/api/v1/agencies/?kind=police").json()["results"]

    assert [row["id"] for row in rows] == [police.pk]


def test_an_agency_of_another_province_is_not_found(province_admin, other_province):
    agency = AgencyFactory(province=other_province)

    assert signed_in(province_admin).get(f"/api/v1/agencies/{agency.pk}/").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_agency_list_makes_the_same_number_of_queries_whatever_the_rows(
    province, province_admin, count, django_assert_num_queries
):
    group = AgencyFactory(province=province, kind=AgencyKind.GROUP)
    for _ in range(count):
        agency = AgencyFactory(province=province)
        AgencyAlias.objects.create(agency=agency, name=f"Alias {agency.pk}")
        group.members.add(agency)
    client = signed_in(province_admin)

    # session, user, agencies, aliases, groups, members
    with django_assert_num_queries(6):
        response = client.get("/api/v1/agencies/?page_size=200")

    assert len(response.json()["results"]) == count + 2  # and the group, and the admin's agency
