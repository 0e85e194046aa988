"""What every django-tables2 table of the portal shares: on a phone its rows are cards.

The ``table-cards`` CSS (static/css/portal.css) shows each row as a block and each cell under the
name of its column, read from the cell's ``data-label``; a number cell (``text-end`` or ``num``)
reads inline, "Quá hạn: 3". Tables written by hand in templates do the same with the same class and
attributes.
"""

import django_tables2 as tables

CARD_TABLE_CLASS = "table table-hover align-middle table-cards"


class CardsTable(tables.Table):
    """A table whose cells say their column (``data-label``) for the phone's cards. Subclasses set
    ``Meta.attrs = {"class": CARD_TABLE_CLASS}`` (or their own classes with ``table-cards``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.columns:  # columns are this table's own copies
            header = str(bound.header or "").strip()
            if not header:
                continue
            td = {**bound.column.attrs.get("td", {}), "data-label": header}
            bound.column.attrs = {**bound.column.attrs, "td": td}
