"""What each webhook event says (``agencies.webhooks`` sends them): small payloads whose ids are the
REST API's, so a receiver reads the rest from ``/api/v1/tasks/<id>/``, ``/api/v1/periods/<id>/``,
``/api/v1/plans/<id>/``.

Events and where they come from (``tasks.workflow`` and the scans call these, nothing else does):

- ``task.reported``: the lead agency reported the work complete (awaiting acceptance). Progress
  reports that do not complete the work are not events: they are frequent, and the API's
  ``updated_since`` lists them.
- ``task.accepted`` / ``task.returned``: the provincial admin's review (a return with its reason).
- ``extension.decided``: an extension request approved (``"approved": true``) or rejected.
- ``task.overdue``: the daily reminder scan found the work past its due date (once per task, or
  period, and due date; work overdue for more than a week when a hook is created is not told).
- ``plan.imported``: an appendix import committed (new plan or re-import), with its counts.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from agencies.webhooks import Event, emit, emit_many
from tasks.models import Occurrence, Task

# The reminder scan tells of work that fell overdue within this many days (its catch-up window).
OVERDUE_WITHIN_DAYS = 7


def _link(name, pk):
    return settings.SITE_URL + reverse(name, args=[pk])


def _iso(day):
    return day.isoformat() if day else None


def task_payload(task, occurrence=None):
    """The task (and its period, for a recurring task's or an ongoing task's report) as events show
    it: what it is, where it stands, links to its page and to the API."""
    payload = {
        "task": {
            "id": task.pk,
            "code": task.code,
            "title": task.title,
            "plan": task.plan_id,
            "status": task.status,
            "due": _iso(task.due),
            "url": _link("tasks:detail", task.pk),
            "api_url": _link("api:task-detail", task.pk),
        }
    }
    if occurrence is not None:
        payload["period"] = {
            "id": occurrence.pk,
            "label": str(occurrence.label),
            "status": occurrence.status,
            "due": _iso(occurrence.judged_due),
            "api_url": _link("api:period-detail", occurrence.pk),
        }
    return payload


def _province(task):
    """The province of the task's plan, read after the commit (the caller may not have the plan)."""
    return lambda: task.plan.province_id


# Each event's payload is built after the commit, only if a hook is subscribed (``emit``): the
# workflow's transaction makes no query for it, and its query counts stay what they are.


def reported(task, occurrence=None):
    def payload():
        target = occurrence or task
        return {**task_payload(task, occurrence), "completed_on": _iso(target.completed_on)}

    emit(Event.TASK_REPORTED, province_id=_province(task), payload=payload)


def reviewed(task, *, accepted, note="", occurrence=None):
    def payload():
        return {**task_payload(task, occurrence), **({} if accepted else {"note": note})}

    event = Event.TASK_ACCEPTED if accepted else Event.TASK_RETURNED
    emit(event, province_id=_province(task), payload=payload)


def extension_decided(extension, *, approved, note=""):
    def payload():
        return {
            **task_payload(extension.task, extension.occurrence),
            "extension": {
                "id": extension.pk,
                "approved": approved,
                "original_due": _iso(extension.original_due),
                "proposed_due": _iso(extension.proposed_due),
                "note": note,
            },
        }

    emit(Event.EXTENSION_DECIDED, province_id=_province(extension.task), payload=payload)


def plan_imported(plan, result):
    counts = {name: result.get(name, 0) for name in ("created", "updated", "unchanged", "deleted", "kept")}

    def payload():
        return {
            "plan": {
                "id": plan.pk,
                "number": plan.number,
                "title": plan.title,
                "url": _link("plans:detail", plan.pk),
                "api_url": _link("api:plan-detail", plan.pk),
            },
            "import": counts,
        }

    emit(Event.PLAN_IMPORTED, province_id=plan.province_id, payload=payload)


def fell_overdue(items):
    """``task.overdue`` for work the reminder scan staged: ``items`` are ``(task_id, occurrence_id,
    province_id, due)`` rows of work fallen past due within :data:`OVERDUE_WITHIN_DAYS`, read by the
    scan from its stage (``province_id``: the province holding the plan on the scan's day). Each is
    told once per hook and due date (the delivery's once-only key); the tasks are read after the
    scan commits."""
    if items:
        transaction.on_commit(lambda: emit_many(Event.TASK_OVERDUE, _overdue_batch(items)), robust=True)


def _overdue_batch(items):
    tasks = Task.objects.select_related("plan").in_bulk({task_id for task_id, *_rest in items})
    occurrence_ids = {occurrence_id for _task, occurrence_id, *_rest in items if occurrence_id}
    occurrences = Occurrence.objects.select_related("task").in_bulk(occurrence_ids) if occurrence_ids else {}
    batch = []
    for task_id, occurrence_id, province_id, due in items:
        task = tasks.get(task_id)
        if task is None:  # deleted since
            continue
        occurrence = occurrences.get(occurrence_id) if occurrence_id else None
        payload = {**task_payload(task, occurrence), "overdue_since": _iso(due + datetime.timedelta(days=1))}
        key = f"{Event.TASK_OVERDUE}:{task_id}:{occurrence_id or 0}:{_iso(due)}"
        batch.append((province_id, payload, key))
    return batch
