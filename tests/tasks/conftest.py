"""Who works on the ``task`` fixture besides its lead: a coordinating agency, an agency with no part
in it; and a private MEDIA_ROOT so uploaded evidence never lands in var/."""

import pytest

from tests.factories import AgencyFactory, AssignmentFactory, UserFactory


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
