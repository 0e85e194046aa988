"""Importing a plan's appendix, second half: what confirming a preview (``plans.importing``) changes
in a plan, and the commit, in one transaction whose number of queries does not depend on the rows.

Re-importing into a plan updates its tasks instead of duplicating them: a row matches a saved task
by code and title, by title (rows renumbered), by a very similar title (a corrected typo), or by code
(a rewritten title); see ``match_tasks``. Saved tasks the file no longer has are deleted, unless
someone has worked on them (history other than the import, an occurrence or the task itself reported
on): those are kept and reported.
"""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from agencies.api_keys import user_row
from agencies.models import Agency, AgencyAlias
from agencies.names import normalize_name
from config.bulk import insert_rows
from config.collector import cycle_collector_paused
from plans.appendix.reading import AppendixError
from plans.import_targets import save_indicators, save_targets
from plans.importing import ROLES, has_errors, mentions_to_review, needs_review, proposed_agency
from plans.models import Plan, PlanSection
from tasks.models import DeadlineKind, Occurrence, Task, TaskAssignment, TaskStatus, TaskUpdate
from tasks.notifications import notify_assignments
from tasks.webhook_events import plan_imported

# Fields an import writes; history records the first group, the layout ones change silently.
CONTENT_FIELDS = ("code", "title", "deliverable", "notes", "deadline_text", "section", "parent")
LAYOUT_FIELDS = ("position", "source_row", "deadline_kind", "deadline_due", "deadline_every")
PLACES = ("section", "parent")  # kept as codes until the rows they point at are saved
DEADLINE_FIELDS = ("deadline_text", "deadline_kind", "deadline_due", "deadline_every")
SAVED_FIELDS = (
    "section", "parent", "code", "position", "title", "deliverable", "notes", "deadline_text",
    "deadline_kind", "deadline_due", "deadline_every", "source_row", "updated_at",
)
# A renumbered row still matches its saved task when the titles are this similar (rapidfuzz ratio on
# normalised text): a corrected typo scores ~97, the same task for another agency ~80.
TITLE_MATCH_SCORE = 90
# Fuzzy title matching compares every leftover row with every leftover task; beyond this many pairs
# (a file that shares nothing with the plan) rows match by code or exact title only.
MAX_FUZZY_PAIRS = 4_000_000

# --- What an import changes -------------------------------------------------------------------------


@dataclass(frozen=True)
class MentionChoice:
    """The admin's decision for a mention to review (``plans.importing.needs_review``): ``agency``
    (map it to the agency ``agency_id``, remembered as an alias of an unresolved mention),
    ``create`` (a new agency of ``kind``) or ``text``."""

    action: str
    agency_id: int | None = None
    kind: str = ""


@dataclass
class Changes:
    """What committing a preview does to a plan; ``updated`` pairs a saved task with its new row."""

    created: list = field(default_factory=list)  # wanted rows
    updated: list = field(default_factory=list)  # (task, wanted, history changes)
    unchanged: list = field(default_factory=list)  # (task, wanted, moved: only its place changes)
    deleted: list = field(default_factory=list)  # tasks
    kept: list = field(default_factory=list)  # tasks nobody may lose
    redated: list = field(default_factory=list)  # pks of matched tasks whose deadline reads differently

    def counts(self):
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "deleted": len(self.deleted),
            "kept": len(self.kept),
        }


@dataclass
class _Wanted:
    fields: dict  # field -> value, with section and parent as codes
    assignments: list  # (role, position, mention, agency name or None)


def _agency_namer(choices, agency_names):
    """Canonical agency name (or None) of a preview mention, after the admin's choices; without one,
    the agency proposed (``proposed_agency``)."""

    def name_of(item):
        choice = choices.get(item["mention"]) if needs_review(item) else None
        if choice is None:
            return proposed_agency(item)
        if choice.action == "text":
            return None
        if choice.action == "create":
            return _fit(item["mention"], Agency, "name")
        return agency_names.get(choice.agency_id)

    return name_of


