"""Importing a plan's appendix, first half: the preview of an uploaded file (``plans.import_commit``
saves it once the admin confirms).

Reading, parsing and agency matching are pure (``plans.appendix``, ``agencies.matching``); this module
adds the province's agency catalogue from the database, the size limits from the settings, and the
reading of large files in a Celery job with its progress.

The preview is plain JSON (stored in ``AppendixImport.preview``): the command-line contract's
``tasks`` and ``issues`` (see ``contract``), each task with its source ``row`` and ``notes`` too,
plus the appendix ``sections``, the file's ``title`` and the ``plan_date`` its agencies were checked
against. A mention of an agency that does not exist on that date (``agencies.replacement``) carries
``out_of_force``: ``{"ended_on", "begins_on", "proposal"}`` (ISO dates or None, the name of the
agency proposed in its place or None), has a warning, and is put up for the admin's review.
"""

import datetime
import io
import logging
import re
import zipfile
import zlib
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.catalog import CatalogEntry
from agencies.matching import AgencyMatcher
from agencies.models import Agency, AgencyAlias, AgencyKind
from agencies.names import clean_text, fold_name
from agencies.replacement import DatedAgency, Replacements
from config.collector import cycle_collector_paused
from plans.appendix.parsing import ERROR, WARNING, find_task_sheet, parse_appendix
from plans.appendix.preview import build_preview, build_targets_preview
from plans.appendix.reading import AppendixError, Limits, check_file, read_sheets
from plans.appendix.sheet import Budget
from plans.appendix.targets import TARGET_CONTRACT_KEYS, parse_targets, split_sheets
from plans.appendix.zipxml import survey
from plans.documents.locate import APPENDIX
from plans.documents.reading import WHOLE_DOCUMENT_EXTENSIONS, read_plan_document
from plans.models import APPENDIX_FOLDER, AppendixImport, ImportStatus, Plan
from tasks.deadlines import parse_deadline
from tasks.models import AssignmentRole

CONTRACT_TASK_KEYS = (
    "code", "section", "section_title", "title", "lead", "coordinators", "deliverable", "deadline",
    "indicators",
)
PLAN_DATA_KEYS = (
    "number", "issued_on", "kind", "issuer", "title", "signer", "signer_position", "legal_basis",
)
ROLES = ((AssignmentRole.LEAD, "lead"), (AssignmentRole.COORDINATOR, "coordinators"))
_APPENDIX_LABEL = re.compile(r"^phu luc(?: so)?(?: [ivxlc\d]+)?$")
# Rows of the zip formats, to count them without parsing: (part name prefix, local name of a row).
_ROW_TAGS = {
    ".xlsx": ("xl/worksheets/", "row"),
    ".docx": ("word/document.xml", "tr"),
    ".ods": ("content.xml", "table-row"),
}
XLS_BYTES_PER_ROW = 100  # a table row of an .xls appendix takes a few hundred bytes: over-estimate
PROGRESS_STEP = 200  # rows between two progress writes, at most
CLEANED_ROWS_SHOWN = 10

logger = logging.getLogger(__name__)


def inline_max_rows():
    """Files with more rows than this are read by a Celery job (setting ``APPENDIX_INLINE_MAX_ROWS``)."""
    return getattr(settings, "APPENDIX_INLINE_MAX_ROWS", 2000)


def default_issuer(province):
    """The issuing body of a plan created by an import when nobody names it (data, not interface text)."""
    return f"UBND tỉnh {province.name}"


def limits():
    """What an uploaded file may hold (``plans.appendix.sheet.Limits``), each field from the setting
    of its name: ``max_rows`` from ``APPENDIX_MAX_ROWS`` and so on."""
    return {
        name: getattr(settings, f"APPENDIX_{name.upper()}", default)
        for name, default in asdict(Limits()).items()
    }


# --- Preview ----------------------------------------------------------------------------------------


