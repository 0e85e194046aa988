import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.tables import CARD_TABLE_CLASS, CardsTable
from tasks.badges import agency_links, state_badge
from tasks.models import Task
from tasks.permissions import can_urge

URGE_FORM_ID = "urge-selection"


class TaskTable(CardsTable):
    """Appendix tasks with their agencies and where they stand; the queryset must come from
    ``with_assignments()`` and ``with_state(on)``. On a phone each row is a card whose cells say
    their column (``table-cards`` in static/css/portal.css, ``config.tables.CardsTable``).

    ``urger``: the user looking, when the list offers to urge the tasks picked: a column of
    checkboxes (``task`` parameters of the GET form ``URGE_FORM_ID`` that opens the urge page), shown
    only to whoever may urge (``tasks.permissions.can_urge``), a box only on the tasks of a province
    they urge for."""

    select = tables.Column(
        verbose_name=_("Urge"), accessor="pk", orderable=False, empty_values=(),
        attrs={"th": {"class": "urge-select"}, "td": {"class": "urge-select"}},
    )
    code = tables.Column(verbose_name=_("No."), linkify=True, order_by="position")
    title = tables.Column(verbose_name=_("Task"), linkify=True, attrs={"th": {"class": "task-title"}})
    plan = tables.Column(verbose_name=_("Plan"), linkify=True)
    lead = tables.Column(verbose_name=_("Lead agency"), accessor="pk", orderable=False, empty_values=())
    coordinators = tables.Column(
        verbose_name=_("Coordinating agencies"), accessor="pk", orderable=False, empty_values=(),
    )
    deadline_text = tables.Column(verbose_name=_("Deadline"))
    due_on = tables.DateColumn(verbose_name=_("Due date"), short=True)
    deliverable = tables.Column(verbose_name=_("Deliverable"))
    state = tables.Column(verbose_name=_("Status"), empty_values=())

    class Meta:
        model = Task
        fields = ["select", "code", "title", "plan", "lead", "coordinators", "deadline_text", "due_on",
                  "deliverable", "state"]
        attrs = {"class": CARD_TABLE_CLASS}

    def __init__(self, *args, urger=None, **kwargs):
        if urger is None or not can_urge(urger):
            kwargs["exclude"] = [*(kwargs.get("exclude") or ()), "select"]
        super().__init__(*args, **kwargs)
        self.urger = urger

    def render_lead(self, record):
        return agency_links(record.leads)

    def render_coordinators(self, record):
        return agency_links(record.coordinators)

    def render_state(self, record):
        return state_badge(record)

    def render_select(self, record):
        if not can_urge(self.urger, record.plan):
            return ""
        return format_html(
            '<input class="form-check-input" type="checkbox" name="task" value="{}" form="{}"'
            ' aria-label="{}">',
            record.pk, URGE_FORM_ID, _("Urge task %(code)s") % {"code": record.code},
        )