def _places(tasks, section_codes):
    """(section code, parent task code) of each row. The parser names the enclosing row as the
    ``section``; when that row is a task (sub-items "a)", "IV.5.1" under the task "IV.5") it is the
    parent, and the section is the parent's own."""
    by_code = {task["code"]: task for task in tasks}
    places = []
    for task in tasks:
        enclosing = task["section"]
        parent = enclosing if enclosing in by_code and enclosing != task["code"] else ""
        section, steps = enclosing, 0
        while section not in section_codes and section in by_code and steps < len(tasks):
            section, steps = by_code[section]["section"], steps + 1
        places.append((section if section in section_codes else "", parent))
    return places


def _wanted(preview, agency_name_of):
    tasks = preview["tasks"]
    section_codes = {section["code"] for section in preview["sections"]}
    wanted = []
    places = _places(tasks, section_codes)
    for index, (task, (section, parent)) in enumerate(zip(tasks, places, strict=True)):
        deadline = task["deadline"]
        due = deadline["due"]
        fields = {
            "code": task["code"],
            "title": task["title"],
            "deliverable": task["deliverable"],
            "notes": task["notes"],
            "deadline_text": _fit(deadline["text"], Task, "deadline_text"),
            "section": section,
            "parent": parent,
            "position": index,
            "source_row": task["row"],
            "deadline_kind": deadline["kind"],
            "deadline_due": datetime.date.fromisoformat(due) if due else None,
            "deadline_every": deadline["every"] or "",
        }
        assignments = [
            (role, position, _fit(item["mention"], TaskAssignment, "mention"), agency_name_of(item))
            for role, key in ROLES
            for position, item in enumerate(task[key])
        ]
        wanted.append(_Wanted(fields, assignments))
    return wanted


def _fit(text, model, field_name):
    """``text`` cut to the length of the field (with "…"): a cell may be longer than a column."""
    limit = _max_length(model, field_name)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def _max_length(model, field_name):
    return model._meta.get_field(field_name).max_length


def _saved_tasks(plan):
    """The plan's tasks, each flagged ``worked`` when someone has acted on it."""
    if plan is None or plan.pk is None:
        return []
    worked = (
        Exists(TaskUpdate.objects.filter(task=OuterRef("pk")).exclude(kind=TaskUpdate.Kind.IMPORT))
        | Exists(Occurrence.objects.filter(task=OuterRef("pk")).exclude(status=TaskStatus.NOT_STARTED))
        | ~Q(status=TaskStatus.NOT_STARTED)
        | Q(progress__gt=0)
    )
    return list(Task.objects.filter(plan=plan).annotate(worked=worked).order_by("position", "pk"))


def _current(task, section_codes, task_codes, assignments, agency_names):
    fields = {name: getattr(task, name) for name in CONTENT_FIELDS + LAYOUT_FIELDS if name not in PLACES}
    fields["section"] = section_codes.get(task.section_id, "")
    fields["parent"] = task_codes.get(task.parent_id, "")
    current = [
        (role, position, mention, agency_names.get(agency_id))
        for (role, position), (_pk, mention, agency_id) in sorted(assignments.get(task.pk, {}).items())
    ]
    return _Wanted(fields, current)


def _history(before, after):
    """``{"field": [before, after]}`` of what the import changes in a task's content."""
    changes = {
        name: [str(before.fields[name] or ""), str(after.fields[name] or "")]
        for name in CONTENT_FIELDS
        if before.fields[name] != after.fields[name]
    }
    for role, key in ROLES:
        old = [item for item in before.assignments if item[0] == role]
        new = [item for item in after.assignments if item[0] == role]
        if old != new:
            changes[key] = [_agencies_text(old), _agencies_text(new)]
    return changes


def _agencies_text(assignments):
    return "; ".join(agency or mention for _role, _position, mention, agency in assignments)


