"""How a task moves: reports by the lead agency, contributions by coordinators, review by the
provincial admin, extension requests and their decisions; and the comments written on it.

Every change to a task or one of its periods (occurrences) goes through :func:`record`: it checks
the move against :data:`ALLOWED_TRANSITIONS`, checks the version the user saw (optimistic locking:
nothing anyone wrote is silently overwritten), applies the change, writes the append-only
TaskUpdate with its evidence, all in one transaction. Who may call which action is decided by
tasks.permissions in the views; this module decides what the task may become.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agencies.api_keys import user_row
from tasks import notifications, webhook_events
from tasks.mentions import MentionCatalogue, normalize_comment
from tasks.models import (
    AssignmentRole,
    DeadlineKind,
    Evidence,
    ExtensionRequest,
    ExtensionStatus,
    NotificationKind,
    Task,
    TaskStatus,
    TaskUpdate,
)
from tasks.targets.models import describe, format_number

S = TaskStatus
ALLOWED_TRANSITIONS = {
    S.NOT_STARTED: {S.NOT_STARTED, S.IN_PROGRESS, S.AWAITING_ACCEPTANCE},
    S.IN_PROGRESS: {S.IN_PROGRESS, S.AWAITING_ACCEPTANCE},
    S.RETURNED: {S.IN_PROGRESS, S.AWAITING_ACCEPTANCE},
    S.AWAITING_ACCEPTANCE: {S.COMPLETED, S.RETURNED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}
STALE_MESSAGE = _(
    "Someone else changed this task after you opened it, so nothing was saved. Check its latest state, "
    "then send again; attached files must be chosen again."
)


class WorkflowError(Exception):
    """A change the workflow refuses; ``message`` is shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidTransition(WorkflowError):
    pass


class StaleVersion(WorkflowError):
    pass


def check_transition(before, after):
    """Raise :class:`InvalidTransition` unless a task may go from status ``before`` to ``after``."""
    if after not in ALLOWED_TRANSITIONS.get(before, ()):
        raise InvalidTransition(
            _("A task that is “%(before)s” cannot become “%(after)s”.")
            % {"before": S(before).label, "after": S(after).label}
        )


def _plain(value):
    """A value as stored in ``TaskUpdate.changes`` (JSON): dates as ISO strings, None as ""."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else value


def _claim(task, version):
    """Move the task's version on in the same UPDATE that checks it is still ``version``: of two
    submits made from the same page, only the first passes."""
    bumped = Task.objects.filter(pk=task.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not bumped:
        raise StaleVersion(STALE_MESSAGE)
    task.version = version + 1


@transaction.atomic
def record(task, *, author, kind, version=None, occurrence=None, changes=None, proposed=None, evidence=(),
           **entry):
    """Apply ``changes`` (field → new value among status, progress, completed_on, extended_due) to
    ``occurrence`` if given, else to ``task``, and write the TaskUpdate (``entry``: note, done,
    difficulties, proposals, mentions, withdraws) with its ``evidence`` (dicts of reference, file,
    content_type).
    ``proposed`` adds ``{"field": [before, after]}`` pairs asked for but not applied (an extension
    request) to the entry's changes.

    A change needs the ``version`` of the task the user saw: if anyone changed the task or any of
    its periods since, :class:`StaleVersion` is raised and nothing is written. An entry that
    changes nothing (a contribution) needs no version.
    """
    target = occurrence or task
    changes = changes or {}
    if changes:
        _claim(task, version)
        if "status" in changes:  # once the version is checked, ``target`` is what the database holds
            check_transition(target.status, changes["status"])
    diff = dict(proposed or {})
    for field, value in changes.items():
        before = getattr(target, field)
        if field == "extended_due":  # history keeps the date the work was judged against
            before = occurrence.judged_due if occurrence else task.due
        if before != value:
            diff[field] = [_plain(before), _plain(value)]
        setattr(target, field, value)
    if changes:
        target.save(update_fields=list(changes))
    update = TaskUpdate.objects.create(
        task=task,
        occurrence=occurrence,
        author=user_row(author),
        agency=author.agency,
        api_client=getattr(author, "api_client", ""),
        kind=kind,
        changes=diff,
        **entry,
    )
    for item in evidence:
        upload = item.get("file")
        Evidence.objects.create(
            update=update,
            reference=item.get("reference", ""),
            file=upload,
            original_name=upload.name[:255] if upload else "",
            content_type=item.get("content_type", "") if upload else "",
            size=upload.size if upload else 0,
        )
    return update


@transaction.atomic
def report(task, *, author, version, occurrence=None, status, progress, completed_on=None,
           evidence=(), indicator_values=None, **texts):
    """A lead agency's progress report. Reporting the work complete (``awaiting_acceptance``) needs
    a completion date and waits for the provincial admin; any other status clears that date.
    ``indicator_values`` maps the task's product indicators (pk) to the value now reached; the
    history keeps each change under the indicator as printed: ``{"≥ 20 doanh nghiệp …": [before,
    after]}``."""
    complete = status == S.AWAITING_ACCEPTANCE
    changes = {
        "status": status,
        "progress": 100 if complete else progress,
        "completed_on": completed_on if complete else None,
    }
    update = record(
        task, author=author, kind=TaskUpdate.Kind.REPORT, version=version, occurrence=occurrence,
        changes=changes, evidence=evidence, proposed=_report_indicators(task, indicator_values or {}),
        **texts,
    )
    if complete:
        notifications.notify(
            notifications.province_admins(task), NotificationKind.SUBMITTED, task, texts.get("done", ""),
            actor=author,
        )
        webhook_events.reported(task, occurrence)
    return update


def _report_indicators(task, values):
    """Save the indicator values reported; their ``[before, after]`` pairs for the history."""
    diff = {}
    for indicator in task.indicators.filter(pk__in=list(values)):
        value = values[indicator.pk]
        if value != indicator.reported:
            diff[_indicator_text(indicator)] = [_number(indicator.reported), _number(value)]
            indicator.reported = value
            indicator.save(update_fields=["reported"])
    return diff


def _number(value):
    return "" if value is None else format_number(value)


def unmet_indicators(task):
    """The task's product indicators not met by the values reported: work on a plan that requires them
    cannot be accepted while any is left."""
    if not task.plan.indicators_required:
        return []
    return [indicator for indicator in task.indicators.all() if not indicator.met]


def set_status(task, *, author, version, status, occurrence=None):
    """The quick status change of a list row: only between not started and in progress."""
    if status not in (S.NOT_STARTED, S.IN_PROGRESS):
        raise InvalidTransition(_("Report the work complete with the full report form."))
    return record(
        task, author=author, kind=TaskUpdate.Kind.REPORT, version=version, occurrence=occurrence,
        changes={"status": status},
    )


@transaction.atomic
def contribute(task, *, author, evidence=(), **texts):
    """A coordinating agency's contribution: recorded and sent to the lead, the status untouched."""
    update = record(task, author=author, kind=TaskUpdate.Kind.CONTRIBUTION, evidence=evidence, **texts)
    notifications.notify(
        notifications.lead_focal_points(task), NotificationKind.CONTRIBUTION, task, texts.get("done", ""),
        actor=author,
    )
    return update


