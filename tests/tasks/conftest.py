"""Who works on the ``task`` fixture besides its lead: a coordinating agency, an agency with no part
in it, an agency merged into the lead; and a private MEDIA_ROOT so uploaded evidence never lands in var/."""

import datetime

import pytest

from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory, UserFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def coordinating_agency(province, task):
    agency = AgencyFactory(province=province, name="Văn phòng UBND tỉnh")
    AssignmentFactory(task=task, agency=agency, role="coordinator")
    return agency


@pytest.fixture
def coordinator_focal_point(province, coordinating_agency):
    return UserFactory(province=province, agency=coordinating_agency, username="dt.vpubnd")


@pytest.fixture
def unrelated_focal_point(province):
    return UserFactory(province=province, agency=AgencyFactory(province=province, name="Sở Y tế"))


@pytest.fixture
def reachable_focal_point(lead_focal_point):
    """The lead's focal point, with an e-mail address to be reminded at."""
    lead_focal_point.email = "noivu@example.vn"
    lead_focal_point.save()
    return lead_focal_point


@pytest.fixture
def merged_agency(province, lead_agency):
    """Sở Lao động - Thương binh và Xã hội, merged into the lead agency (Sở Nội vụ) on 01/03/2025."""
    return AgencyFactory(
        province=province,
        name="Sở Lao động - Thương binh và Xã hội",
        active_until=datetime.date(2025, 2, 28),
        successor=lead_agency,
    )


@pytest.fixture
def merged_agency_task(plan, merged_agency):
    """A task of the merged agency, due at the end of the first quarter of 2025."""
    task = TaskFactory(plan=plan, code="II.4", deadline_text="Quý I năm 2025")
    AssignmentFactory(task=task, agency=merged_agency)
    return task
