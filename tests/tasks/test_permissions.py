"""tasks.permissions on plain objects: who may report, contribute, review and edit."""

from types import SimpleNamespace

import pytest

from tasks.permissions import can_contribute, can_edit_plan, can_report, can_review


def _user(role="focal_point", province_id=1, superuser=False):
    return SimpleNamespace(
        is_superuser=superuser,
        province_id=province_id,
        held_province_ids=[province_id],
        is_province_admin=role == "province_admin",
        is_focal_point=role == "focal_point",
    )


def _task(leads=False, coordinates=False, plan_status="active", province_id=1):
    plan = SimpleNamespace(status=plan_status, province_id=province_id)
    return SimpleNamespace(plan=plan, user_leads=leads, user_coordinates=coordinates)


def test_focal_point_of_the_lead_reports():
    assert can_report(_user(), _task(leads=True))


def test_focal_point_of_a_coordinator_does_not_report():
    assert not can_report(_user(), _task(coordinates=True))


def test_leader_of_the_lead_agency_does_not_report():
    assert not can_report(_user(role="leader"), _task(leads=True))


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_nobody_reports_on_a_plan_that_is_not_active(status):
    assert not can_report(_user(), _task(leads=True, plan_status=status))


def test_focal_point_of_a_coordinator_contributes():
    assert can_contribute(_user(), _task(coordinates=True))


def test_focal_point_of_the_lead_alone_does_not_contribute():
    assert not can_contribute(_user(), _task(leads=True))


def test_provincial_admin_reviews_in_their_province_only():
    admin = _user(role="province_admin")

    assert can_review(admin, _task())
    assert not can_review(admin, _task(province_id=2))


def test_superuser_edits_every_plan():
    assert can_edit_plan(_user(role="leader", province_id=None, superuser=True), _task(province_id=9).plan)


def test_can_edit_plan_is_still_importable_from_the_views():
    from tasks.views import can_edit_plan as reexported

    assert reexported is can_edit_plan