@transaction.atomic
def review(task, *, author, version, accept, note="", occurrence=None):
    """The provincial admin accepts work reported complete (it keeps the reported completion date)
    or returns it with a comment; the lead agency's focal points are told either way."""
    target = occurrence or task
    unmet = unmet_indicators(task) if accept else []
    if unmet:
        raise WorkflowError(
            _("The plan counts the work complete only when its product indicators are met; not met: "
              "%(indicators)s. Return it, or correct the indicators.")
            % {"indicators": "; ".join(_unmet_text(indicator) for indicator in unmet)}
        )
    changes = {"status": S.COMPLETED if accept else S.RETURNED}
    if accept and target.completed_on is None:
        changes["completed_on"] = timezone.localdate()
    update = record(
        task, author=author, kind=TaskUpdate.Kind.REVIEW, version=version, occurrence=occurrence,
        changes=changes, note=note,
    )
    kind = NotificationKind.ACCEPTED if accept else NotificationKind.RETURNED
    notifications.notify(notifications.lead_focal_points(task), kind, task, note, actor=author)
    webhook_events.reviewed(task, accepted=accept, note=note, occurrence=occurrence)
    return update


def _indicator_text(indicator):
    return f"{describe(indicator)} {indicator.subject}".strip()


def _unmet_text(indicator):
    reported = _number(indicator.reported) if indicator.reported is not None else _("not reported")
    return f"{_indicator_text(indicator)} ({reported})"


@transaction.atomic
def request_extension(task, *, author, proposed_due, reason, occurrence=None):
    """The lead agency asks for more time; one request per task waits at a time. A recurring task
    is extended one period at a time."""
    if occurrence is None and task.deadline_kind == DeadlineKind.RECURRING:
        raise WorkflowError(_("Choose the period to extend."))
    original_due = occurrence.judged_due if occurrence else task.due
    if original_due is None:
        raise WorkflowError(_("This task has no due date to extend."))
    if proposed_due <= original_due:
        raise WorkflowError(_("The new due date must be after the current one."))
    try:
        with transaction.atomic():
            extension = ExtensionRequest.objects.create(
                task=task, occurrence=occurrence, requested_by=author, agency=author.agency,
                original_due=original_due, proposed_due=proposed_due, reason=reason,
            )
    except IntegrityError:
        raise WorkflowError(
            _("An extension request for this task is already waiting for a decision.")
        ) from None
    record(
        task, author=author, kind=TaskUpdate.Kind.EXTENSION_REQUEST, occurrence=occurrence, note=reason,
        proposed={"proposed_due": [_plain(original_due), _plain(proposed_due)]},
    )
    notifications.notify(
        notifications.province_admins(task), NotificationKind.EXTENSION_REQUESTED, task, reason, actor=author
    )
    return extension


