"""The steps of an appendix import that the pages (``plans.import_views``) and the API
(``plans.import_api``) share: start it from a valid upload form (read at once, or by a Celery job for
a large file or a PDF), and save a previewed import with the admin's choices. Who may do either is
the callers' check (``can_edit_plan``); what is saved, and when nothing is, is decided here."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnreachable

from agencies.api_keys import user_row
from agencies.names import remove_invisible
from plans.appendix.reading import AppendixError
from plans.import_commit import commit_import
from plans.importing import (
    adopt_preview,
    build_import_preview,
    fail_import,
    given_reference_date,
    has_errors,
    issue_date,
    preview_in_background,
    reads_in_background,
)
from plans.jobs import read_appendix
from plans.models import AppendixImport, ImportStatus

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The import cannot be saved now; ``message`` says why, and nothing was changed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def new_import(form, user):
    """The unsaved AppendixImport of a valid ``plans.forms.UploadForm``."""
    plan = form.cleaned_data["plan"]
    upload = form.cleaned_data["file"]
    return AppendixImport(
        province=form.cleaned_data["province"],
        plan=plan,
        new_plan=form.new_plan(),
        # Until the file is read: a document may print the date its deadlines are read from.
        reference_date=(plan.reference_date if plan else form.cleaned_data["reference_date"])
        or timezone.localdate(),
        file=upload,
        # A right-to-left override would show "phu-luc‮xslx.exe" as "phu-lucexe.xlsx".
        original_name=remove_invisible(upload.name)[0][:255],
        created_by=user_row(user),
    )


def start_import(record, form):
    """Save ``record`` (of :func:`new_import`) and read its file: at once, previewed on return; or, for a
    PDF or a sheet of many rows, by a Celery job once the row is committed. Raises ``AppendixError``
    (nothing saved) when the file cannot be read."""
    upload = form.cleaned_data["file"]
    if reads_in_background(form.data_bytes, upload.name):
        record.save()
        transaction.on_commit(lambda: read_in_background(record))  # the job must find the row
        return record
    try:
        adopt_preview(record, build_import_preview(
            record.province, form.data_bytes, upload.name, given_reference_date(record),
            issued_on=issue_date(record),
        ))
    except AppendixError:
        raise
    except Exception as error:
        logger.exception("Reading an uploaded appendix failed")
        raise AppendixError(_("The file could not be read because of an unexpected error.")) from error
    record.status = ImportStatus.PREVIEWED
    record.rows_total = record.rows_done = record.preview["tasks"][-1]["row"]
    record.save()
    return record


def read_in_background(record):
    """Hand the file to a Celery job; with the broker unreachable, read it in this request instead:
    slower, but the admin's import goes on."""
    try:
        read_appendix.delay(record.pk)
    except BrokerUnreachable:
        logger.warning("Broker unreachable: reading appendix import %s in the request", record.pk)
        preview_in_background(record)


def confirm_import(record, *, choices, new_plan, user, targets):
    """Save ``record``'s preview in one transaction with the admin's ``choices`` for unresolved
    agencies, creating ``new_plan`` (fields) when the import is for a new plan, keeping the proposed
    ``targets`` (codes) ticked. Returns the plan; raises :class:`ImportRefused` when nothing was saved
    (errors in the file, already confirmed, a failure while saving)."""
    if has_errors(record.preview) or (record.plan is None and not record.new_plan):
        raise ImportRefused(_("This import cannot be saved: upload a corrected file."))
    # Claim the import: a second click (or a second tab, or a second call) finds it no longer waiting.
    if not AppendixImport.objects.filter(pk=record.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.COMMITTING, updated_at=timezone.now()
    ):
        raise ImportRefused(_("This import is no longer waiting for confirmation."))
    try:
        with transaction.atomic():
            # Locked until the tasks are saved: the scan for dead imports leaves a running commit alone.
            AppendixImport.objects.select_for_update().get(pk=record.pk)
            plan, result = commit_import(
                record.province, record.preview, plan=record.plan, new_plan=new_plan, choices=choices,
                user=user, source=record.original_name, targets=targets,
            )
            record.plan, record.result, record.status = plan, result, ImportStatus.DONE
            record.save(update_fields=["plan", "result", "status", "updated_at"])
    except (AppendixError, IntegrityError):
        AppendixImport.objects.filter(pk=record.pk).update(status=ImportStatus.PREVIEWED)
        message = _("The tasks could not be saved; nothing was changed. Please try again.")
        raise ImportRefused(message) from None
    except Exception:
        logger.exception("Saving appendix import %s failed", record.pk)
        message = _("The tasks could not be saved because of an unexpected error; nothing was changed.")
        fail_import(record, message)
        raise ImportRefused(message) from None
    return plan
