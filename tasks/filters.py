import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.fields import AgencyChoiceField
from agencies.models import Agency
from config.filters import ALL, FilterForm
from config.params import pk_params
from plans.models import Plan
from tasks.models import AssignmentRole, DeadlineKind, Task
from tasks.states import ProgressState, due_soon


class AgencyChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = AgencyChoiceField


class DaysFilter(django_filters.NumberFilter):
    """A whole number of days (django-filter's NumberFilter takes any decimal)."""

    field_class = forms.IntegerField


# Ten years: enough to see every deadline of a plan; past it the date so many days on (up to year
# 9999) would not even exist.
DUE_WITHIN_MAX_DAYS = 3650


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    plan = django_filters.ModelChoiceFilter(label=_("Plan"), queryset=Plan.objects.none(), empty_label=ALL)
    agency = AgencyChoiceFilter(
        label=_("Agency"), queryset=Agency.objects.none(), method="filter_agency", empty_label=ALL
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=AssignmentRole.choices, method="filter_noop", empty_label=ALL
    )
    state = django_filters.ChoiceFilter(label=_("Status"), choices=ProgressState.choices, empty_label=ALL)
    due_within = DaysFilter(
        label=_("Due within (days)"), method="filter_due_within", min_value=0, max_value=DUE_WITHIN_MAX_DAYS
    )
    deadline_kind = django_filters.ChoiceFilter(
        label=_("Deadline kind"), choices=DeadlineKind.choices, empty_label=ALL
    )
    needs_date = django_filters.BooleanFilter(
        label=_("Deadline unreadable"), method="filter_needs_date", widget=forms.CheckboxInput
    )
    orphaned = django_filters.BooleanFilter(
        label=_("No agency in force answers for it"), method="filter_orphaned", widget=forms.CheckboxInput
    )

    class Meta:
        model = Task
        fields = ["q", "plan", "agency", "role", "state", "due_within", "deadline_kind", "needs_date",
                  "orphaned"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["plan"].queryset = Plan.objects.visible_to(self.request.user)
        self.form.fields["agency"].offer(
            Agency.objects.visible_to(self.request.user), timezone.localdate(),
            keep=pk_params([self.data.get("agency")]),  # a link may name an ended agency
        )

    def search(self, queryset, name, value):
        matching = Q(code__iexact=value) | Q(title__icontains=value) | Q(deliverable__icontains=value)
        return queryset.filter(matching)

    def filter_agency(self, queryset, name, agency):
        return queryset.for_agency(agency, role=self.form.cleaned_data.get("role") or None)

    def filter_due_within(self, queryset, name, days):
        # The view's queryset already carries with_state(today).
        return queryset.filter(due_soon(timezone.localdate(), days))

    def filter_needs_date(self, queryset, name, value):
        return queryset.unknown_deadline() if value else queryset

    def filter_orphaned(self, queryset, name, value):
        return queryset.orphaned(timezone.localdate()) if value else queryset

    def filter_noop(self, queryset, name, value):
        # The role only narrows the agency filter (see filter_agency).
        return queryset