def agency_matcher(province):
    """A matcher over the province's agencies and their aliases (two queries)."""
    aliases = defaultdict(list)
    rows = AgencyAlias.objects.filter(agency__province=province).order_by("pk")
    for agency_id, name in rows.values_list("agency_id", "name"):
        aliases[agency_id].append(name)
    agencies = Agency.objects.filter(province=province).order_by("pk").values_list("pk", "name", "kind")
    return AgencyMatcher(CatalogEntry(name, tuple(aliases[pk]), kind) for pk, name, kind in agencies)


def agency_replacements(province):
    """The replacement rules over the province's agencies, with their dates and successors (two
    queries)."""
    memberships = Agency.members.through.objects.filter(from_agency__province=province)
    member_kinds = defaultdict(set)
    for group_id, kind in memberships.values_list("from_agency_id", "to_agency__kind"):
        member_kinds[group_id].add(kind)
    rows = Agency.objects.filter(province=province).values_list(
        "pk", "name", "kind", "active_from", "active_until", "successor__name"
    )
    return Replacements(
        DatedAgency(
            name, kind, active_from, active_until, successor,
            district_level=kind == AgencyKind.DISTRICT or member_kinds[pk] == {AgencyKind.DISTRICT},
        )
        for pk, name, kind, active_from, active_until, successor in rows
    )


def given_reference_date(record):
    """The deadline reference date the preview of ``record`` reads deadlines from: the plan's, or the
    one the admin gave for a new plan; None lets the document's printed date, else today, decide."""
    if record.plan is not None:
        return record.plan.reference_date
    given = record.new_plan.get("reference_date")
    return datetime.date.fromisoformat(given) if given else None


def reads_in_background(data, filename):
    """A PDF (OCR of a scan takes seconds a page) and a sheet of many rows are read by a Celery job."""
    if Path(filename).suffix.lower() == ".pdf":
        return True
    return estimate_rows(data, filename) > inline_max_rows()


def adopt_preview(record, preview):
    """Store ``preview`` on ``record`` with the reference date it read deadlines from."""
    record.preview = preview
    record.reference_date = datetime.date.fromisoformat(preview["reference_date"])


def plan_to_create(record):
    """The fields of the plan a confirmed import of ``record`` creates: what the admin gave, else what
    the document prints of itself, else the title rows of the file and the default issuer."""
    given, printed = record.new_plan, record.preview.get("plan") or {}

    def day(value):
        return datetime.date.fromisoformat(value) if value else None

    return {
        **document_plan_fields(printed),
        "number": given.get("number") or printed.get("number") or "",
        "title": given.get("title") or record.preview.get("title") or record.original_name,
        "issued_on": day(given.get("issued_on") or printed.get("issued_on")),
        "reference_date": record.reference_date,
        "issuer": given.get("issuer") or printed.get("issuer") or default_issuer(record.province),
    }


def issue_date(record):
    """The issue date of the plan an ``AppendixImport`` is for: that of the plan imported into, or
    the one given for the plan to create; None when unknown."""
    if record.plan is not None:
        return record.plan.issued_on
    issued_on = record.new_plan.get("issued_on")
    return datetime.date.fromisoformat(issued_on) if issued_on else None


