"""Celery application. Jobs live in each app's ``jobs.py`` (an app named ``tasks`` owning a
``tasks.py`` would confuse everyone), hence ``related_name="jobs"``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
