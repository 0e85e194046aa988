"""Agency pickers: every select of agencies offers those in force, marks an ended one "(ended
dd/mm/yyyy)" and shows it only when the form already holds it, so that saving a form again never
drops an agency it was given (a 2024 plan's report recipient, Sở Thông tin và Truyền thông)."""

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def offered_agencies(agencies, on, keep=()):
    """``agencies`` as a picker offers them on ``on``: without those ended before that day, but for
    the agencies of ``keep`` (pks, or a queryset of them: the value the form holds)."""
    return agencies.filter(~Q(active_until__lt=on) | Q(pk__in=keep))


def agency_label(agency, on):
    """The agency's name, marked "(ended dd/mm/yyyy)" when it ended before ``on``."""
    if agency.active_until is not None and agency.active_until < on:
        return _("%(agency)s (ended %(date)s)") % {
            "agency": agency.name, "date": date_format(agency.active_until, "SHORT_DATE_FORMAT"),
        }
    return agency.name


class AgencyChoiceField(forms.ModelChoiceField):
    """A select of agencies; ``offer`` sets what it offers and the day its labels are read on."""

    on = None

    def offer(self, agencies, on, keep=()):
        self.on = on
        self.queryset = offered_agencies(agencies, on, keep)

    def label_from_instance(self, agency):
        return agency_label(agency, self.on)
