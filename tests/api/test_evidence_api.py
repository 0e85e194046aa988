"""/api/v1/evidence/: what supports reports, as metadata: never the file's contents."""

import pytest
from django.core.files.base import ContentFile

from tasks.models import Evidence, TaskUpdate
from tests.api.conftest import signed_in
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _evidence(task, **fields):
    update = TaskUpdate.objects.create(task=task, kind=TaskUpdate.Kind.REPORT)
    return Evidence.objects.create(update=update, **fields)


def test_it_gives_a_files_metadata(province_admin, task):
    evidence = _evidence(task, original_name="bao-cao.pdf", content_type="application/pdf", size=2048,
                         file=ContentFile(b"%PDF-1.4 secret words", name="x.pdf"))

    row = signed_in(province_admin).get(f"/api/v1/evidence/{evidence.pk}/").json()

    assert row == {
        "id": evidence.pk, "update": evidence.update_id, "task": task.pk, "reference": "",
        "original_name": "bao-cao.pdf", "content_type": "application/pdf", "size": 2048, "has_file": True,
        "portal_url": f"/tasks/evidence/{evidence.pk}/",
    }


def test_it_gives_a_document_reference_without_a_file(province_admin, task):
    evidence = _evidence(task, reference="Quyết định số 123/QĐ-UBND ngày 12/6/2024")

    row = signed_in(province_admin).get(f"/api/v1/evidence/{evidence.pk}/").json()

    assert (row["reference"], row["has_file"], row["portal_url"]) == (evidence.reference, False, None)


def test_it_filters_evidence_by_task(province_admin, plan, task):
    mine = _evidence(task, reference="QĐ 1")
    _evidence(TaskFactory(plan=plan), reference="QĐ 2")

    rows = signed_in(province_admin).get(f"/api/v1/evidence/?task={task.pk}").json()["results"]

    assert [row["id"] for row in rows] == [mine.pk]


def test_evidence_of_another_province_is_not_found(province_admin, other_task):
    evidence = _evidence(other_task, reference="QĐ 9")

    assert signed_in(province_admin).get(f"/api/v1/evidence/{evidence.pk}/").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_evidence_list_makes_the_same_number_of_queries_whatever_the_rows(
    province_admin, task, count, django_assert_num_queries
):
    for n in range(count):
        _evidence(task, reference=f"QĐ {n}")
    client = signed_in(province_admin)

    # session, user, evidence with its entries
    with django_assert_num_queries(3):
        response = client.get("/api/v1/evidence/?page_size=200")

    assert len(response.json()["results"]) == count
