import datetime

from django import template

register = template.Library()


@register.filter
def as_date(value):
    """An ISO date string from a summary or snapshot, as a date (for the ``date`` filter)."""
    return datetime.date.fromisoformat(value) if value else None