def match_tasks(saved, tasks):
    """``{index of a preview task: saved task}``, in rounds over the rows and tasks still unpaired:
    the same code and title; the same title (rows renumbered by an insertion above them); a title at
    least ``TITLE_MATCH_SCORE`` similar (a corrected typo), best pairs first; at last the same code (a
    rewritten title). Titles come before codes so that a task keeps its history when rows move."""
    if not saved:
        return {}
    free = {task.pk: task for task in saved}
    saved_keys = {task.pk: normalize_name(task.title) for task in saved}
    keys = [normalize_name(task["title"]) for task in tasks]
    matches = {}

    def pair(index, task):
        matches[index] = free.pop(task.pk)

    same = {(task.code, saved_keys[task.pk]): task for task in saved}
    for index, task in enumerate(tasks):
        if (task["code"], keys[index]) in same:
            pair(index, same[task["code"], keys[index]])
    by_title = defaultdict(list)
    for task in free.values():
        by_title[saved_keys[task.pk]].append(task)
    for index in range(len(tasks)):
        if index not in matches and by_title.get(keys[index]):
            pair(index, by_title[keys[index]].pop(0))
    rest = [index for index in range(len(tasks)) if index not in matches]
    if rest and free and len(rest) * len(free) <= MAX_FUZZY_PAIRS:
        left = {pk: saved_keys[pk] for pk in free}
        pairs = sorted(
            (-score, tasks[index]["code"] != free[pk].code, index, pk)
            for index in rest
            for _title, score, pk in process.extract(
                keys[index], left, scorer=fuzz.ratio, score_cutoff=TITLE_MATCH_SCORE, limit=None
            )
        )
        for *_order, index, pk in pairs:
            if index not in matches and pk in free:
                pair(index, free[pk])
    by_code = {task.code: task for task in free.values()}
    for index, task in enumerate(tasks):
        if index not in matches and task["code"] in by_code:
            pair(index, by_code[task["code"]])
    return matches


def _saved_assignments(tasks):
    """``{task pk: {(role, position): (pk, mention, agency pk)}}`` of saved tasks (one query): the
    assignments the appendix printed. Those a hand-over made are not the appendix's to change."""
    found = defaultdict(dict)
    if tasks:
        printed = TaskAssignment.objects.filter(task__plan_id=tasks[0].plan_id, handover__isnull=True)
        rows = printed.order_by().values_list(
            "pk", "task_id", "role", "position", "mention", "agency_id"
        )
        for pk, task_id, role, position, mention, agency_id in rows:
            found[task_id][(role, position)] = (pk, mention, agency_id)
    return found


@dataclass
class _Context:
    """What the commit needs from the reads before writing (a handful of queries)."""

    assignments: dict
    agency_ids: dict  # canonical name -> pk
    changes: Changes


def _changes(plan, preview, choices):
    agencies = Agency.objects.filter(province_id=plan.province_id).order_by()
    agency_ids = dict(agencies.values_list("name", "pk"))
    agency_names = {pk: name for name, pk in agency_ids.items()}
    saved = _saved_tasks(plan)
    assignments = _saved_assignments(saved)
    section_codes = dict(plan.sections.values_list("pk", "code")) if saved else {}
    task_codes = {task.pk: task.code for task in saved}
    wanted = _wanted(preview, _agency_namer(choices, agency_names))
    matches = match_tasks(saved, preview["tasks"])
    changes = Changes()
    for index, want in enumerate(wanted):
        task = matches.get(index)
        if task is None:
            changes.created.append(want)
            continue
        current = _current(task, section_codes, task_codes, assignments, agency_names)
        if any(current.fields[name] != want.fields[name] for name in DEADLINE_FIELDS):
            changes.redated.append(task.pk)
        history = _history(current, want)
        if history:
            changes.updated.append((task, want, history))
        else:
            moved = any(current.fields[name] != want.fields[name] for name in LAYOUT_FIELDS)
            changes.unchanged.append((task, want, moved))
    matched = {task.pk for task in matches.values()}
    for task in saved:
        if task.pk not in matched:
            (changes.kept if task.worked else changes.deleted).append(task)
    return _Context(assignments, agency_ids, changes)


