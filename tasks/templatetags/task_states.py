"""The words of where work stands, from their one source (``tasks.states``, ``TaskStatus``):
``{{ "overdue"|state_label }}``, ``{{ "no_due_date"|state_label }}``,
``{{ "awaiting_acceptance"|status_label }}``; a judged record's badge and its agencies' links:
``{% state_badge record %}``, ``{% agency_links record.leads %}``."""

from django import template

from tasks import badges, states
from tasks.models import TaskStatus

register = template.Library()


@register.filter
def state_label(key):
    """The label of a progress state (``tasks.states.state_label``)."""
    return states.state_label(key)


@register.filter
def status_label(key):
    """The label of a workflow status (``TaskStatus``)."""
    return TaskStatus(key).label


@register.simple_tag
def state_badge(record):
    """Where a judged task or period stands, as a badge (``tasks.badges.state_badge``)."""
    return badges.state_badge(record)


@register.simple_tag
def agency_links(lines):
    """Who answers for a task, linked (``tasks.badges.agency_links``)."""
    return badges.agency_links(lines)
