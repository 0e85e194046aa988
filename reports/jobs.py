"""Background jobs of the reports app (Celery autodiscovers ``jobs`` modules).

``convert_pdf`` is routed to its own queue, ``pdf`` (``CELERY_TASK_ROUTES`` in the settings): the
worker consuming it (``worker-pdf`` in docker-compose.yml) caps how many LibreOffice conversions
run at once by its concurrency, and a long queue of conversions never delays reminders or imports.
"""

from celery import shared_task

from reports import pdf_exports


@shared_task
def convert_pdf(export_id):
    """Convert a queued PDF export; its page follows the status. The old exports' files are removed
    first: one indexed query when there are none, and no schedule to keep."""
    pdf_exports.remove_old()
    pdf_exports.convert(export_id)