def preview_changes(plan, preview):
    """Counts of what confirming the preview would do to ``plan`` (None: a new plan), nothing written."""
    if plan is None:
        return Changes(created=list(preview["tasks"])).counts()
    return _changes(plan, preview, {}).changes.counts()


# --- Commit -----------------------------------------------------------------------------------------


@cycle_collector_paused()
@transaction.atomic
def commit_import(province, preview, *, plan=None, new_plan=None, choices=None, user=None, source="",
                  targets=None):
    """Save a preview into ``plan``, or into a new plan of ``province`` made from ``new_plan`` (field
    values). ``choices`` maps mentions to ``MentionChoice``; ``targets`` are the codes of the proposed
    targets the admin confirmed. One transaction; the number of queries does not depend on the number
    of rows. Returns ``(plan, result)``, ``result`` as stored in ``AppendixImport.result``.
    """
    if has_errors(preview):
        raise AppendixError(_("The file has errors: correct them and upload it again."))
    choices = choices or {}
    created_agencies, aliases = _apply_choices(province, preview, choices)
    if plan is None:
        plan = Plan.objects.create(province=province, **new_plan)
    context = _changes(plan, preview, choices)
    section_ids = _save_sections(plan, preview["sections"], context)
    changes = context.changes
    _delete_tasks(changes.deleted)
    renamed = _free_codes(changes)
    # Rows name their parent by code: matched tasks are known by their new code before any write.
    matched = changes.updated + changes.unchanged
    task_ids = {want.fields["code"]: task.pk for task, want, _extra in matched}
    new_tasks = _create_tasks(plan, changes.created, section_ids, task_ids)
    moved = _update_tasks(changes, section_ids, task_ids, renamed)
    _save_assignments(context, new_tasks, changes)
    _sync_occurrences(plan, new_tasks, changes)
    _record_history(new_tasks, changes, renamed, user, source)
    new_codes = [want.fields["code"] for _pk, want in new_tasks]
    changed_codes = [want.fields["code"] for _task, want, diff in changes.updated if "deliverable" in diff]
    save_indicators(preview["tasks"], task_ids, new_codes, changed_codes)
    result = {
        "targets": save_targets(plan, province, preview.get("targets") or (), targets),
        "plan": plan.pk,
        **changes.counts(),
        "kept_tasks": [{"code": task.code, "title": task.title} for task in changes.kept],
        "moved": moved,
        "agencies_created": created_agencies,
        "aliases_created": aliases,
    }
    plan_imported(plan, result)
    return plan, result


def _apply_choices(province, preview, choices):
    """Create the agencies the admin asked for and remember each mapping as an alias of its agency.
    Returns (names of the created agencies, number of aliases added)."""
    review = mentions_to_review(preview)
    mentions = {entry["mention"] for entry in review}
    choices = {mention: choice for mention, choice in choices.items() if mention in mentions}
    # A mention of an agency out of force on the plan's date names that agency rightly: mapped to its
    # successor for this plan, it must not become the successor's alias too (the catalogue would
    # then find two agencies for it in every later file).
    unresolved = {entry["mention"] for entry in review if entry["agency"] is None}
    existing = set(Agency.objects.filter(province=province).order_by().values_list("name", flat=True))
    new_names = {}
    for mention, choice in choices.items():
        name = _fit(mention, Agency, "name")
        if choice.action == "create" and name not in existing:
            new_names.setdefault(name, Agency(province=province, name=name, kind=choice.kind))
    Agency.objects.bulk_create(new_names.values())
    mapped = [
        (choice.agency_id, mention)
        for mention, choice in choices.items()
        if choice.action == "agency" and mention in unresolved
    ]
    in_province = Agency.objects.filter(province=province, pk__in=[pk for pk, _mention in mapped])
    valid = set(in_province.values_list("pk", flat=True))
    aliases = [
        AgencyAlias(agency_id=pk, name=_fit(mention, AgencyAlias, "name"))
        for pk, mention in mapped
        if pk in valid
    ]
    AgencyAlias.objects.bulk_create(aliases, ignore_conflicts=True)
    return sorted(new_names), len(aliases)


