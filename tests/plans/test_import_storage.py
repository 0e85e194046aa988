"""How an import's preview is stored: a 20,000-task preview is tens of megabytes of JSON."""

import datetime
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plans.models import AppendixImport, ImportStatus
from tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db

TASKS = [
    {"code": str(n), "title": f"Nhiệm vụ số {n} của kế hoạch", "row": n, "leads": [], "due": None}
    for n in range(2000)
]


def _record(preview):
    return AppendixImport.objects.create(
        province=ProvinceFactory(), original_name="phu-luc.xlsx", status=ImportStatus.DONE,
        reference_date=datetime.date(2026, 1, 5), preview=preview, result={"created": 2000},
    )


def _stored_bytes(record):
    with connection.cursor() as cursor:
        cursor.execute("SELECT preview FROM plans_appendiximport WHERE id = %s", [record.pk])
        return bytes(cursor.fetchone()[0])


def test_a_preview_reads_back_as_it_was_saved():
    preview = {"tasks": TASKS, "issues": [{"row": 3, "level": "warning", "message": "Thiếu thời hạn"}]}
    record = _record(preview)

    assert AppendixImport.objects.get(pk=record.pk).preview == preview


def test_a_large_preview_is_stored_compressed():
    record = _record({"tasks": TASKS, "issues": []})

    plain = json.dumps({"tasks": TASKS, "issues": []}, ensure_ascii=False).encode()
    assert len(_stored_bytes(record)) < len(plain) / 5


def test_a_new_import_has_an_empty_preview():
    record = _record({})
    record.refresh_from_db()

    assert record.preview == {}


def test_a_changed_preview_is_saved_again():
    record = _record({"tasks": TASKS[:2]})
    record.preview = {"tasks": TASKS[:1], "source": "word"}
    record.save(update_fields=["preview"])

    assert AppendixImport.objects.get(pk=record.pk).preview == {"tasks": TASKS[:1], "source": "word"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL column storage")
def test_postgresql_does_not_compress_the_compressed_preview_again():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'plans_appendiximport'::regclass AND attname = 'preview'"
        )
        assert cursor.fetchone() == ("e",)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_previews_saved_as_json():
    before = [("plans", "0008_import_json_lz4")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    OldImport = executor.loader.project_state(before).apps.get_model("plans", "AppendixImport")
    preview = {"tasks": TASKS[:3], "issues": []}
    OldImport.objects.create(
        province_id=ProvinceFactory(slug="dong-thap").pk, original_name="phu-luc.xlsx",
        status=ImportStatus.PREVIEWED, reference_date=datetime.date(2026, 1, 5), preview=preview,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert AppendixImport.objects.get(province__slug="dong-thap").preview == preview
