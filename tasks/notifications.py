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
from tasks.models import (
    AssignmentRole,
    Notification,
    NotificationKind,
    TaskAssignment,
    TaskUpdate,
    UrgingNotice,
)

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
    """Ids of the provincial admins of the province holding the task's (or target's) plan today (the merged
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


def notify_about_target(recipient_ids, kind, target, message="", actor=None):
    """As :func:`notify`, about a target's reported value."""
    recipient_ids = set(recipient_ids) - {actor.pk if actor else None, None}
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, target=target, message=message)
        for pk in sorted(recipient_ids)
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
    agencies told are those that answer today for each one mentioned (``bound_pairs``, the rule of
    assignments): the agency itself, a group's members in force ("@Các sở, ban, ngành tỉnh" reaches
    every department's focal points), the successor of an agency merged away. The notification
    carries no words of the comment, which its author may withdraw."""
    mentioned = {mention["agency"] for mention in comment.mentions}
    answering = {agency for _mentioned, agency in bound_pairs(mentioned, timezone.localdate())}
    recipients = focal_points_of(answering) - {comment.author_id}
    if not recipients:
        return
    notify(recipients, NotificationKind.MENTION, comment.task)
    # robust: whatever goes wrong queueing the e-mails is logged, the comment is saved already
    transaction.on_commit(lambda: queue_mention_emails(comment.pk, sorted(recipients)), robust=True)


def queue_emails(job, send, about_id, recipient_ids):
    """Hand each e-mail to the Celery ``job`` (``job.delay(about_id, recipient_id)``, retried on mail
    errors); with the broker unreachable, send the rest in this request with ``send(about_id,
    recipient_id)`` instead, so nobody's page fails and no e-mail goes unsent. A mail error then is
    logged: the portal's notification stays."""
    for index, recipient_id in enumerate(recipient_ids):
        try:
            job.delay(about_id, recipient_id)
        except BrokerUnreachable:
            logger.warning("Broker unreachable: sending %s(%s) in the request", job.name, about_id)
            for pk in recipient_ids[index:]:
                try:
                    send(about_id, pk)
                except Exception:  # SMTP and network errors alike
                    logger.exception("E-mail %s(%s) to user %s failed", job.name, about_id, pk)
            return


def queue_mention_emails(comment_id, recipient_ids):
    """E-mail each focal point a comment mentions (tasks.jobs.send_mention_email)."""
    from tasks.jobs import send_mention_email  # the jobs module imports this one

    queue_emails(send_mention_email, email_mention, comment_id, recipient_ids)


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
    author = comment.author.display_name
    context = {
        "comment": comment,
        "task": comment.task,
        "author": f"{author} ({comment.agency})" if comment.agency else author,
        "url": f"{settings.SITE_URL}{comment.task.get_absolute_url()}#update-{comment.pk}",
    }
    build_email("mention", recipient, context).send()
    return True


def urging_recipients(agency_ids):
    """``{agency_id: {user ids}}``: the active focal points and leaders of each of these agencies,
    whom an urging notice reaches (there is no agency-leader role apart from ``Role.LEADER``: a
    leader belonging to the agency). One query."""
    users = User.objects.filter(
        role__in=[Role.FOCAL_POINT, Role.LEADER], is_active=True, agency_id__in=agency_ids
    )
    recipients = {}
    for pk, agency_id in users.values_list("pk", "agency_id"):
        recipients.setdefault(agency_id, set()).add(pk)
    return recipients


def notify_urged(notice, first_tasks):
    """Tell the users of each agency urged (``first_tasks``: ``{agency_id: task id}``, the task each
    agency's notification is about, its most overdue one), in the portal now and by e-mail once the
    notice is committed; never the admin who sent it. One notification and one e-mail a person."""
    recipients = urging_recipients(first_tasks)
    pairs = sorted(
        (pk, agency_id) for agency_id, pks in recipients.items() for pk in pks if pk != notice.created_by_id
    )
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=NotificationKind.URGED, task_id=first_tasks[agency_id],
                     message=notice.subject, urging=notice)
        for pk, agency_id in pairs
    )
    recipient_ids = [pk for pk, _agency in pairs]
    if recipient_ids:
        # robust: whatever goes wrong queueing the e-mails is logged, the notice is saved already
        transaction.on_commit(lambda: queue_urging_emails(notice.pk, recipient_ids), robust=True)
    return recipient_ids


def queue_urging_emails(notice_id, recipient_ids):
    """E-mail each person an urging notice reaches (tasks.jobs.send_urging_email)."""
    from tasks.jobs import send_urging_email  # the jobs module imports this one

    queue_emails(send_urging_email, email_urging, notice_id, recipient_ids)


def email_urging(notice_id, recipient_id):
    """E-mail one person the urging notice's tasks of their agency, unless they have no address (or
    no longer belong to an agency it urged). Returns whether a message went out."""
    notice = UrgingNotice.objects.select_related("created_by", "province").filter(pk=notice_id).first()
    recipient = User.objects.filter(pk=recipient_id, is_active=True).exclude(email="").first()
    if notice is None or recipient is None:
        return False
    items = list(
        notice.items.filter(agency_id=recipient.agency_id).select_related("task__plan", "agency")
    )
    if not items:
        return False
    author = notice.created_by.display_name
    context = {
        "notice": notice,
        "items": items,
        "agency": items[0].agency,
        "author": author,
        "url": f"{settings.SITE_URL}{notice.get_absolute_url()}",
        "site_url": settings.SITE_URL,
    }
    build_email("urging", recipient, context).send()
    return True