def _save_sections(plan, sections, context):
    """Upsert the appendix sections by code; drop those neither the file nor a kept task uses."""
    PlanSection.objects.bulk_create(
        [PlanSection(plan=plan, code=item["code"], title=item["title"], position=n)
         for n, item in enumerate(sections)],
        update_conflicts=True,
        unique_fields=["plan", "code"],
        update_fields=["title", "position"],
    )
    ids = dict(plan.sections.values_list("code", "pk"))
    wanted = {s["code"] for s in sections}
    still_used = {task.section_id for task in context.changes.kept}
    plan.sections.exclude(code__in=wanted).exclude(pk__in=still_used).delete()
    return ids


def _delete_tasks(tasks):
    if not tasks:
        return
    pks = [task.pk for task in tasks]
    # Task.parent cascades: children that stay must be detached before their parent goes.
    Task.objects.filter(parent_id__in=pks).exclude(pk__in=pks).update(parent=None)
    Task.objects.filter(pk__in=pks).delete()


def _task_row(want, section_ids, task_ids):
    """Column values of a task from its row (attribute names); the deadline as the preview read it
    against the plan's reference date, so it need not be parsed again."""
    fields = want.fields
    row = {name: fields[name] for name in ("code", "title", "deliverable", "notes", "position", "source_row")}
    row.update({name: fields[name] for name in DEADLINE_FIELDS})
    row["section_id"] = section_ids.get(fields["section"])
    row["parent_id"] = task_ids.get(fields["parent"])
    return row


def _generations(created):
    """Group new rows so that a parent is saved before its children: one INSERT per level."""
    level_of = {}
    for want in created:
        parent = want.fields["parent"]
        level_of[want.fields["code"]] = level_of[parent] + 1 if parent in level_of else 0
    levels = defaultdict(list)
    for want in created:
        levels[level_of[want.fields["code"]]].append(want)
    return [levels[level] for level in sorted(levels)]


def _create_tasks(plan, created, section_ids, task_ids):
    """Insert the new tasks, parents first; returns ``(pk, wanted row)`` pairs."""
    new_tasks = []
    for generation in _generations(created):
        rows = [{"plan_id": plan.pk, **_task_row(want, section_ids, task_ids)} for want in generation]
        pks = insert_rows(Task, rows, returning=True)
        task_ids.update((row["code"], pk) for row, pk in zip(rows, pks, strict=True))
        new_tasks.extend(zip(pks, generation, strict=True))
    return new_tasks


def _sync_occurrences(plan, new_tasks, changes):
    """Plan the occurrences (``TaskQuerySet.sync_occurrences``) of the tasks whose deadline is new or
    read differently; a new task that does not repeat has none."""
    repeating = (DeadlineKind.RECURRING, DeadlineKind.ONGOING)
    if any(want.fields["deadline_kind"] in repeating for _pk, want in new_tasks) or changes.redated:
        # By kind rather than by primary key: a list of thousands of keys is slow to build into SQL, and
        # planning again the occurrences of an unchanged repeating task changes nothing.
        Task.objects.filter(plan=plan).filter(
            Q(deadline_kind__in=repeating) | Q(pk__in=changes.redated)
        ).sync_occurrences()


def _free_codes(changes):
    """Codes move between tasks when rows are renumbered or swapped: park every task whose code changes
    on a temporary code first, so no write meets the (plan, code) unique constraint half-way. A kept
    task whose code the file now gives to another row becomes "<code> (old)". Returns those
    ``(task, former code)``."""
    codes = {want.fields["code"] for want in changes.created}
    codes.update(want.fields["code"] for _task, want, _extra in changes.updated + changes.unchanged)
    renamed = []
    for task in changes.kept:
        if task.code in codes:
            former = task.code
            task.code = _spare_code(former, codes)
            codes.add(task.code)
            renamed.append((task, former))
    moving = [task.pk for task, want, _history in changes.updated if task.code != want.fields["code"]]
    moving += [task.pk for task, _former in renamed]
    if moving:
        Task.objects.filter(pk__in=moving).update(code=Concat(Value("~"), Cast("pk", CharField())))
    return renamed


