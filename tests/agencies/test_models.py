import datetime

import pytest
from django.core.exceptions import ValidationError

from agencies.models import Agency, Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_merged_agency_hands_over_to_its_successor():
    science = AgencyFactory(name="Sở Khoa học và Công nghệ")
    ict = AgencyFactory(
        province=science.province,
        name="Sở Thông tin và Truyền thông",
        active_until=datetime.date(2025, 2, 28),
        successor=science,
    )

    assert ict.in_office_on(datetime.date(2025, 2, 28)) == ict
    assert ict.in_office_on(datetime.date(2025, 3, 1)) == science


def test_active_excludes_agencies_after_their_end():
    old = AgencyFactory(active_until=datetime.date(2025, 2, 28))

    assert old in Agency.objects.active(on=datetime.date(2025, 2, 28))
    assert old not in Agency.objects.active(on=datetime.date(2025, 3, 1))


def test_agencies_are_visible_only_in_their_province(province, other_admin):
    agency = AgencyFactory(province=province)

    assert agency not in Agency.objects.visible_to(other_admin)


def test_focal_point_needs_an_agency(province):
    user = UserFactory.build(province=province, agency=None, role=Role.FOCAL_POINT)

    with pytest.raises(ValidationError, match="agency"):
        user.clean()


def test_user_agency_must_be_in_the_users_province(province, other_province):
    user = UserFactory.build(province=province, agency=AgencyFactory(province=other_province))

    with pytest.raises(ValidationError, match="agency"):
        user.clean()
