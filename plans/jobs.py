"""Background jobs of the plans app (Celery autodiscovers ``jobs`` modules)."""

from celery import shared_task

from plans.importing import preview_in_background
from plans.models import AppendixImport


@shared_task
def read_appendix(import_id):
    """Read a large uploaded appendix into its preview; the import page follows its progress."""
    record = AppendixImport.objects.select_related("province").filter(pk=import_id).first()
    if record is not None:
        preview_in_background(record)
