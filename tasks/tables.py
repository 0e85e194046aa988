import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tasks.models import Task


class TaskTable(tables.Table):
    """Appendix tasks with their agencies and where they stand; the queryset must come from
    ``with_assignments()`` and ``with_state(on)``. On a phone each row is a card whose cells say
    their column (``table-cards`` in static/css/portal.css)."""

    code = tables.Column(verbose_name=_("No."), linkify=True, order_by="position")
    title = tables.Column(verbose_name=_("Task"), linkify=True, attrs={"th": {"class": "task-title"}})
    plan = tables.Column(verbose_name=_("Plan"), linkify=True)
    lead = tables.TemplateColumn(
        template_name="tasks/_agencies.html", extra_context={"role": "lead"},
        verbose_name=_("Lead agency"), orderable=False,
    )
    coordinators = tables.TemplateColumn(
        template_name="tasks/_agencies.html", extra_context={"role": "coordinator"},
        verbose_name=_("Coordinating agencies"), orderable=False,
    )
    deadline_text = tables.Column(verbose_name=_("Deadline"))
    due_on = tables.DateColumn(verbose_name=_("Due date"), short=True)
    deliverable = tables.Column(verbose_name=_("Deliverable"))
    state = tables.TemplateColumn(template_name="tasks/_state_badge.html", verbose_name=_("Status"))

    class Meta:
        model = Task
        fields = ["code", "title", "plan", "lead", "coordinators", "deadline_text", "due_on",
                  "deliverable", "state"]
        attrs = {"class": "table table-hover align-middle table-cards"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.columns:  # columns are this table's own copies
            td = {**bound.column.attrs.get("td", {}), "data-label": str(bound.header)}
            bound.column.attrs = {**bound.column.attrs, "td": td}
