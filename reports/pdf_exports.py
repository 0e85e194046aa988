"""PDF exports converted by the Celery worker, not in the web request: a page queues the report's
.docx (:func:`queue`), the job of the ``pdf`` queue converts it (:func:`convert`), and the export's
page follows it until the file is ready. The deployment caps how many conversions run at once by
that queue's worker concurrency (``PDF_CONCURRENCY`` in docker-compose.yml).

An export that has not moved for ``STALE_AFTER`` is failed: still queued, its job was lost (the
broker restarted) or the queue is hopelessly long; still converting, its worker died. Exports are
kept ``KEPT_FOR``, then removed with their files by the next conversion job (:func:`remove_old`).
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.documents.pdf import PdfUnavailable, convert_docx
from reports.models import PdfExport

STALE_AFTER = datetime.timedelta(minutes=15)  # a conversion times out after two (documents.pdf)
KEPT_FOR = datetime.timedelta(days=1)
REMOVED_PER_JOB = 200  # bounds the clean-up's cost on the job that happens to run it

Status = PdfExport.Status
logger = logging.getLogger(__name__)


def queue(user, docx, name, requested_path=""):
    """(export, created): the export of the .docx bytes ``docx`` as ``name``.pdf for ``user``, saved
    and waiting for its job, which the caller queues once the row is committed. The same file asked
    again while its conversion is pending is that export (``created`` False): a second click, or a
    reload, queues nothing more."""
    pending = PdfExport.objects.filter(
        requested_by=user, name=name, status__in=(Status.QUEUED, Status.CONVERTING),
        updated_at__gte=timezone.now() - STALE_AFTER,
    ).first()
    if pending is not None:
        return pending, False
    fits = len(requested_path) <= PdfExport._meta.get_field("requested_path").max_length  # else no retry link
    export = PdfExport(requested_by=user, name=name, requested_path=requested_path if fits else "")
    export.source.save(f"{name}.docx", ContentFile(docx), save=False)
    export.save()
    return export, True


def shown_status(export, now=None):
    """The status a page shows: the stored one, but failed for an export that has not moved for
    ``STALE_AFTER`` (its job is gone, nothing will change it any more)."""
    if export.status in (Status.QUEUED, Status.CONVERTING) and _is_stale(export, now):
        return Status.FAILED
    return export.status


def _is_stale(export, now=None):
    return export.updated_at < (now or timezone.now()) - STALE_AFTER


def failure_message(export, now=None):
    """Why ``export`` failed, for its owner."""
    if export.status == Status.QUEUED and _is_stale(export, now):
        return _("The conversion never started: the conversion service is busy or was restarted. "
                 "Please try again later.")
    if export.status == Status.CONVERTING and _is_stale(export, now):
        return _("The conversion stopped before the end: its background job was interrupted. "
                 "Please try again.")
    return export.error


def files_ahead(export):
    """How many exports wait or convert before ``export`` in the queue (one query)."""
    return PdfExport.objects.filter(
        status__in=(Status.QUEUED, Status.CONVERTING), pk__lt=export.pk,
        updated_at__gte=timezone.now() - STALE_AFTER,
    ).count()


def fail(export, message):
    """End ``export`` failed with ``message`` (for its owner); its .docx stays, to be downloaded."""
    PdfExport.objects.filter(pk=export.pk).update(
        status=Status.FAILED, error=message, updated_at=timezone.now()
    )


def convert(export_id):
    """Convert the export's .docx to PDF (the Celery job's work). Claimed with one conditional UPDATE,
    so a job delivered twice converts once; an export given up meanwhile (stale) is left alone."""
    now = timezone.now()
    claimed = PdfExport.objects.filter(
        pk=export_id, status=Status.QUEUED, updated_at__gte=now - STALE_AFTER
    ).update(status=Status.CONVERTING, updated_at=now)
    if not claimed:
        return
    export = PdfExport.objects.get(pk=export_id)
    try:
        with export.source.open("rb") as handle:
            data = convert_docx(handle.read())
    except PdfUnavailable:
        logger.exception("Converting PDF export %s failed", export.pk)
        fail(export, _("LibreOffice could not convert the report on this server."))
        return
    except Exception:
        logger.exception("Converting PDF export %s failed", export.pk)
        fail(export, _("The PDF could not be produced because of an unexpected error."))
        return
    export.pdf.save(f"{export.name}.pdf", ContentFile(data), save=False)
    # Unless it was given up (stale) or removed meanwhile: then its PDF goes too.
    if not PdfExport.objects.filter(pk=export.pk, status=Status.CONVERTING).update(
        status=Status.READY, pdf=export.pdf.name, updated_at=timezone.now()
    ):
        export.pdf.delete(save=False)


def remove_old(now=None):
    """Remove the exports older than ``KEPT_FOR`` and their files, at most ``REMOVED_PER_JOB`` at a
    time (each conversion job runs it first: no schedule to keep, and it costs one indexed query when
    there is nothing to remove). Returns how many were removed."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    removed = []
    for export in PdfExport.objects.filter(created_at__lt=cutoff).order_by("created_at")[:REMOVED_PER_JOB]:
        try:
            for file in (export.source, export.pdf):
                if file:
                    file.delete(save=False)
        except OSError:  # the storage is down: the row stays, and the next job tries again
            logger.exception("Removing the files of PDF export %s failed", export.pk)
        else:
            removed.append(export.pk)
    PdfExport.objects.filter(pk__in=removed).delete()
    return len(removed)
