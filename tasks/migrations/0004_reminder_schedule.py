"""The default schedule of the reminder jobs, editable afterwards in the admin (django-celery-beat)."""

from django.db import migrations

SCHEDULE = [
    # name, task, minute, hour, day_of_week
    ("Nhắc hạn nhiệm vụ hằng ngày", "tasks.jobs.scan_reminders", "30", "7", "*"),
    ("Tổng hợp hằng tuần cho quản trị tỉnh", "tasks.jobs.send_weekly_digest", "0", "8", "1"),
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, day_of_week in SCHEDULE:
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Ho_Chi_Minh",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_rest in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0003_reminder_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