def _spare_code(code, taken):
    """``<code> (old)``, or ``<code> (old 2)`` … when that is taken too."""
    label = _("old")
    candidates = [f"{code} ({label})"] + [f"{code} ({label} {n})" for n in range(2, len(taken) + 2)]
    return next(candidate for candidate in candidates if candidate not in taken)


def _update_tasks(changes, section_ids, task_ids, renamed):
    """Write the matched tasks that differ (content or place) and the renamed kept ones in one upsert;
    returns how many only moved."""
    updated = [task for task, _want, _history in changes.updated]
    moved = [task for task, _want, moved in changes.unchanged if moved]
    for task, want, _extra in changes.updated + changes.unchanged:
        for name, value in _task_row(want, section_ids, task_ids).items():
            setattr(task, name, value)
    _upsert(Task, updated + moved + [task for task, _former in renamed], SAVED_FIELDS)
    if updated:
        # Someone editing one of these tasks right now must see that it changed (tasks.workflow).
        Task.objects.filter(pk__in=[task.pk for task in updated]).update(version=F("version") + 1)
    return len(moved)


def _upsert(model, objects, fields):
    """Update saved rows in one statement (INSERT … ON CONFLICT (id) DO UPDATE): Django's bulk_update
    writes a CASE per row, which grows quadratically on large plans."""
    if objects:
        model.objects.bulk_create(objects, update_conflicts=True, unique_fields=["id"], update_fields=fields)


class _Assigned(NamedTuple):
    """A new assignment as ``notify_assignments`` reads it."""

    task_id: int
    agency_id: int | None


def _save_assignments(context, new_tasks, changes):
    saved = context.assignments
    to_create, to_update, to_delete = [], [], []
    rows = new_tasks + [(task.pk, want) for task, want, _extra in changes.updated + changes.unchanged]
    for task_id, want in rows:
        current = dict(saved.get(task_id, {}))
        for role, position, mention, agency_name in want.assignments:
            agency_id = context.agency_ids.get(agency_name) if agency_name else None
            found = current.pop((role, position), None)
            values = {"task_id": task_id, "role": role, "position": position, "mention": mention,
                      "agency_id": agency_id}
            if found is None:
                to_create.append(values)
            elif found[1:] != (mention, agency_id):
                to_update.append(TaskAssignment(pk=found[0], **values))
        to_delete.extend(pk for pk, _mention, _agency in current.values())
    if to_delete:
        TaskAssignment.objects.filter(pk__in=to_delete).delete()
    insert_rows(TaskAssignment, to_create)
    _upsert(TaskAssignment, to_update, ["mention", "agency"])
    # The focal points of newly named agencies learn of their new task in the portal. The new rows are
    # passed as their two keys (all notify_assignments reads): 50,000 model instances take a second.
    new = [_Assigned(values["task_id"], values["agency_id"]) for values in to_create]
    notify_assignments(new + to_update)


def _record_history(new_tasks, changes, renamed, user, source):
    """One ``TaskUpdate`` of kind import per created or changed task, in one INSERT."""
    author = user_row(user)
    common = {
        "author_id": author.pk if author else None,
        "agency_id": author.agency_id if author else None,
        "api_client": getattr(user, "api_client", ""),
        "kind": TaskUpdate.Kind.IMPORT,
    }
    created = _("Created from the appendix file %(file)s.") % {"file": source}
    updated = _("Updated from the appendix file %(file)s.") % {"file": source}
    kept = _("Kept, though no longer in the appendix file %(file)s: agencies have worked on it.") % {
        "file": source,
    }
    entries = [{"task_id": pk, "changes": {}, "note": created, **common} for pk, _want in new_tasks]
    entries += [
        {"task_id": task.pk, "changes": history, "note": updated, **common}
        for task, _want, history in changes.updated
    ]
    entries += [
        {"task_id": task.pk, "changes": {"code": [former, task.code]}, "note": kept, **common}
        for task, former in renamed
    ]
    insert_rows(TaskUpdate, entries)
