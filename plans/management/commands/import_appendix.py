"""``import_appendix``: read a plan's appendix file and print or save its tasks."""

import argparse
import contextlib
import datetime
import json
import logging
import signal
import threading
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Province
from agencies.names import remove_invisible
from plans.appendix.reading import AppendixError
from plans.documents.locate import KINDS
from plans.import_commit import commit_import, preview_changes
from plans.importing import (
    build_import_preview,
    contract,
    default_issuer,
    document_plan_fields,
    has_errors,
)
from plans.models import AppendixImport, ImportStatus, Plan

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def _terminated_as_exit():
    """SIGTERM raises ``SystemExit`` like Ctrl-C raises ``KeyboardInterrupt``, so that the transaction
    rolls back and the stored file is removed; Python's default ends the process on the spot."""
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _positive(value):
    if not value.isdecimal() or int(value) < 1 or len(value) > 4:
        raise argparse.ArgumentTypeError(_("“%(value)s” is not a number from 1.") % {"value": value})
    return int(value)


def _printed_date(value):
    return datetime.date.fromisoformat(value) if value else None


def _exit(signum, frame):
    raise SystemExit(128 + signum)


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": value}) from exc


class Command(BaseCommand):
    help = (
        "Read the tasks of a plan and import them into the plan numbered --plan of the province "
        "--province: from its appendix table (.xlsx, .xls, .ods, .csv), or from the whole plan as "
        "published (.docx, .pdf, a scanned .pdf read by OCR), where they are taken from the appendix "
        "tables, else from tasks written in prose with their fields, else from the duties of each "
        "agency in 'Tổ chức thực hiện' (--source and --appendix choose). With --dry-run nothing is "
        "written: the tasks are printed as they would be saved (--json: the contract shape "
        "{\"plan\": {...}, \"source\": ..., \"tasks\": [...], \"issues\": [...]}, \"plan\" holding what the "
        "document prints of itself: number, issue date, kind, issuer, title, signer). Deadlines are "
        "read against the plan's reference date; for a plan that does not exist yet, against "
        "--reference-date (default: --issued-on, else the date the document prints, else today). "
        "Without --dry-run "
        "a plan that does not exist is created with that number (none: an unnumbered plan, a new one on "
        "each run), titled --title or else the title rows above the table. Re-importing into a plan "
        "updates its tasks (matched by code, then by title) and never deletes a task someone worked on. "
        "Agency mentions the catalogue cannot resolve are kept as printed text. A mention of an agency "
        "that does not exist on the plan's issue date (else its reference date) is warned about and saved "
        "with the agency proposed in its place: its successor, or for a district People's Committee in "
        "a plan from 1 July 2025 the communes' group. Exits with status 1 and a message when the file "
        "cannot be imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the appendix file")
        parser.add_argument("--province", required=True, help="slug of the province, e.g. dong-thap")
        parser.add_argument("--plan", default="", help='number of the plan as printed, e.g. "115/KH-UBND"')
        parser.add_argument("--dry-run", action="store_true", help="write nothing, print what would be saved")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print JSON instead of a summary"
        )
        parser.add_argument(
            "--reference-date", type=_date,
            help="YYYY-MM-DD: deadlines of a new plan are read from this date (an existing plan has its own)",
        )
        parser.add_argument("--title", default="", help="title of a plan to create")
        parser.add_argument("--issued-on", type=_date, help="YYYY-MM-DD: issue date of a plan to create")
        parser.add_argument(
            "--issuer", default="",
            help='issuing body of a plan to create (default: as the document prints it, else "UBND tỉnh …")',
        )
        parser.add_argument(
            "--source", choices=KINDS,
            help="where a whole document lists its tasks: its appendix tables, tasks written in prose, "
                 "or the duties of each agency (default: the first found, in that order)",
        )
        parser.add_argument(
            "--appendix", type=_positive, metavar="N",
            help="with several appendix tables, read the N-th (default: the first)",
        )
        parser.add_argument(
            "--keep-proposed-targets", action="store_true",
            help="also save the targets read from the plan's objectives (without it, only those of a "
                 "targets table are saved; the web preview lets the admin tick them one by one)",
        )

    def handle(self, *args, path, province, plan, dry_run, as_json, reference_date, title, issued_on, issuer,
               source, appendix, **options):
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        province_obj = Province.objects.filter(slug=province).first()
        if province_obj is None:
            raise CommandError(_("No province has the slug “%(slug)s”.") % {"slug": province})
        existing = Plan.objects.filter(province=province_obj, number=plan).first() if plan else None
        # A new plan's deadlines: else from the date its document prints, else from today.
        reference_date = existing.reference_date if existing else reference_date or issued_on
        try:
            preview = build_import_preview(
                province_obj, file_path, file_path.name, reference_date,
                issued_on=existing.issued_on if existing else issued_on, source=source, appendix=appendix,
            )
        except AppendixError as error:
            raise CommandError(error.message) from error
        except Exception as exc:
            logger.exception("Reading %s failed", file_path)
            raise CommandError(_("The file could not be read because of an unexpected error.")) from exc
        if dry_run:
            self._print(contract(preview), preview_changes(existing, preview), preview["issues"], as_json)
            return
        if has_errors(preview):
            errors = [issue for issue in preview["issues"] if issue["level"] == "error"]
            lines = [_("Row %(row)s: %(message)s") % issue for issue in errors]
            raise CommandError("\n".join([_("The file has errors: nothing was imported."), *lines]))
        new_plan = None
        if existing is None:
            printed = preview["plan"]
            new_plan = {
                **document_plan_fields(printed),
                "number": plan or printed["number"] or "",
                "title": title or preview["title"],
                "issued_on": issued_on or _printed_date(printed["issued_on"]),
                "reference_date": datetime.date.fromisoformat(preview["reference_date"]),
                "issuer": issuer or printed["issuer"] or default_issuer(province_obj),
            }
            if not new_plan["title"]:
                raise CommandError(_("The file gives no title above its table: name the plan with --title."))
        record = AppendixImport(
            province=province_obj, plan=existing,
            reference_date=datetime.date.fromisoformat(preview["reference_date"]),
            original_name=remove_invisible(file_path.name)[0][:255], status=ImportStatus.DONE,
            preview=preview,
        )
        saved_plan, result = self._commit(record, new_plan, file_path, options["keep_proposed_targets"])
        self._print(result, result, preview["issues"], as_json, plan=saved_plan)

    def _commit(self, record, new_plan, source, keep_proposed_targets):
        """Save the tasks and the import in one transaction, the file stored last: stopped anywhere,
        even by SIGTERM, the command leaves neither tasks nor a stored file (killed with SIGKILL in
        between, it leaves a file that ``fail_stale_imports`` removes)."""
        try:
            with transaction.atomic(), _terminated_as_exit():
                proposed = [t["code"] for t in record.preview.get("targets") or () if t.get("proposed")]
                saved_plan, result = commit_import(
                    record.province, record.preview, plan=record.plan, new_plan=new_plan, source=source.name,
                    targets=proposed if keep_proposed_targets else (),
                )
                record.plan, record.result = saved_plan, result
                with source.open("rb") as handle:
                    record.file.save(source.name, File(handle), save=False)
                record.save()
        except BaseException as exc:
            if record.file:
                record.file.delete(save=False)
            if not isinstance(exc, Exception):  # Ctrl-C, SIGTERM: end as asked
                raise
            logger.exception("Saving the tasks of %s failed", source)
            message = _("The tasks could not be saved; nothing was changed. Please try again.")
            raise CommandError(message) from exc
        return saved_plan, result

    def _print(self, data, counts, issues, as_json, plan=None):
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if plan is not None:
            self.stdout.write(_("Plan: %(plan)s") % {"plan": plan})
        self.stdout.write(
            _("Tasks: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, %(deleted)s deleted, "
              "%(kept)s kept because they have a history.") % counts
        )
        for issue in issues:
            label = _("error") if issue["level"] == "error" else _("warning")
            row = issue["row"] if issue["row"] is not None else "-"
            self.stdout.write(f"{row}\t{label}\t{issue['message']}")
