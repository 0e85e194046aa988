"""Who hears about what happens to a task, as in-portal notifications.

Recipients are computed as sets of user ids in one query each; :func:`notify` writes them with one
``bulk_create``. The person who acted is never told about their own action.
"""

from django.utils import timezone

from agencies.models import Role, User, bound_pairs
from tasks.models import AssignmentRole, Notification, NotificationKind, TaskAssignment


def _active(role):
    return User.objects.filter(role=role, is_active=True)


def lead_focal_points(task):
    """Ids of the focal points of the agencies that answer today for ``task`` as its lead: those
    named by a lead assignment holding today (after a hand-over, the new agencies), a lead group's
    members, the successor of a lead merged away (``bound_pairs``)."""
    today = timezone.localdate()
    leads = TaskAssignment.objects.in_force(today).filter(task=task, role=AssignmentRole.LEAD)
    assigned = leads.values_list("agency_id", flat=True)
    answering = {agency for _assigned, agency in bound_pairs(assigned, today)}
    return set(_active(Role.FOCAL_POINT).filter(agency__in=answering).values_list("pk", flat=True))


def province_admins(task):
    """Ids of the provincial admins of the province holding the task's plan today (the merged
    province for a plan of one merged into it): they review and decide extensions."""
    holder = task.plan.province.in_office_on(timezone.localdate())
    admins = _active(Role.PROVINCE_ADMIN).filter(province=holder)
    return set(admins.values_list("pk", flat=True))


def notify(recipient_ids, kind, task, message="", actor=None):
    """Write one notification of ``kind`` about ``task`` for each recipient but the ``actor``."""
    recipient_ids = set(recipient_ids) - {actor.pk if actor else None}
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, task=task, message=message) for pk in sorted(recipient_ids)
    )


def notify_assignments(assignments):
    """Tell the focal points of each agency that answers for a newly assigned one (for a group, its
    members; for an agency merged away, its successor) about the task. For whatever creates
    assignments (the admin, appendix imports, the demo loader): three queries whatever the number
    of assignments."""
    assignments = [a for a in assignments if a.agency_id]
    owed_by = {}  # assigned agency → agencies that answer for its work
    for assigned, answering in bound_pairs({a.agency_id for a in assignments}, timezone.localdate()):
        owed_by.setdefault(assigned, set()).add(answering)
    focal_points = {}
    owing = set().union(*owed_by.values())
    for pk, agency_id in _active(Role.FOCAL_POINT).filter(agency_id__in=owing).values_list("pk", "agency_id"):
        focal_points.setdefault(agency_id, set()).add(pk)
    pairs = {  # one notification per task and person, even when named lead and coordinator
        (assignment.task_id, pk)
        for assignment in assignments
        for agency_id in owed_by.get(assignment.agency_id, ())
        for pk in focal_points.get(agency_id, ())
    }
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=NotificationKind.ASSIGNED, task_id=task_id)
        for task_id, pk in sorted(pairs)
    )
