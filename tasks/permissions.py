"""Who may do what to a task. Reading is settled by the querysets (``visible_to``: a user sees their
province, anything else is a 404); these functions settle changing (a 403 when they say no).

The task passed in must come from ``Task.objects.with_roles_of(user)`` (and ``select_related("plan")``):
``user_leads`` and ``user_coordinates`` say whether the user's agency, directly or through a group,
leads or coordinates it.
"""

from plans.models import PlanStatus


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


def _works_on(user, task, assigned):
    return bool(assigned) and user.is_focal_point and task.plan.status == PlanStatus.ACTIVE


def can_report(user, task):
    """Only focal points of a lead agency report progress and ask for more time, on active plans."""
    return _works_on(user, task, task.user_leads)


def can_contribute(user, task):
    """Only focal points of a coordinating agency add contributions, on active plans."""
    return _works_on(user, task, task.user_coordinates)
