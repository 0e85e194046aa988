"""Hand-overs through the API: the hand-over page's form and service, for provincial admins and the
province's read-write key."""

import datetime

import pytest

from agencies.api_keys import Scope
from tasks.models import AssignmentRole, TaskAssignment, TaskUpdate
from tests.api.conftest import bearer, issue_key, issue_token, signed_in
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def commune(province):
    return AgencyFactory(province=province, name="UBND xã Mỹ Hiệp")


def _body(from_agency, to_agencies, **fields):
    return {"from_agency": from_agency.pk, "to_agencies": [a.pk for a in to_agencies], "role": "lead",
            "decision": "Quyết định số 1234/QĐ-UBND ngày 15/07/2025", "effective_on": TODAY.isoformat(),
            **fields}


def _leads(task, on):
    return set(TaskAssignment.objects.in_force(on).filter(task=task, role=AssignmentRole.LEAD)
               .values_list("agency__name", flat=True))


def test_a_system_hands_all_open_tasks_of_an_agency_over(province, task, lead_agency, commune):
    client = bearer(issue_key(province, Scope.READ_WRITE, name="Hệ thống QLVB")[1])

    response = client.post("/api/v1/handovers/", _body(lead_agency, [commune]), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["tasks"] == [task.pk]
    assert _leads(task, TODAY) == {"UBND xã Mỹ Hiệp"}
    assert task.updates.get(kind=TaskUpdate.Kind.HANDOVER).api_client == "Hệ thống QLVB"


def test_only_the_tasks_named_are_handed_over(province_admin, plan, task, lead_agency, commune):
    kept = TaskFactory(plan=plan, code="I.2")
    AssignmentFactory(task=kept, agency=lead_agency)

    response = signed_in(province_admin).post(
        "/api/v1/handovers/", _body(lead_agency, [commune], tasks=[task.pk]), format="json"
    )

    assert response.json()["tasks"] == [task.pk]
    assert _leads(kept, TODAY) == {lead_agency.name}


def test_an_agency_of_another_province_is_refused(province_admin, other_province, task, lead_agency):
    stranger = AgencyFactory(province=other_province)

    response = signed_in(province_admin).post("/api/v1/handovers/", _body(lead_agency, [stranger]),
                                              format="json")

    assert response.status_code == 400
    assert "to_agencies" in response.json()
    assert _leads(task, TODAY) == {lead_agency.name}


def test_the_agency_handing_over_must_be_of_the_province(province_admin, other_province, commune):
    stranger = AgencyFactory(province=other_province)

    response = signed_in(province_admin).post("/api/v1/handovers/", _body(stranger, [commune]), format="json")

    assert response.status_code == 400
    assert response.json() == {"from_agency": ["Hãy chọn một cơ quan của tỉnh."]}


def test_a_focal_point_hands_nothing_over(lead_focal_point, task, lead_agency, commune):
    client = bearer(issue_token(lead_focal_point, Scope.READ_WRITE)[1])

    response = client.post("/api/v1/handovers/", _body(lead_agency, [commune]), format="json")

    assert response.status_code == 403
    assert _leads(task, TODAY) == {lead_agency.name}


def test_the_decision_is_required(province_admin, task, lead_agency, commune):
    response = signed_in(province_admin).post(
        "/api/v1/handovers/", _body(lead_agency, [commune], decision=""), format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"decision"}
