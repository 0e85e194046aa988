"""The words of where work stands, from their one source (``tasks.states``, ``TaskStatus``):
``{{ "overdue"|state_label }}``, ``{{ "no_due_date"|state_label }}``,
``{{ "awaiting_acceptance"|status_label }}``."""

from django import template

from tasks import states
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
