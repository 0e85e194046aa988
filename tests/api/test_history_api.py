"""/api/v1/history/: a task's history entries, a withdrawn comment's words hidden as on the pages."""

import pytest

from tasks.models import Evidence, TaskUpdate
from tests.api.conftest import signed_in
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _comment(task, author, text="Đề nghị @Sở Nội vụ bổ sung"):
    return TaskUpdate.objects.create(task=task, author=author, kind=TaskUpdate.Kind.COMMENT, note=text,
                                     mentions=[{"start": 8, "end": 18, "agency": 1, "name": "Sở Nội vụ"}])


def test_it_lists_a_tasks_entries(province_admin, lead_focal_point, task):
    report = TaskUpdate.objects.create(task=task, author=lead_focal_point, kind=TaskUpdate.Kind.REPORT,
                                       done="Đã ban hành", changes={"progress": [0, 40]})

    rows = signed_in(province_admin).get(f"/api/v1/history/?task={task.pk}").json()["results"]

    assert [(row["id"], row["kind"], row["done"]) for row in rows] == [(report.pk, "report", "Đã ban hành")]
    assert rows[0]["changes"] == {"progress": [0, 40]}
    assert rows[0]["author_name"] == lead_focal_point.display_name


def test_it_gives_a_comments_words(province_admin, leader, task):
    _comment(task, leader)

    row = signed_in(province_admin).get("/api/v1/history/").json()["results"][0]

    assert (row["note"], row["withdrawn"]) == ("Đề nghị @Sở Nội vụ bổ sung", None)


def test_it_hides_a_withdrawn_comments_words(province_admin, leader, task):
    comment = _comment(task, leader)
    TaskUpdate.objects.create(task=task, author=leader, kind=TaskUpdate.Kind.WITHDRAWAL, withdraws=comment)

    rows = signed_in(province_admin).get("/api/v1/history/").json()["results"]

    assert [(row["id"], row["note"], row["mentions"]) for row in rows] == [(comment.pk, "", [])]
    assert rows[0]["withdrawn"]["by"] == leader.display_name


def test_it_gives_the_evidence_of_an_entry(province_admin, lead_focal_point, task):
    report = TaskUpdate.objects.create(task=task, author=lead_focal_point, kind=TaskUpdate.Kind.REPORT)
    evidence = Evidence.objects.create(update=report, reference="Quyết định số 123/QĐ-UBND")

    row = signed_in(province_admin).get(f"/api/v1/history/{report.pk}/").json()

    assert row["evidence"] == [evidence.pk]


def test_it_filters_entries_by_kind(province_admin, lead_focal_point, leader, task):
    _comment(task, leader)
    TaskUpdate.objects.create(task=task, author=lead_focal_point, kind=TaskUpdate.Kind.REPORT)

    rows = signed_in(province_admin).get("/api/v1/history/?kind=comment").json()["results"]

    assert [row["kind"] for row in rows] == ["comment"]


def test_an_entry_of_another_province_is_not_found(province_admin, other_admin, other_task):
    entry = _comment(other_task, other_admin)

    assert signed_in(province_admin).get(f"/api/v1/history/{entry.pk}/").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_history_makes_the_same_number_of_queries_whatever_the_rows(
    province_admin, leader, plan, count, django_assert_num_queries
):
    for _ in range(count):
        comment = _comment(TaskFactory(plan=plan), leader)
        TaskUpdate.objects.create(task=comment.task, author=leader, kind="withdrawal", withdraws=comment)
        Evidence.objects.create(
            update=TaskUpdate.objects.create(task=comment.task, kind=TaskUpdate.Kind.REPORT), reference="QĐ")
    client = signed_in(province_admin)

    # session, user, entries with their authors and withdrawals, evidence
    with django_assert_num_queries(4):
        response = client.get("/api/v1/history/?page_size=200")

    assert len(response.json()["results"]) == 2 * count
