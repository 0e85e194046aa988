"""Periods as the interface names them, in the active language.

:attr:`reports.periods.Period.label` is the Vietnamese of the report documents ("Quý III năm
2024"), which stay Vietnamese whatever the interface language; pages name a period with
:func:`period_label`, whose Vietnamese translations read exactly like those labels.
"""

from django.utils.translation import gettext as _

from reports.periods import ROMAN, Period, PeriodError, parse_period


def period_label(period):
    """The label of ``period``: a :class:`Period`, a summary's ``period`` dict (with its "code")
    or a period's code; text that is no period is returned as it is."""
    if isinstance(period, dict):
        period = period.get("code")
    if not isinstance(period, Period):
        try:
            period = parse_period(period)
        except PeriodError:
            return period or ""
    year = str(period.start.year)
    if period.months == 12:
        return _("Year %(year)s") % {"year": year}
    if period.months == 6:
        if period.end.month == 6:
            return _("First half of %(year)s") % {"year": year}
        return _("Second half of %(year)s") % {"year": year}
    if period.months == 3:
        return _("Quarter %(quarter)s of %(year)s") % {"quarter": ROMAN[period.end.month // 3], "year": year}
    return _("From %(start)s to %(end)s") % {"start": f"{period.start:%d/%m/%Y}",
                                              "end": f"{period.end:%d/%m/%Y}"}
