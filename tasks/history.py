"""How a history entry's ``changes`` read to a person: labels, translated statuses, dd/mm/yyyy dates."""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tasks.models import TaskStatus

LABELS = {
    "status": _("Status"),
    "progress": _("Progress"),
    "completed_on": _("Completed on"),
    "extended_due": _("Due date"),
    "proposed_due": _("Proposed due date"),
    "deadline_text": _("Deadline as printed"),
    "due_override": _("Due date set by an admin"),
    "lead": _("Lead agency"),
    "coordinator": _("Coordinating agencies"),
}
DATE_FIELDS = {"completed_on", "extended_due", "proposed_due", "due_override"}


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str


def _shown(field, value):
    if value in ("", None):
        return "—"
    if field == "status":
        return TaskStatus(value).label if value in TaskStatus.values else value
    if field == "progress":
        return f"{value}%"
    if field in DATE_FIELDS:
        return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)


def describe(changes):
    """``{"field": [before, after]}`` as :class:`ChangeRow` items, in a fixed order."""
    order = list(LABELS)
    fields = sorted(changes, key=lambda f: order.index(f) if f in order else len(order))
    return [
        ChangeRow(LABELS.get(field, field), _shown(field, before), _shown(field, after))
        for field, (before, after) in ((f, changes[f]) for f in fields)
    ]
