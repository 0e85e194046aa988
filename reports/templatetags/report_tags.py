import datetime

from django import template

from reports.labels import period_label as _period_label

register = template.Library()


@register.filter
def as_date(value):
    """An ISO date string from a summary or snapshot, as a date (for the ``date`` filter)."""
    return datetime.date.fromisoformat(value) if value else None


@register.filter
def period_label(period):
    """A period (a ``Period``, a summary's period dict or a code) named in the interface's language."""
    return _period_label(period)


@register.filter
def with_headers(row, headers):
    """``(header, cell)`` for each cell of a table's row: the cell says its column on a phone's
    card (``data-label``, the ``table-cards`` CSS)."""
    headers = list(headers or ())
    return [(headers[index] if index < len(headers) else "", cell) for index, cell in enumerate(row)]
