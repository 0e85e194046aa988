import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from plans.models import Plan
from tasks.models import AssignmentRole, DeadlineKind, Task, TaskStatus


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    plan = django_filters.ModelChoiceFilter(label=_("Plan"), queryset=Plan.objects.none())
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"), queryset=Agency.objects.none(), method="filter_agency"
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=AssignmentRole.choices, method="filter_noop"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices)
    deadline_kind = django_filters.ChoiceFilter(label=_("Deadline kind"), choices=DeadlineKind.choices)

    class Meta:
        model = Task
        fields = ["q", "plan", "agency", "role", "status", "deadline_kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["plan"].queryset = Plan.objects.visible_to(self.request.user)
        self.filters["agency"].queryset = Agency.objects.visible_to(self.request.user)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__iexact=value) | Q(title__icontains=value) | Q(deliverable__icontains=value)
        )

    def filter_agency(self, queryset, name, agency):
        return queryset.for_agency(agency, role=self.form.cleaned_data.get("role") or None)

    def filter_noop(self, queryset, name, value):
        # The role only narrows the agency filter (see filter_agency).
        return queryset