@cycle_collector_paused()
def build_import_preview(province, file, filename, reference_date, progress=None, issued_on=None,
                         source=None, appendix=None):
    """The preview of an appendix file, or of a whole plan document (.docx, .pdf), for a plan of
    ``province`` whose deadlines are read from ``reference_date`` (None: the issue date the document
    prints, else ``issued_on``, else today). ``progress(done, total)`` follows the rows of a sheet,
    the pages of a PDF. Agencies are checked against the plan's issue date ``issued_on`` (else the
    document's), when unknown (a draft) against the reference date. A document's task list is the
    one asked for by ``source`` ("appendix", "prose", "duties") and ``appendix`` (1-based), else the
    first found; the others are kept in ``alternatives`` for the admin to switch to.

    Raises ``AppendixError`` (message for the user) when the file cannot be read or holds no task.
    """
    extension = Path(filename).suffix.lower()
    if extension in WHOLE_DOCUMENT_EXTENSIONS:
        return _document_preview(
            province, file, filename, reference_date, progress, issued_on, source, appendix
        )
    task_sheets, target_sheet = split_sheets(read_sheets(file, filename, **limits()))
    sheet = find_task_sheet(task_sheets)
    parsed = parse_appendix(sheet)
    if not parsed.tasks:
        raise AppendixError(next(issue.message for issue in parsed.issues if issue.level == ERROR))
    reference_date = reference_date or issued_on or timezone.localdate()
    total = sheet.rows[-1].number
    report = None
    if progress:
        progress(0, total)
        report = lambda row: progress(row, total)  # noqa: E731
    preview = _tasks_preview(province, parsed, reference_date, issued_on, report)
    _note_cleaned_rows(preview, sheet.cleaned_rows)
    preview["title"] = file_title(sheet, parsed.header_row)
    preview["plan"] = {**_no_plan_data(), "title": preview["title"] or None}
    preview["source"] = APPENDIX
    preview["reference_date"] = reference_date.isoformat()
    if target_sheet is not None:
        targets = parse_targets(target_sheet)
        preview["targets"] = _targets_preview(province, targets.targets, reference_date)
        preview["issues"].extend(_target_issues(targets.issues))
    return preview


def _targets_preview(province, targets, reference_date, proposed=False):
    return build_targets_preview(targets, agency_matcher(province), reference_date, parse_deadline, proposed)


def _target_issues(issues):
    """The targets sheet's issues, told apart from the task rows' (their rows are the targets sheet's)."""
    return [
        {"row": None, "level": WARNING,
         "message": _("Targets, row %(row)s: %(message)s") % {"row": issue.row, "message": issue.message}
         if issue.row else issue.message}
        for issue in issues
    ]


def _document_preview(province, file, filename, reference_date, progress, issued_on, source, appendix):
    data = check_file(file, filename, **limits())
    found_limits = Limits(**limits())
    found = read_plan_document(
        data, Path(filename).suffix.lower(), found_limits, Budget(found_limits), progress, source, appendix
    )
    plan = found.plan
    issued_on = issued_on or plan.issued_on
    reference_date = reference_date or issued_on or timezone.localdate()
    previews = {}
    for key, task_source in _keyed(found.sources):
        item = _tasks_preview(province, task_source.parsed, reference_date, issued_on)
        _mark_ocr(item, task_source)
        item["source"] = task_source.kind
        item["source_key"] = key
        if task_source.sheet is not None:
            _note_cleaned_rows(item, task_source.sheet.cleaned_rows)
        previews[key] = item
    chosen_key = next(key for key, task_source in _keyed(found.sources) if task_source is found.chosen)
    preview = previews.pop(chosen_key)
    preview["plan"] = plan_data_json(plan)
    preview["title"] = plan.title or found.document.properties.get("title", "") or found.chosen.label
    preview["reference_date"] = reference_date.isoformat()
    preview["from_ocr"] = found.document.from_ocr
    preview["sources"] = [
        {"key": key, "kind": s.kind, "label": s.label, "tasks": len(s.parsed.tasks)}
        for key, s in _keyed(found.sources)
    ]
    preview["alternatives"] = previews
    if found.targets:
        preview["targets"] = _targets_preview(province, found.targets, reference_date, found.targets_proposed)
    for message in plan.warnings:
        preview["issues"].append({"row": None, "level": WARNING, "message": message})
    return preview


def _keyed(sources):
    """(key, source): "appendix-1", "appendix-2" … "prose", "duties"."""
    number = 0
    for task_source in sources:
        if task_source.kind == APPENDIX:
            number += 1
            yield f"{APPENDIX}-{number}", task_source
        else:
            yield task_source.kind, task_source


