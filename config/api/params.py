"""Query parameters every endpoint reads the same way, refused with a 400 in the interface's
language when they are malformed (never a 500)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from reports.periods import FIRST_YEAR, LAST_YEAR

ON = OpenApiParameter(
    "on", OpenApiTypes.DATE, description=_("The day tasks are judged on (YYYY-MM-DD); default today."),
)


DATE_HELP = _("Write a date as YYYY-MM-DD, with a year from %(first)s to %(last)s.")


def date_help():
    return DATE_HELP % {"first": FIRST_YEAR, "last": LAST_YEAR}


def in_years(day):
    """Whether ``day`` falls in the years reports cover (``reports.periods``)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def day_param(request, name="on"):
    """The day written as ``?on=YYYY-MM-DD``, today when absent. Years outside the reports' range
    (``reports.periods``) are typing slips, and days around them may not exist."""
    written = request.query_params.get(name)
    if written in (None, ""):
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(written)
    except ValueError:
        day = None
    if day is None or not in_years(day):
        raise ValidationError({name: [date_help()]})
    return day
