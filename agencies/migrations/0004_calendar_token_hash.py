"""Calendar link secrets are stored hashed. Existing links are hashed in place and keep working;
going back clears them (a hash cannot be turned back into its link), and users create new ones."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    User = apps.get_model("agencies", "User")
    for user in User.objects.exclude(calendar_token_hash=None).only("pk", "calendar_token_hash"):
        user.calendar_token_hash = hashlib.sha256(user.calendar_token_hash.encode()).hexdigest()
        user.save(update_fields=["calendar_token_hash"])


def clear_tokens(apps, schema_editor):
    apps.get_model("agencies", "User").objects.update(calendar_token_hash=None)


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0003_province_mergers"),
    ]

    operations = [
        migrations.RenameField(model_name="user", old_name="calendar_token", new_name="calendar_token_hash"),
        migrations.AlterField(
            model_name="user",
            name="calendar_token_hash",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
                verbose_name="calendar link key (hashed)",
            ),
        ),
        migrations.RunPython(hash_tokens, clear_tokens),
    ]
