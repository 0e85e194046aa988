"""An import's preview and result compressed with LZ4 on PostgreSQL, where the server has it.

The preview of a 20,000-task appendix is about 20 MB of JSON; PostgreSQL's default compression
(pglz) took about twice as long as LZ4 to store it (bench/README.md, "import_bench.py, end to end
beside COPY"). Only values written afterwards are compressed anew; a server built without LZ4, and
other databases, keep their default.
"""

from django.db import migrations

COLUMNS = ("preview", "result")
TABLE = "plans_appendiximport"


def _lz4_available(cursor):
    cursor.execute(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
    )
    return cursor.fetchone() is not None


def _set_compression(method):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            if method == "lz4" and not _lz4_available(cursor):
                return
            for column in COLUMNS:
                cursor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN "{column}" SET COMPRESSION {method}')

    return operation


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_plan_indicators_required")]

    operations = [migrations.RunPython(_set_compression("lz4"), _set_compression("default"))]
