"""The schedule of the scan that fails imports left for dead (``plans.jobs.fail_stale_imports``),
editable afterwards in the admin (django-celery-beat)."""

from django.db import migrations

NAME = "Kết thúc các lượt nhập phụ lục bị treo"
TASK = "plans.jobs.fail_stale_imports"
EVERY_MINUTES = 5


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _created = IntervalSchedule.objects.get_or_create(every=EVERY_MINUTES, period="minutes")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "interval": interval})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_plan_horizon_and_awaiting"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
