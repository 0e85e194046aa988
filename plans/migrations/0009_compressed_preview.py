"""An import's preview stored zlib-compressed (``plans.fields.CompressedJSONField``) instead of as jsonb.

Nothing queries into a preview; PostgreSQL parsing 20 MB of JSON into jsonb was the slowest single
statement of an import (bench/README.md). The column holds compressed bytes, which PostgreSQL is
told not to compress again.
"""

from django.db import migrations

import plans.fields


def pack_previews(apps, schema_editor):
    AppendixImport = apps.get_model("plans", "AppendixImport")
    for record in AppendixImport.objects.only("pk", "preview").iterator(chunk_size=20):
        record.packed_preview = record.preview
        record.save(update_fields=["packed_preview"])


def unpack_previews(apps, schema_editor):
    AppendixImport = apps.get_model("plans", "AppendixImport")
    for record in AppendixImport.objects.only("pk", "packed_preview").iterator(chunk_size=20):
        record.preview = record.packed_preview
        record.save(update_fields=["preview"])


def store_uncompressed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "plans_appendiximport" ALTER COLUMN "preview" SET STORAGE EXTERNAL')


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_import_json_lz4")]

    operations = [
        migrations.AddField(
            model_name="appendiximport",
            name="packed_preview",
            field=plans.fields.CompressedJSONField(blank=True, default=dict, verbose_name="preview"),
        ),
        migrations.RunPython(pack_previews, unpack_previews),
        migrations.RemoveField(model_name="appendiximport", name="preview"),
        migrations.RenameField(model_name="appendiximport", old_name="packed_preview", new_name="preview"),
        migrations.RunPython(store_uncompressed, migrations.RunPython.noop),
    ]
