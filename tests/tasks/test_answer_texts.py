"""The lead cells of many tasks read at once (TaskAssignment.objects.answer_texts, the reports'
lists) say what each task's own page says: the same words for a plain agency, words printed with no
agency, two leads, an agency merged into another, a hand-over before and after its date, and cells
shared by many tasks."""

import datetime

import pytest

from agencies.models import AgencyKind
from tasks.handover import hand_over
from tasks.models import AssignmentRole, Task, TaskAssignment
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db

JULY = datetime.date(2025, 7, 1)
DAYS = [datetime.date(2025, 6, 30), datetime.date(2026, 12, 2)]


@pytest.fixture
def tasks(plan, province, lead_agency):
    made = {}

    def task(name, *leads, coordinator=None):
        made[name] = TaskFactory(plan=plan, code=name)
        for position, (agency, mention) in enumerate(leads):
            AssignmentFactory(task=made[name], agency=agency, mention=mention, position=position)
        if coordinator:
            AssignmentFactory(task=made[name], agency=coordinator, mention=coordinator.name,
                              role=AssignmentRole.COORDINATOR)

    merged_into = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    merged = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông",
                           active_until=datetime.date(2025, 2, 28), successor=merged_into)
    districts = AgencyFactory(province=province, name="UBND cấp huyện", kind=AgencyKind.GROUP,
                              active_until=datetime.date(2025, 6, 30))
    communes = AgencyFactory(province=province, name="UBND các xã, phường", kind=AgencyKind.COMMUNE_GROUP,
                             active_from=JULY)
    task("plain", (lead_agency, "Sở Nội vụ"))
    task("printed only", (None, "Văn phòng Chính phủ"))
    task("two leads", (lead_agency, "Sở Nội vụ"), (merged, "Sở TT&TT"))
    task("merged", (merged, "Sở Thông tin và Truyền thông"))
    task("coordinator only", coordinator=lead_agency)
    for name in ("handed over", "handed over too"):
        task(name, (districts, "UBND các huyện, thị xã, thành phố"))
        hand_over(Task.objects.filter(pk=made[name].pk), from_agency=districts, to_agencies=[communes],
                  role=AssignmentRole.LEAD, decision="Quyết định 1/QĐ-UBND", effective_on=JULY)
    for copy in range(3):
        task(f"same cell {copy}", (lead_agency, "Sở Nội vụ"), (merged, "Sở TT&TT"))
    return made


def _on_its_page(task, day):
    loaded = Task.objects.with_state(day).with_assignments().get(pk=task.pk)
    return "; ".join(str(line) for line in loaded.leads)


@pytest.mark.parametrize("day", DAYS)
def test_each_cell_reads_as_on_the_tasks_page(tasks, day):
    texts = TaskAssignment.objects.answer_texts([t.pk for t in tasks.values()], AssignmentRole.LEAD, day)

    assert {name: texts.get(t.pk, "") for name, t in tasks.items()} == {
        name: _on_its_page(t, day) for name, t in tasks.items()}


def test_the_words_of_a_merger_and_a_hand_over(tasks):
    texts = TaskAssignment.objects.answer_texts([t.pk for t in tasks.values()], AssignmentRole.LEAD, DAYS[1])

    assert texts[tasks["merged"].pk] == (
        "Sở Thông tin và Truyền thông → Sở Khoa học và Công nghệ, từ 01/03/2025")
    assert texts[tasks["handed over"].pk] == (
        "UBND các huyện, thị xã, thành phố → UBND các xã, phường, từ 01/07/2025")
    assert texts[tasks["printed only"].pk] == "Văn phòng Chính phủ"
    assert tasks["coordinator only"].pk not in texts


def test_two_queries_whatever_the_tasks(tasks, django_assert_num_queries):
    with django_assert_num_queries(2):  # the assignments, their agencies
        TaskAssignment.objects.answer_texts([t.pk for t in tasks.values()], AssignmentRole.LEAD, DAYS[1])
