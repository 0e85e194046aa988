"""Handing tasks over to other agencies (chuyển giao / điều chỉnh phân công), by a dated decision.

The former assignment is ended the day before the decision takes effect and kept, with the words
the appendix printed; the new agencies are assigned from that day. Everything that asks who
answers for a task on a day (``assigned_to``, the reminder scan, notifications, reports) reads the
assignments holding that day, so it follows the hand-over from its date, and a report of a period
before it still names the former agency.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.api_keys import user_row
from agencies.models import Agency
from tasks.models import Handover, Task, TaskAssignment, TaskStatus, TaskUpdate
from tasks.notifications import notify_assignments

# Assignments a hand-over makes are numbered from here: an appendix imported again renumbers the
# cells it printed (0, 1, …) without meeting them.
HANDED_OVER_POSITIONS = 1000


def open_tasks_of(agency, tasks, on):
    """Open tasks (neither completed nor cancelled) with an assignment not ended before ``on`` to
    ``agency`` or to an agency merged into it: what "hand over the open tasks of an agency" lists."""
    carried = Agency.objects.carried_by(agency, on)
    current = TaskAssignment.objects.filter(Q(active_until__isnull=True) | Q(active_until__gte=on))
    return tasks.filter(
        Exists(current.filter(task=OuterRef("pk"), agency__in=carried))
    ).exclude(status__in=[TaskStatus.COMPLETED, TaskStatus.CANCELLED])


@transaction.atomic
def hand_over(tasks, *, from_agency, to_agencies, role, decision, effective_on, user=None, note=""):
    """Hand ``tasks`` over from ``from_agency`` to ``to_agencies`` in ``role`` from ``effective_on``.

    On each task, ``from_agency``'s assignments in ``role`` holding on ``effective_on`` end the day
    before; each of ``to_agencies`` not already assigned in that role that day is assigned from it.
    Returns the :class:`Handover`; tasks where nothing changed get no history entry.
    """
    handover = Handover.objects.create(
        decision=decision, effective_on=effective_on, role=role, note=note, created_by=user_row(user)
    )
    day_before = effective_on - datetime.timedelta(days=1)
    task_ids = list(tasks.values_list("pk", flat=True))
    holding = TaskAssignment.objects.in_force(effective_on).filter(task_id__in=task_ids, role=role)
    carried = Agency.objects.carried_by(from_agency, effective_on)
    ended = list(holding.filter(agency__in=carried))
    still = set(holding.exclude(agency__in=carried).values_list("task_id", "agency_id"))
    positions = dict(
        TaskAssignment.objects.filter(task_id__in=task_ids, role=role, position__gte=HANDED_OVER_POSITIONS)
        .values_list("task_id").annotate(last=Max("position"))
    )
    created = []
    for task_id in sorted({a.task_id for a in ended}):
        for agency in to_agencies:
            if (task_id, agency.pk) in still:
                continue
            positions[task_id] = positions.get(task_id, HANDED_OVER_POSITIONS - 1) + 1
            created.append(TaskAssignment(
                task_id=task_id, agency=agency, role=role, mention=agency.name,
                position=positions[task_id], active_from=effective_on, handover=handover,
            ))
    ended_ids = [a.pk for a in ended]
    TaskAssignment.objects.filter(pk__in=ended_ids).update(active_until=day_before, ended_by=handover)
    TaskAssignment.objects.bulk_create(created)
    Task.objects.filter(pk__in={a.task_id for a in ended}).update(version=F("version") + 1)
    _record(ended, created, handover, user)
    notify_assignments(created)
    return handover


def _record(ended, created, handover, user):
    after = {}
    for assignment in created:
        after.setdefault(assignment.task_id, []).append(assignment.mention)
    when = date_format(handover.effective_on, "SHORT_DATE_FORMAT")
    TaskUpdate.objects.bulk_create(
        TaskUpdate(
            task_id=assignment.task_id,
            author=user_row(user),
            agency=getattr(user, "agency", None),
            api_client=getattr(user, "api_client", ""),
            kind=TaskUpdate.Kind.HANDOVER,
            changes={handover.role: [assignment.mention, "; ".join(after.get(assignment.task_id, []))]},
            note=_("Handed over from %(date)s by %(decision)s")
            % {"date": when, "decision": handover.decision},
        )
        for assignment in ended
    )
