import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from config.tables import CARD_TABLE_CLASS, CardsTable


class AgencyTable(CardsTable):
    """The province's agencies; on a phone each row is a card whose cells say their column."""

    name = tables.Column(verbose_name=_("Agency"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    province = tables.Column(verbose_name=_("Province"))
    lead_count = tables.Column(verbose_name=_("Tasks led"), attrs={"td": {"class": "text-end"}})
    coordinator_count = tables.Column(
        verbose_name=_("Tasks coordinated"), attrs={"td": {"class": "text-end"}}
    )
    active_until = tables.DateColumn(verbose_name=_("Active until"), short=True)

    class Meta:
        model = Agency
        fields = ["name", "kind", "province", "lead_count", "coordinator_count", "active_until"]
        attrs = {"class": CARD_TABLE_CLASS}
