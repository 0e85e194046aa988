"""How an import's preview is stored: a 20,000-task preview is tens of megabytes of JSON."""

import datetime

import pytest
from django.db import connection

from plans.models import AppendixImport, ImportStatus
from tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db


def _server_has_lz4():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        return cursor.fetchone() is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL column compression")
def test_a_large_preview_is_compressed_with_lz4():
    if not _server_has_lz4():
        pytest.skip("this PostgreSQL server was built without LZ4")
    tasks = [{"code": str(n), "title": f"Nhiệm vụ số {n} của kế hoạch", "row": n} for n in range(2000)]
    record = AppendixImport.objects.create(
        province=ProvinceFactory(), original_name="phu-luc.xlsx", status=ImportStatus.DONE,
        reference_date=datetime.date(2026, 1, 5),
        preview={"tasks": tasks, "issues": []}, result={"created": 2000},
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(preview) FROM plans_appendiximport WHERE id = %s", [record.pk]
        )
        assert cursor.fetchone() == ("lz4",)
    record.refresh_from_db()
    assert record.preview["tasks"][1999]["title"] == "Nhiệm vụ số 1999 của kế hoạch"
