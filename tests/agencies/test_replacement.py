"""Which agency is proposed in place of one that does not exist on a plan's date (pure rules)."""

import datetime

from agencies.models import AgencyKind
from agencies.replacement import DatedAgency, OutOfForce, Replacements

D = datetime.date
ENDED_FEBRUARY = {"active_until": D(2025, 2, 28)}
ICT = DatedAgency("Sở Thông tin và Truyền thông", AgencyKind.DEPARTMENT, **ENDED_FEBRUARY,
                  successor="Sở Khoa học và Công nghệ")
SCIENCE = DatedAgency("Sở Khoa học và Công nghệ", AgencyKind.DEPARTMENT)
DISTRICTS = DatedAgency("UBND cấp huyện", AgencyKind.GROUP, active_until=D(2025, 6, 30), district_level=True)
COMMUNES = DatedAgency("UBND các xã, phường", AgencyKind.COMMUNE_GROUP, active_from=D(2025, 7, 1))
OLD_COMMUNES = DatedAgency("UBND cấp xã", AgencyKind.COMMUNE_GROUP)


def test_an_agency_in_force_on_the_day_needs_no_replacement():
    assert Replacements([ICT, SCIENCE]).out_of_force(ICT.name, D(2025, 2, 28)) is None


def test_a_merged_agency_is_replaced_by_its_successor_from_the_day_after_it_ended():
    found = Replacements([ICT, SCIENCE]).out_of_force(ICT.name, D(2025, 3, 1))

    assert found == OutOfForce(ended_on=D(2025, 3, 1), begins_on=None, proposal=SCIENCE.name)


def test_successors_are_followed_while_they_have_ended_too():
    science = DatedAgency(SCIENCE.name, AgencyKind.DEPARTMENT, active_until=D(2025, 12, 31),
                          successor="Sở Khoa học, Công nghệ và Đổi mới")
    newest = DatedAgency("Sở Khoa học, Công nghệ và Đổi mới", AgencyKind.DEPARTMENT)

    found = Replacements([ICT, science, newest]).out_of_force(ICT.name, D(2026, 1, 15))

    assert found.proposal == newest.name


def test_a_cycle_of_successors_typed_in_admin_proposes_nobody():
    first = DatedAgency("Sở A", AgencyKind.DEPARTMENT, **ENDED_FEBRUARY, successor="Sở B")
    second = DatedAgency("Sở B", AgencyKind.DEPARTMENT, **ENDED_FEBRUARY, successor="Sở A")

    assert Replacements([first, second]).out_of_force("Sở A", D(2026, 1, 1)).proposal is None


def test_the_district_level_is_proposed_the_commune_group_named_like_the_two_level_system():
    found = Replacements([OLD_COMMUNES, DISTRICTS, COMMUNES]).out_of_force(DISTRICTS.name, D(2026, 1, 15))

    assert found == OutOfForce(ended_on=D(2025, 7, 1), begins_on=None, proposal=COMMUNES.name)


def test_another_commune_group_in_force_is_proposed_when_none_has_that_name():
    found = Replacements([OLD_COMMUNES, DISTRICTS]).out_of_force(DISTRICTS.name, D(2026, 1, 15))

    assert found.proposal == OLD_COMMUNES.name


def test_a_district_merged_into_another_district_is_proposed_the_communes_after_july_2025():
    merged = DatedAgency("UBND huyện Nông Sơn", AgencyKind.DISTRICT, active_until=D(2024, 12, 31),
                         successor="UBND huyện Quế Sơn", district_level=True)
    receiving = DatedAgency("UBND huyện Quế Sơn", AgencyKind.DISTRICT, district_level=True)
    replacements = Replacements([merged, receiving, COMMUNES])

    assert replacements.out_of_force(merged.name, D(2025, 3, 1)).proposal == receiving.name
    assert replacements.out_of_force(merged.name, D(2026, 1, 1)).proposal == COMMUNES.name


def test_an_agency_that_begins_after_the_day_is_flagged_without_proposal():
    found = Replacements([COMMUNES]).out_of_force(COMMUNES.name, D(2024, 4, 8))

    assert found == OutOfForce(ended_on=None, begins_on=D(2025, 7, 1), proposal=None)


def test_a_name_outside_the_catalogue_is_not_flagged():
    assert Replacements([SCIENCE]).out_of_force("Văn phòng Chính phủ", D(2026, 1, 1)) is None