def _tasks_preview(province, parsed, reference_date, issued_on, report=None):
    preview = build_preview(parsed, agency_matcher(province), reference_date, parse_deadline, report)
    for item, task in zip(preview["tasks"], parsed.tasks, strict=True):
        item["row"] = task.row
        item["notes"] = task.notes
    day = issued_on or reference_date
    _flag_agencies_out_of_force(preview, agency_replacements(province), day)
    preview["plan_date"] = day.isoformat()
    _make_codes_unique(preview)
    sections = {}
    for section in parsed.sections:
        sections.setdefault(section.code, {"code": section.code, "title": section.title, "row": section.row})
    preview["sections"] = list(sections.values())
    return preview


def _mark_ocr(preview, task_source):
    """Tasks read by OCR say so, with the fields whose cells OCR was unsure of (``doubtful``)."""
    if not task_source.from_ocr:
        return
    roles = {}
    if task_source.sheet is not None:
        columns = task_source.parsed.columns
        roles = {col: role for role, col in columns.items()}
    for item in preview["tasks"]:
        item["from_ocr"] = True
        item["doubtful"] = sorted(
            {roles[col] for row, col in task_source.low_confidence if row == item["row"] and col in roles}
        )


def plan_data_json(plan):
    """The plan's own data read from its document (``documents.metadata.PlanData``), JSON-ready."""
    return {
        "number": plan.number or None,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "kind": plan.kind or None,
        "issuer": plan.issuer or None,
        "title": plan.title or None,
        "signer": plan.signer or None,
        "signer_position": plan.signer_title or None,
        "legal_basis": list(plan.legal_basis),
    }


def document_plan_fields(printed):
    """The fields of a plan to create that its document prints besides number, title, date and
    issuer (``preview["plan"]``): kind, signer, signer's position, legal basis."""
    return {
        "kind": printed.get("kind") or "",
        "signer": printed.get("signer") or "",
        "signer_position": printed.get("signer_position") or "",
        "legal_basis": "\n".join(printed.get("legal_basis") or ()),
    }


def _no_plan_data():
    """What a spreadsheet says of its plan: nothing but maybe the title rows above its table."""
    return {**dict.fromkeys(PLAN_DATA_KEYS), "legal_basis": []}


def switch_source(preview, key):
    """The preview with the task list ``key`` of its ``alternatives`` in place of the one shown; the
    plan's data, the sources and the file's notes stay. None when ``key`` is not an alternative."""
    alternatives = dict(preview.get("alternatives") or {})
    chosen = alternatives.pop(key, None)
    if chosen is None:
        return None
    shown = {name: preview[name] for name in SOURCE_KEYS if name in preview}
    alternatives[preview.get("source_key", preview.get("source"))] = shown
    kept = {name: value for name, value in preview.items() if name not in SOURCE_KEYS}
    return {**kept, **chosen, "alternatives": alternatives}


SOURCE_KEYS = ("tasks", "issues", "sections", "source", "source_key", "plan_date")


def estimate_rows(data, filename):
    """About how many rows the file's tables have, counting row tags instead of parsing. ``data`` must
    have passed ``reading.check_file`` (zip bomb guard)."""
    extension = Path(filename).suffix.lower()
    if extension == ".csv":
        return data.count(b"\n") + 1
    if extension == ".xls":
        return len(data) // XLS_BYTES_PER_ROW
    prefix, row = _ROW_TAGS[extension]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [name for name in archive.namelist() if name.startswith(prefix)]
            counts = [survey(archive, name, [row]).counts[row] for name in parts]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return 0  # a part that does not inflate: reading the file at once says it is damaged
    return max(counts, default=0)


