import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.tables import CARD_TABLE_CLASS, CardsTable
from plans.models import Plan


class PlanTable(CardsTable):
    """The plans; on a phone each row is a card whose cells say their column."""

    number = tables.Column(verbose_name=_("Number"), linkify=True, empty_values=())
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    province = tables.Column(
        verbose_name=_("Province"), accessor="province__label", order_by="province__name"
    )
    issued_on = tables.DateColumn(verbose_name=_("Issued on"), short=True)
    task_count = tables.Column(verbose_name=_("Tasks"), attrs={"td": {"class": "text-end"}})
    completed_count = tables.Column(verbose_name=_("Completed"), attrs={"td": {"class": "text-end"}})
    status = tables.TemplateColumn(
        template_name="plans/_status_badge.html", verbose_name=_("Status"), order_by="status"
    )

    class Meta:
        model = Plan
        fields = ["number", "title", "province", "issued_on", "task_count", "completed_count", "status"]
        order_by = ["-issued_on"]
        attrs = {"class": CARD_TABLE_CLASS}

    def render_number(self, record):
        return record.number or _("(unnumbered)")
