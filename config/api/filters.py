"""What the API's filtersets add to the portal's: their own copies of the filters, and strict flags.

drf-spectacular writes a filter's parameter from its form field (``Filter.field``), which
django-filter builds once and keeps on the filter. A subclass shares its parent's declared filter
objects, so writing the schema would leave on the pages' filtersets form fields built before their
``__init__`` narrowed them (the plan list's years, the task list's plans): those lists would then
refuse every year. API filtersets take deep copies of their filters when the class is made, and
build their form fields afresh for each request (``BaseFilterSet.__init__`` copies the filters,
``_field`` included)."""

import copy
import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from config.params import MAX_PK_DIGITS

MAX_PK = 10**MAX_PK_DIGITS - 1


class ApiFilterSet(django_filters.FilterSet):
    """Put last among the bases, after the portal's filterset: ``class ApiTaskFilter(TaskFilter,
    ApiFilterSet)``, so that the fields are dropped before the portal's ``__init__`` reads them.

    ``schema_types`` types the parameters drf-spectacular cannot type from the filter itself (the
    year of a date, a choice filtered by a method)."""

    schema_types = {}

    @classmethod
    def get_filters(cls):
        filters = copy.deepcopy(super().get_filters())
        for name, schema_type in cls.schema_types.items():
            set_override(filters[name], "field", schema_type)
        return filters

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field_filter in self.filters.values():
            field_filter.__dict__.pop("_field", None)


class FlagField(forms.NullBooleanField):
    """``true`` / ``false`` (or ``1`` / ``0``); anything else is refused, where the pages' check boxes
    take any value as ticked."""

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        if str(value).lower() not in self.VALUES:
            raise forms.ValidationError(_("Write true or false."), code="invalid")
        return self.VALUES[str(value).lower()]

    def validate(self, value):
        pass


@extend_schema_field(OpenApiTypes.BOOL)
class FlagFilter(django_filters.BooleanFilter):
    field_class = FlagField


class MomentField(IsoDateTimeField):
    """An ISO 8601 date and time, handed to the database in UTC: Python reads offsets up to ±23:59
    that PostgreSQL refuses past ±15:59 ("2024-05-01T08:00-22:12")."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:  # the year 1 or 9999 moved past its end
            message = _("Write a date and time from the year 1 to 9999.")
            raise forms.ValidationError(message, code="invalid") from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_PK})
class IdFilter(django_filters.NumberFilter):
    """A primary key, read by the rule of ``config.params`` (django-filter's NumberFilter takes any
    decimal, and a number too large for the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_PK, **kwargs)