def preview_in_background(record):
    """Read ``record``'s stored file into its preview (Celery job), writing the progress as it goes.
    A file that cannot be imported, or any error, leaves the record failed with the message, and its
    file removed."""
    # Claim the import: a job delivered twice finds it taken.
    if not AppendixImport.objects.filter(pk=record.pk, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.READING, updated_at=timezone.now()
    ):
        return
    written = {"row": 0}

    def progress(done, total):
        # Rows in steps of 200; the pages of a PDF one by one (OCR takes seconds a page).
        if done == 0 or done - written["row"] >= min(PROGRESS_STEP, max(1, total // 20)):
            _set(record, rows_done=done, rows_total=total)  # updated_at too: the scan sees it alive
            written["row"] = done

    try:
        with record.file.open("rb") as handle:
            preview = build_import_preview(
                record.province, handle, record.original_name, given_reference_date(record), progress,
                issued_on=issue_date(record),
            )
    except AppendixError as error:
        fail_import(record, error.message)
    except Exception:
        logger.exception("Reading appendix import %s failed", record.pk)
        fail_import(record, _("The file could not be read because of an unexpected error."))
    else:
        # Unless the scan has given the import up meanwhile (``fail_stale_imports``).
        AppendixImport.objects.filter(pk=record.pk, status=ImportStatus.READING).update(
            preview=preview, status=ImportStatus.PREVIEWED, rows_done=record.rows_total,
            reference_date=preview["reference_date"], updated_at=timezone.now(),
        )


def _set(record, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record.save(update_fields=[*values, "updated_at"])


def fail_import(record, message):
    """End ``record`` failed with ``message`` (for the admin) and its stored file removed. The preview
    stays: an import that failed while saving can go back to it (``plans.import_views.retry``)."""
    if record.file:
        try:
            record.file.delete(save=False)
        except OSError:  # the storage is down: the file stays, and trying again reads it
            logger.exception("Removing the file of appendix import %s failed", record.pk)
    _set(record, status=ImportStatus.FAILED, error=message, file=record.file.name or "")


# --- Imports that never end ---------------------------------------------------------------------------

IN_PROGRESS = (ImportStatus.UPLOADED, ImportStatus.READING, ImportStatus.COMMITTING)


def stale_after():
    """How long an import may show no sign of life before ``fail_stale_imports`` gives it up (setting
    ``APPENDIX_IMPORT_STALE_MINUTES``). Reading writes its progress every few hundred rows and a
    commit of 20,000 tasks takes seconds, so minutes of silence mean that the job died."""
    return datetime.timedelta(minutes=getattr(settings, "APPENDIX_IMPORT_STALE_MINUTES", 15))


def _stale_message(status):
    if status == ImportStatus.UPLOADED:
        return _("The file was never read: its background job was lost. Please try again.")
    if status == ImportStatus.READING:
        return _("Reading the file stopped before the end: its background job was interrupted. "
                 "Please try again.")
    return _("Saving the tasks stopped before the end; nothing was saved. Please try again.")


def fail_stale_imports(now=None):
    """Fail every import left uploaded, reading or committing with no sign of life for
    ``stale_after()``: its job was lost with the broker, or its worker died. A commit in progress holds
    its import's row locked (``plans.import_views.confirm``): it is skipped however long it takes. Then
    remove the stored files no import refers to (a process killed between writing the file and
    saving its import). Returns how many imports were failed."""
    cutoff = (now or timezone.now()) - stale_after()
    stale = AppendixImport.objects.filter(status__in=IN_PROGRESS, updated_at__lt=cutoff)
    failed = 0
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            record = stale.select_for_update(skip_locked=True).filter(pk=pk).first()
            if record is not None:
                fail_import(record, _stale_message(record.status))
                failed += 1
    _remove_orphaned_files(cutoff)
    return failed


def _remove_orphaned_files(cutoff):
    """Remove the files no import refers to, older than ``cutoff`` (a younger one may belong to an
    import being saved), from the folders of this month and the last (``appendix_upload_path``): an
    orphan is at most minutes old when the scan comes."""
    storage = AppendixImport._meta.get_field("file").storage
    today = timezone.now().date()
    months = {today, today.replace(day=1) - datetime.timedelta(days=1)}
    for folder in sorted({f"{APPENDIX_FOLDER}/{month:%Y/%m}" for month in months}):
        try:
            names = [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
        except FileNotFoundError:
            continue
        used = set(AppendixImport.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name not in used and storage.get_modified_time(name) < cutoff:
                storage.delete(name)


def _note_cleaned_rows(preview, rows):
    """Tell the admin which rows lost invisible or control characters (``reading``): a title that
    looked right may have read differently once they were removed."""
    if not rows:
        return
    shown = ", ".join(str(row) for row in rows[:CLEANED_ROWS_SHOWN])
    shown += "…" if len(rows) > CLEANED_ROWS_SHOWN else ""
    message = ngettext(
        "Hidden or control characters (NUL bytes, text-direction marks, zero-width spaces) were removed "
        "from the text of %(count)s row: %(rows)s.",
        "Hidden or control characters (NUL bytes, text-direction marks, zero-width spaces) were removed "
        "from the text of %(count)s rows: %(rows)s.",
        len(rows),
    ) % {"count": len(rows), "rows": shown}
    preview["issues"].append({"row": None, "level": WARNING, "message": message})


def contract(preview):
    """The command-line contract: ``{"plan": {...}, "source": ..., "tasks": [...], "issues": [...]}``
    without the stored extras; ``sources`` too when a document has several task lists."""
    tasks = [{key: task[key] for key in CONTRACT_TASK_KEYS} for task in preview["tasks"]]
    found = {
        "plan": preview.get("plan") or _no_plan_data(), "source": preview.get("source", APPENDIX),
        "tasks": tasks, "issues": preview["issues"],
    }
    if len(preview.get("sources") or ()) > 1:
        found["sources"] = [{k: s[k] for k in ("key", "kind", "label", "tasks")} for s in preview["sources"]]
    if preview.get("targets"):
        found["targets"] = [
            {key: target[key] for key in (*TARGET_CONTRACT_KEYS, "value_max") if key in target}
            for target in preview["targets"]
        ]
    return found


def file_title(sheet, header_row):
    """The title rows above the table ("DANH MỤC CÁC NHIỆM VỤ …", "(Kèm theo Kế hoạch số …)"), without
    the bare "PHỤ LỤC" label: the plan's title when nobody gives one."""
    lines = []
    for row in sheet.rows:
        if row.number >= header_row:
            break
        line = clean_text(" ".join(cell.text for cell in row.cells if cell.text))
        if line and not _APPENDIX_LABEL.match(fold_name(line)):
            lines.append(line)
    return " ".join(lines)


def has_errors(preview):
    return any(issue["level"] == ERROR for issue in preview["issues"])


def needs_review(item):
    """A mention of a preview task the admin decides on: one the catalogue could not resolve with
    certainty, or one of an agency that does not exist on the plan's date."""
    return item["agency"] is None or bool(item.get("out_of_force"))


def proposed_agency(item):
    """The agency a mention is saved with unless the admin chooses otherwise: the one it resolves to,
    or, for an agency out of force on the plan's date, the one proposed in its place when there is
    one. ``item`` is a preview mention or an entry of ``mentions_to_review``."""
    flag = item.get("out_of_force")
    return (flag and flag["proposal"]) or item["agency"]


def mentions_to_review(preview):
    """Distinct agency mentions the admin decides on (``needs_review``), in order of appearance,
    each with the agency it resolves to (None when unresolved), its suggestions, ``out_of_force``
    and its ``note`` (None when in force), and the rows it appears on."""
    found = {}
    for task in preview["tasks"]:
        for _role, key in ROLES:
            for item in task[key]:
                if not needs_review(item):
                    continue
                mention, flag = item["mention"], item.get("out_of_force")
                if mention not in found:
                    found[mention] = {
                        "mention": mention,
                        "agency": item["agency"],
                        "suggestions": item["suggestions"],
                        "out_of_force": flag,
                        "note": out_of_force_message(item["agency"], flag) if flag else None,
                        "rows": [],
                    }
                entry = found[mention]
                if task["row"] not in entry["rows"]:
                    entry["rows"].append(task["row"])
    return list(found.values())


def plan_date(record):
    """The date the agencies of ``record``'s preview were checked against."""
    stored = record.preview.get("plan_date")
    # A preview stored before agencies were checked against a date has none: its reference date
    # stands in, as for a plan of unknown issue date.
    return datetime.date.fromisoformat(stored) if stored else record.reference_date


def _flag_agencies_out_of_force(preview, replacements, day):
    """Flag each resolved mention whose agency does not exist on the plan's date ``day``, with the
    agency proposed in its place, and warn on its row. A plan issued before a merger and imported
    later keeps its agencies: they existed on its date."""
    for task in preview["tasks"]:
        for _role, key in ROLES:
            for item in task[key]:
                found = item["agency"] and replacements.out_of_force(item["agency"], day)
                if not found:
                    continue
                item["out_of_force"] = {
                    "ended_on": found.ended_on.isoformat() if found.ended_on else None,
                    "begins_on": found.begins_on.isoformat() if found.begins_on else None,
                    "proposal": found.proposal,
                }
                message = out_of_force_message(item["agency"], item["out_of_force"])
                preview["issues"].append({"row": task["row"], "level": WARNING, "message": message})


def out_of_force_message(agency, flag):
    """The warning on a mention of ``agency`` flagged ``flag`` (``out_of_force`` of the preview)."""
    if flag["begins_on"]:
        return _("%(agency)s only came into operation on %(date)s, after the plan's date.") % {
            "agency": agency, "date": _day(flag["begins_on"]),
        }
    values = {"agency": agency, "date": _day(flag["ended_on"]), "proposal": flag["proposal"]}
    if flag["proposal"]:
        return _("%(agency)s ceased operating from %(date)s; proposed: %(proposal)s") % values
    return _("%(agency)s ceased operating from %(date)s; no agency in force to propose: choose one.") % values


def _day(iso):
    return date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")


def _make_codes_unique(preview):
    """Two rows printed with the same number cannot both keep it: the later ones get "-2", "-3"…"""
    codes = {task["code"] for task in preview["tasks"]}
    seen = set()
    for task in preview["tasks"]:
        code = task["code"]
        if code in seen:
            suffix = 2
            while f"{code}-{suffix}" in codes:
                suffix += 1
            task["code"] = f"{code}-{suffix}"
            codes.add(task["code"])
            message = _("Number %(code)s appears twice: this task is saved as %(new)s.") % {
                "code": code, "new": task["code"],
            }
            preview["issues"].append({"row": task["row"], "level": WARNING, "message": message})
        seen.add(task["code"])
    # The order build_preview gives: by row, errors first, file-wide issues last.
    preview["issues"].sort(key=lambda i: (i["row"] is not None, i["row"] or 0, i["level"] != ERROR))


SAME_PLAN_SHARE = 0.5  # of the file's tasks already in one plan, by title: the file is that plan's
SAME_PLAN_SAMPLE = 500


def plan_already_holding(province, preview):
    """``(plan, tasks found, tasks compared)`` when one of the province's plans already holds at least
    half of the preview's tasks (same titles, among the first 500): importing the file as a new plan
    would copy that plan. None otherwise. One query."""
    titles = {task["title"] for task in preview["tasks"][:SAME_PLAN_SAMPLE]}
    if not titles:
        return None
    best = (
        Plan.objects.filter(province=province)
        .annotate(found=Count("tasks", filter=Q(tasks__title__in=titles), distinct=True))
        .order_by("-found", "-reference_date")
        .first()
    )
    if best is None or best.found < SAME_PLAN_SHARE * len(titles):
        return None
    return best, best.found, len(titles)
