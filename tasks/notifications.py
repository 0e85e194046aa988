"""Who hears about what happens to a task, as in-portal notifications (and, for a mention of
their agency in a comment, by e-mail too).

Recipients are computed as sets of user ids in one query each; :func:`notify` writes them with one
``bulk_create``. The person who acted is never told about their own action.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from agencies.models import Role, User, bound_pairs
from tasks.mail import build_email
from tasks.models import AssignmentRole, Notification, NotificationKind, TaskAssignment, TaskUpdate

logger = logging.getLogger(__name__)


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


def focal_points_of(agency_ids):
    """Ids of the active focal points of these agencies (the users of each agency)."""
    return set(_active(Role.FOCAL_POINT).filter(agency__in=agency_ids).values_list("pk", flat=True))


def notify_mentioned(comment):
    """Tell the focal points of each agency ``comment`` mentions, once each whatever the number of
    mentions, never its author: in the portal now, by e-mail once the comment is committed. The
    notification carries no words of the comment, which its author may withdraw."""
    recipients = focal_points_of({mention["agency"] for mention in comment.mentions}) - {comment.author_id}
    if not recipients:
        return
    notify(recipients, NotificationKind.MENTION, comment.task)
    # robust: whatever goes wrong queueing the e-mails is logged, the comment is saved already
    transaction.on_commit(lambda: queue_mention_emails(comment.pk, sorted(recipients)), robust=True)


def queue_mention_emails(comment_id, recipient_ids):
    """Hand each e-mail to a Celery job (tasks.jobs.send_mention_email, retried on mail errors);
    with the broker unreachable, send the rest in this request instead, so nobody's page fails and
    no mention goes unsent. A mail error then is logged: the portal's notification stays."""
    from tasks.jobs import send_mention_email  # the jobs module imports this one

    for index, recipient_id in enumerate(recipient_ids):
        try:
            send_mention_email.delay(comment_id, recipient_id)
        except BrokerUnreachable:
            logger.warning("Broker unreachable: e-mailing comment %s's mentions in the request", comment_id)
            for pk in recipient_ids[index:]:
                try:
                    email_mention(comment_id, pk)
                except Exception:  # SMTP and network errors alike
                    logger.exception("E-mailing the mention of comment %s to user %s failed", comment_id, pk)
            return


def email_mention(comment_id, recipient_id):
    """E-mail one focal point that a comment mentions their agency, unless the comment has been
    withdrawn meanwhile or they have no address. Returns whether a message went out."""
    comment = (
        TaskUpdate.objects.comments()
        .select_related("task__plan", "author", "agency", "withdrawal")
        .filter(pk=comment_id)
        .first()
    )
    recipient = User.objects.filter(pk=recipient_id, is_active=True).exclude(email="").first()
    if comment is None or comment.withdrawal_entry is not None or recipient is None:
        return False
    author = comment.author.get_full_name() or comment.author.username
    context = {
        "comment": comment,
        "task": comment.task,
        "author": f"{author} ({comment.agency})" if comment.agency else author,
        "url": f"{settings.SITE_URL}{comment.task.get_absolute_url()}#update-{comment.pk}",
    }
    build_email("mention", recipient, context).send()
    return True
