"""Which agency to propose in place of one that does not exist on a plan's date.

Pure: it works on a snapshot of a province's catalogue (``plans.importing.agency_replacements``
loads it), never the database.

An agency merged away is replaced by its successor, followed while that one has ended too (Sở
Thông tin và Truyền thông by Sở Khoa học và Công nghệ from 1 March 2025). District People's
Committees, and groups of them ("UBND cấp huyện"), exist no more from 1 July 2025, when local
government kept two levels: whether or not the catalogue has dated them, a plan of that day or
later is proposed the group of communes and wards that took their tasks over.
"""

import datetime
from dataclasses import dataclass

from agencies.models import AgencyKind
from agencies.names import normalize_name

# Luật Tổ chức chính quyền địa phương 2025: no district level from this day, in every province.
TWO_LEVEL_GOVERNMENT = datetime.date(2025, 7, 1)
COMMUNE_GROUP_NAME = "UBND các xã, phường"
MAX_SUCCESSION_STEPS = 10  # chains are short; the bound guards against a cycle typed in admin


@dataclass(frozen=True)
class DatedAgency:
    """What the replacement rules read of a catalogue agency; ``successor`` is its name."""

    name: str
    kind: str
    active_from: datetime.date | None = None
    active_until: datetime.date | None = None
    successor: str | None = None
    district_level: bool = False  # a district People's Committee, or a group of them only

    def acts_on(self, day):
        """In force on ``day`` and not of the district level abolished by then."""
        in_force = (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )
        return in_force and not self.abolished_on(day)

    def abolished_on(self, day):
        return self.district_level and day >= TWO_LEVEL_GOVERNMENT


@dataclass(frozen=True)
class OutOfForce:
    """Why an agency cannot act on a day, and the agency proposed in its place (None: no agency in
    force to propose)."""

    ended_on: datetime.date | None  # the first day without it, when it ended by the day
    begins_on: datetime.date | None  # the day it comes into existence, when that is later
    proposal: str | None


class Replacements:
    """The replacement rules over one province's catalogue (``DatedAgency`` entries)."""

    def __init__(self, agencies):
        agencies = list(agencies)
        self.agencies = {agency.name: agency for agency in agencies}
        preferred = normalize_name(COMMUNE_GROUP_NAME)
        self._commune_groups = sorted(
            (agency for agency in agencies if agency.kind == AgencyKind.COMMUNE_GROUP),
            key=lambda agency: (normalize_name(agency.name) != preferred, agency.name),
        )

    def out_of_force(self, name, day):
        """``OutOfForce`` of the agency named ``name`` on ``day``; None when it acts on that day (or
        is not in the catalogue)."""
        agency = self.agencies.get(name)
        if agency is None or agency.acts_on(day):
            return None
        if agency.active_from and day < agency.active_from:
            return OutOfForce(ended_on=None, begins_on=agency.active_from, proposal=None)
        if agency.active_until and agency.active_until < day:
            ended_on = agency.active_until + datetime.timedelta(days=1)
        else:  # a district-level agency the catalogue has not dated
            ended_on = TWO_LEVEL_GOVERNMENT
        return OutOfForce(ended_on=ended_on, begins_on=None, proposal=self._proposal(agency, day))

    def _proposal(self, agency, day):
        for _step in range(MAX_SUCCESSION_STEPS):
            if agency.acts_on(day):
                return agency.name
            successor = self.agencies.get(agency.successor) if agency.successor else None
            if successor is None:
                break
            agency = successor
        if agency.abolished_on(day):
            return self._commune_group(day)
        return None

    def _commune_group(self, day):
        """The commune group in force on ``day``, "UBND các xã, phường" first."""
        return next((group.name for group in self._commune_groups if group.acts_on(day)), None)
