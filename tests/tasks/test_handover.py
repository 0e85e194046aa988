"""Handing tasks over (chuyển giao) by a dated decision: the service, what follows it, the page."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import AgencyKind, Role
from tasks.answering import answer_text
from tasks.handover import hand_over, open_tasks_of
from tasks.models import AssignmentRole, Notification, NotificationKind, Task, TaskUpdate
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

JULY = datetime.date(2025, 7, 1)
DECISION = "Quyết định số 1568/QĐ-UBND ngày 18/07/2025"


@pytest.fixture
def districts(province):
    return AgencyFactory(province=province, name="UBND cấp huyện", kind=AgencyKind.GROUP,
                         active_until=datetime.date(2025, 6, 30))


@pytest.fixture
def communes(province):
    return AgencyFactory(province=province, name="UBND các xã, phường", kind=AgencyKind.COMMUNE_GROUP,
                         active_from=JULY)


@pytest.fixture
def district_task(plan, districts):
    task = TaskFactory(plan=plan, code="II.4", deadline_text="Năm 2026")
    AssignmentFactory(task=task, agency=districts, mention="UBND các huyện, thị xã, thành phố", position=0)
    return task


def _hand_over(task, to, **kwargs):
    return hand_over(Task.objects.filter(pk=task.pk), from_agency=kwargs.pop("from_agency"), to_agencies=to,
                     role=AssignmentRole.LEAD, decision=DECISION, effective_on=JULY, **kwargs)


def test_the_former_assignment_ends_the_day_before_and_keeps_the_printed_words(
    district_task, districts, communes
):
    _hand_over(district_task, [communes], from_agency=districts)

    former = district_task.assignments.get(agency=districts)
    assert (former.mention, former.active_until) == (
        "UBND các huyện, thị xã, thành phố", datetime.date(2025, 6, 30)
    )


def test_the_new_agency_answers_from_the_date(district_task, districts, communes):
    _hand_over(district_task, [communes], from_agency=districts)

    assert Task.objects.for_agency(communes, on=JULY).filter(pk=district_task.pk).exists()
    assert not Task.objects.for_agency(communes, on=datetime.date(2025, 6, 30)).exists()


def test_a_day_before_the_hand_over_the_former_agency_still_answers(district_task, districts, communes):
    _hand_over(district_task, [communes], from_agency=districts)

    june = datetime.date(2025, 6, 30)
    assert Task.objects.for_agency(districts, on=june).filter(pk=district_task.pk).exists()


def test_the_task_shows_who_answers_beside_what_was_printed(district_task, districts, communes):
    _hand_over(district_task, [communes], from_agency=districts)
    task = Task.objects.with_assignments().get(pk=district_task.pk)

    assert answer_text(task.assignments.all(), AssignmentRole.LEAD, datetime.date(2026, 12, 2)) == (
        "UBND các huyện, thị xã, thành phố → UBND các xã, phường, từ 01/07/2025"
    )
    assert answer_text(task.assignments.all(), AssignmentRole.LEAD, datetime.date(2025, 6, 1)) == (
        "UBND các huyện, thị xã, thành phố"
    )


def test_the_history_records_the_hand_over_with_its_decision(
    district_task, districts, communes, province_admin
):
    _hand_over(district_task, [communes], from_agency=districts, user=province_admin)

    entry = district_task.updates.get(kind=TaskUpdate.Kind.HANDOVER)
    assert entry.changes == {"lead": ["UBND các huyện, thị xã, thành phố", "UBND các xã, phường"]}
    assert DECISION in entry.note and entry.author == province_admin


def test_the_new_agencys_focal_points_are_told(district_task, districts, communes):
    focal_point = UserFactory(province=communes.province, agency=communes)

    _hand_over(district_task, [communes], from_agency=districts)

    assert Notification.objects.filter(recipient=focal_point, kind=NotificationKind.ASSIGNED).exists()


def test_the_task_is_no_longer_orphaned(district_task, districts, communes):
    today = datetime.date(2026, 12, 2)
    assert Task.objects.orphaned(today).exists()

    _hand_over(district_task, [communes], from_agency=districts)

    assert not Task.objects.orphaned(today).exists()


def test_several_agencies_may_take_it_over(district_task, districts, communes, lead_agency):
    _hand_over(district_task, [communes, lead_agency], from_agency=districts)

    assert set(district_task.assignments.filter(active_from=JULY).values_list("agency", flat=True)) == {
        communes.pk, lead_agency.pk
    }


def test_an_agency_already_assigned_is_not_assigned_twice(district_task, districts, communes, lead_agency):
    AssignmentFactory(task=district_task, agency=lead_agency, position=1)

    _hand_over(district_task, [lead_agency], from_agency=districts)

    assert district_task.assignments.filter(agency=lead_agency).count() == 1


def test_the_tasks_of_an_agency_merged_into_another_are_handed_over_with_its_own(plan, province, communes):
    science = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    ict = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông",
                        active_until=datetime.date(2025, 2, 28), successor=science)
    task = TaskFactory(plan=plan, deadline_text="Năm 2026")
    AssignmentFactory(task=task, agency=ict)

    assert list(open_tasks_of(science, Task.objects.all(), JULY)) == [task]


def test_completed_work_is_not_offered_for_hand_over(district_task, districts):
    Task.objects.filter(pk=district_task.pk).update(status="completed")

    assert not open_tasks_of(districts, Task.objects.all(), JULY).exists()


# --- the page --------------------------------------------------------------------------------------


def test_the_admin_hands_the_open_tasks_over_from_the_agency_page(client, province_admin, district_task,
                                                                 districts, communes):
    client.force_login(province_admin)
    url = reverse("tasks:handover") + f"?agency={districts.pk}"
    assert district_task in client.get(url).context["tasks"]

    response = client.post(url, {
        "tasks": [district_task.pk], "role": "lead", "to_agencies": [communes.pk],
        "decision": DECISION, "effective_on": "01/07/2025", "note": "",
    })

    assert response.status_code == 302
    assert Task.objects.for_agency(communes).filter(pk=district_task.pk).exists()


def test_an_agency_not_in_force_on_the_date_is_refused_with_a_message(client, province_admin, district_task,
                                                                     districts, communes):
    client.force_login(province_admin)

    response = client.post(reverse("tasks:handover") + f"?agency={districts.pk}", {
        "tasks": [district_task.pk], "role": "lead", "to_agencies": [communes.pk],
        "decision": DECISION, "effective_on": "15/06/2025",
    })

    assert "Không hoạt động vào ngày 15/06/2025" in response.content.decode()
    assert not district_task.assignments.filter(agency=communes).exists()


def test_a_focal_point_cannot_hand_over(client, lead_focal_point, districts):
    client.force_login(lead_focal_point)

    assert client.get(reverse("tasks:handover") + f"?agency={districts.pk}").status_code == 403


def test_an_agency_of_another_province_is_not_found(client, other_admin, districts):
    client.force_login(other_admin)

    assert client.get(reverse("tasks:handover") + f"?agency={districts.pk}").status_code == 404


@pytest.mark.parametrize("agency", ["", "abc", "²"])
def test_a_malformed_agency_is_answered_with_a_message(client, province_admin, agency):
    client.force_login(province_admin)

    response = client.get(reverse("tasks:handover"), {"agency": agency}, follow=True)

    assert response.status_code == 200 and "Hãy chọn đơn vị" in response.content.decode()


def test_a_leader_cannot_hand_over(client, province, districts):
    client.force_login(UserFactory(province=province, role=Role.LEADER, agency=None))

    assert client.get(reverse("tasks:handover") + f"?agency={districts.pk}").status_code == 403