@transaction.atomic
def decide_extension(extension, *, author, version, approve, note=""):
    """The provincial admin approves (the task, or its period, is judged against the new date from
    now on; the parsed and original dates stay in the history) or rejects an extension request."""
    task, occurrence = extension.task, extension.occurrence
    decided = ExtensionRequest.objects.filter(pk=extension.pk, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED,
        decided_by=user_row(author),
        decided_at=timezone.now(),
        decision_note=note,
    )
    if not decided:
        raise WorkflowError(_("This extension request has already been decided."))
    changes = {"extended_due": extension.proposed_due} if approve else {}
    asked = {"proposed_due": [_plain(extension.original_due), _plain(extension.proposed_due)]}
    proposed = {} if approve else asked
    update = record(
        task, author=author, version=version, occurrence=occurrence, changes=changes, proposed=proposed,
        kind=TaskUpdate.Kind.EXTENSION if approve else TaskUpdate.Kind.EXTENSION_REJECTED, note=note,
    )
    kind = NotificationKind.EXTENSION_APPROVED if approve else NotificationKind.EXTENSION_REJECTED
    recipients = notifications.lead_focal_points(task) | {extension.requested_by_id}
    notifications.notify(recipients, kind, task, note, actor=author)
    webhook_events.extension_decided(extension, approved=approve, note=note)
    return update


@transaction.atomic
def comment(task, *, author, text, catalogue=None):
    """A comment in the task's history (who may write one: ``tasks.permissions.can_comment``): its
    @-mentions of agencies are found (``tasks.mentions``) and kept with it, and the focal points of
    each agency mentioned (of a group mentioned, its members in force: ``notify_mentioned``) are
    told once, in the portal and by e-mail. The status is untouched."""
    text = normalize_comment(text)
    if not text.strip():
        raise WorkflowError(_("Write your comment before sending it."))
    catalogue = catalogue or MentionCatalogue(task, timezone.localdate())
    update = record(
        task, author=author, kind=TaskUpdate.Kind.COMMENT, note=text, mentions=catalogue.mentions(text)
    )
    notifications.notify_mentioned(update)
    return update


@transaction.atomic
def withdraw_comment(comment, *, author):
    """Withdraw a comment (who may: ``tasks.permissions.can_withdraw``): an entry of its own that
    says who withdrew it and when; the comment stays, its words are no longer shown."""
    if comment.kind != TaskUpdate.Kind.COMMENT:
        raise WorkflowError(_("Only a comment can be withdrawn."))
    try:
        with transaction.atomic():
            return record(comment.task, author=author, kind=TaskUpdate.Kind.WITHDRAWAL, withdraws=comment)
    except IntegrityError:
        raise WorkflowError(_("This comment has already been withdrawn.")) from None


# What an admin corrects by hand (edit_deadline): the printed deadline and the task's own due date.
DEADLINE_EDITS = ("deadline_text", "due_override")


@transaction.atomic
def edit_deadline(task, *, author, changes):
    """A provincial admin's (or superuser's) correction of the printed deadline or the task's own due
    date, from the portal's deadline page or the Django admin: ``changes`` maps some of
    DEADLINE_EDITS to their new values, ``task`` holds what is stored. Dates are the admin's to set,
    so the last edit wins: the row is locked and its current version claimed."""
    changes = {field: value for field, value in changes.items() if getattr(task, field) != value}
    if not changes:
        return None
    task.version = Task.objects.select_for_update().values_list("version", flat=True).get(pk=task.pk)
    return record(task, author=author, kind=TaskUpdate.Kind.EDIT, version=task.version, changes=changes)


def named_agencies(task):
    """``{role: "Agency; Agency (01/03/2025–…)"}``: every agency the task's assignments name, with
    the dates of a dated one, as the history shows them."""
    named = {role: [] for role in AssignmentRole.values}
    for assignment in task.assignments.select_related("agency"):
        name = assignment.agency.name if assignment.agency_id else assignment.mention
        span = (assignment.active_from, assignment.active_until)
        if any(span):
            dates = "–".join(date_format(day, "SHORT_DATE_FORMAT") if day else "…" for day in span)
            name = f"{name} ({dates})"
        named[assignment.role].append(name)
    return {role: "; ".join(names) for role, names in named.items()}


@transaction.atomic
def record_reassignment(task, *, author, before):
    """History of a change of the task's agencies made in the Django admin (correcting an imported
    row; a change of who answers from a date is a hand-over, tasks.handover): ``before`` is
    :func:`named_agencies` taken before the change. The task's version moves on, as for any change."""
    after = named_agencies(task)
    changes = {role: [before[role], named] for role, named in after.items() if before[role] != named}
    if not changes:
        return None
    Task.objects.filter(pk=task.pk).update(version=F("version") + 1, updated_at=timezone.now())
    return TaskUpdate.objects.create(
        task=task, author=author, agency=author.agency, kind=TaskUpdate.Kind.EDIT, changes=changes
    )
