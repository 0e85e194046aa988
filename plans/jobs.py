"""Background jobs of the plans app (Celery autodiscovers ``jobs`` modules).

Beat runs ``fail_stale_imports`` every five minutes (the schedule is in the database, made by the
migration ``0005_stale_import_scan``: see the django-celery-beat pages of the admin).
"""

from celery import shared_task

from plans import importing
from plans.models import AppendixImport


@shared_task
def read_appendix(import_id):
    """Read a large uploaded appendix into its preview; the import page follows its progress."""
    record = AppendixImport.objects.select_related("province").filter(pk=import_id).first()
    if record is not None:
        importing.preview_in_background(record)


@shared_task
def fail_stale_imports():
    """Give up the imports whose job was lost or whose worker died, so that every import ends."""
    return importing.fail_stale_imports()
