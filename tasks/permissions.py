"""Who may do what to a task. Reading is settled by the querysets (``visible_to``: a user sees their
province, anything else is a 404); these functions settle changing (a 403 when they say no).

The task passed in must come from ``Task.objects.with_roles_of(user)`` (and ``select_related("plan")``):
``user_leads`` and ``user_coordinates`` say whether the user's agency, directly or through a group,
leads or coordinates it.
"""

from agencies.models import Role
from plans.models import Plan, PlanStatus


def can_edit_plan(user, plan):
    """Only the provincial admins of the plan's province (and superusers) edit plans and tasks."""
    return user.is_superuser or (user.is_province_admin and plan.province_id in user.held_province_ids)


def can_hand_over(user):
    """Provincial admins (and superusers) hand tasks over; the tasks and agencies they may touch are
    those of their province (``visible_to``)."""
    return user.is_superuser or user.is_province_admin


def can_review(user, task):
    """Accepting or returning work and deciding extensions belong to whoever edits the plan."""
    return can_edit_plan(user, task.plan)


def can_open_review_queue(user):
    """Provincial admins (and superusers) have a review queue, of the work their provinces hold
    (``visible_to``); each item in it is decided under :func:`can_review`."""
    return user.is_superuser or user.is_province_admin


def _works_on(user, task, assigned):
    return bool(assigned) and user.is_focal_point and task.plan.status == PlanStatus.ACTIVE


def can_report(user, task):
    """Only focal points of a lead agency report progress and ask for more time, on active plans."""
    return _works_on(user, task, task.user_leads)


def can_contribute(user, task):
    """Only focal points of a coordinating agency add contributions, on active plans."""
    return _works_on(user, task, task.user_coordinates)


def can_comment(user, task):
    """Who writes in a task's discussion: the focal points of the agencies answering for it today as
    lead or coordinator (those who report and contribute, by the same rule), the provincial admins
    and leaders of the province holding its plan (their own, or one merged into it), superusers."""
    if user.is_superuser or can_report(user, task) or can_contribute(user, task):
        return True
    return user.role in (Role.PROVINCE_ADMIN, Role.LEADER) and task.plan.province_id in user.held_province_ids


def can_withdraw(user, comment):
    """A comment is withdrawn by its author, or by whoever edits the plan (its province's admins,
    superusers). ``comment.task.plan`` should be loaded."""
    return comment.author_id == user.pk or can_edit_plan(user, comment.task.plan)


def can_urge(user, plan_or_province=None):
    """Urging agencies to carry out overdue or due-soon work (``tasks.urging``) belongs to the
    provincial admins of the province holding the plan (their own, or one merged into it) and to
    superusers. Without a plan or province: whether the user urges anywhere (opens the page)."""
    if user.is_superuser:
        return True
    if not user.is_province_admin:
        return False
    if plan_or_province is None:
        return True
    province_id = plan_or_province.province_id if isinstance(plan_or_province, Plan) else plan_or_province.pk
    return province_id in user.held_province_ids


def target_answerers(target, on):
    """Ids of the agencies that report ``target`` on ``on``: its reporting agency, a group's members,
    the successor of an agency merged away (``bound_pairs``, the rule tasks follow); none when the
    target names no agency (its province's admins report it)."""
    from agencies.models import bound_pairs

    return {agency for _assigned, agency in bound_pairs([target.reporting_agency_id], on)}


def can_report_target(user, target, on):
    """A target's value is reported, on an active plan, by the focal points of the agencies answering
    for it, or by the plan's admins when it names no agency."""
    if target.plan.status != PlanStatus.ACTIVE:
        return False
    if target.reporting_agency_id is None:
        return can_edit_plan(user, target.plan)
    return user.is_focal_point and user.agency_id in target_answerers(target, on)


def can_review_target(user, target):
    """Reported values are accepted or returned by whoever edits the plan, as work is."""
    return can_edit_plan(user, target.plan)
