"""API v1 for tasks, their periods (occurrences), their history and its evidence: read scoped
as the pages (``visible_to``), judged by the task list's own annotation
(``Task.objects.with_state(on)``) and naming who answers by the pages' one reading
(``tasks.answering``). The writes on a task are its endpoint's actions (``tasks.api_writes``)."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from config.api.filters import ApiFilterSet, FlagFilter, IdFilter, MomentFilter
from config.api.params import ON, day_param
from config.filters import FilterForm
from tasks.api_writes import TaskWrites
from tasks.filters import TaskFilter
from tasks.models import Evidence, Occurrence, Task, TaskStatus, TaskUpdate
from tasks.serializers import EvidenceSerializer, HistorySerializer, PeriodSerializer, TaskSerializer
from tasks.states import ProgressState, due_soon

# Tasks -------------------------------------------------------------------------------------------


class ApiTaskFilter(TaskFilter, ApiFilterSet):
    """The task list's filters (``q``, ``plan``, ``agency`` with ``role``, ``state``, ``due_within``,
    ``deadline_kind``, ``needs_date``, ``orphaned``), read on the day ``?on=`` (default today),
    with the due dates between ``due_after`` and ``due_before`` and ``updated_since``."""

    schema_types = {"agency": OpenApiTypes.INT}

    due_after = django_filters.DateFilter(label=_("Due on or after"), field_name="due_on", lookup_expr="gte")
    due_before = django_filters.DateFilter(
        label=_("Due on or before"), field_name="due_on", lookup_expr="lte"
    )
    updated_since = MomentFilter(
        label=_("Updated since"), field_name="updated_at", lookup_expr="gte"
    )
    needs_date = FlagFilter(label=_("Deadline unreadable"), method="filter_needs_date")
    orphaned = FlagFilter(label=_("No agency in force answers for it"), method="filter_orphaned")

    class Meta(TaskFilter.Meta):
        fields = [*TaskFilter.Meta.fields, "due_after", "due_before", "updated_since"]

    def filter_due_within(self, queryset, name, days):
        return queryset.filter(due_soon(day_param(self.request), days))

    def filter_orphaned(self, queryset, name, value):
        return queryset.orphaned(day_param(self.request)) if value else queryset


@extend_schema_view(
    list=extend_schema(parameters=[ON]),
    retrieve=extend_schema(parameters=[ON]),
)
class TaskViewSet(TaskWrites, viewsets.ReadOnlyModelViewSet):
    """Tasks of the caller's provinces: the agencies as printed (``assignments``) and those answering
    on the day (``leads``, ``coordinators``), and where each stands on the day ``?on=`` (default
    today), by the same rule as the pages."""

    serializer_class = TaskSerializer
    filterset_class = ApiTaskFilter

    def get_queryset(self):
        on = day_param(self.request)
        return (
            Task.objects.visible_to(self.request.user)
            .with_assignments()
            .with_state(on)
        )


# Periods -----------------------------------------------------------------------------------------


class PeriodFilter(ApiFilterSet):
    task = IdFilter(label=_("Task"), field_name="task_id")
    plan = IdFilter(label=_("Plan"), field_name="task__plan_id")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices)
    state = django_filters.ChoiceFilter(label=_("Where it stands"), choices=ProgressState.choices)
    due_after = django_filters.DateFilter(label=_("Due on or after"), field_name="due_on", lookup_expr="gte")
    due_before = django_filters.DateFilter(
        label=_("Due on or before"), field_name="due_on", lookup_expr="lte"
    )

    class Meta:
        model = Occurrence
        fields = ["task", "plan", "status", "state", "due_after", "due_before"]
        form = FilterForm


@extend_schema_view(list=extend_schema(parameters=[ON]), retrieve=extend_schema(parameters=[ON]))
class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """The periods of recurring tasks and the periodic reports of ongoing tasks, each judged on the
    day ``?on=`` (``Occurrence.objects.with_state``)."""

    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter

    def get_queryset(self):
        return (
            Occurrence.objects.visible_to(self.request.user)
            .select_related("task")
            .with_state(day_param(self.request))
        )


# History -----------------------------------------------------------------------------------------


class HistoryFilter(ApiFilterSet):
    task = IdFilter(label=_("Task"), field_name="task_id")
    plan = IdFilter(label=_("Plan"), field_name="task__plan_id")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=[c for c in TaskUpdate.Kind.choices if c[0] != TaskUpdate.Kind.WITHDRAWAL]
    )
    since = MomentFilter(label=_("Since"), field_name="created_at", lookup_expr="gte")

    class Meta:
        model = TaskUpdate
        fields = ["task", "plan", "kind", "since"]
        form = FilterForm


class HistoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Task history entries (never changed): reports, contributions, reviews, extensions, hand-overs,
    comments (a withdrawn comment with its withdrawal, its words hidden), urgings."""

    serializer_class = HistorySerializer
    filterset_class = HistoryFilter

    def get_queryset(self):
        return (
            TaskUpdate.objects.visible_to(self.request.user)
            .exclude(kind=TaskUpdate.Kind.WITHDRAWAL)
            .select_related("author", "withdrawal__author")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("pk", "update_id")))
        )


# Evidence ----------------------------------------------------------------------------------------


class EvidenceFilter(ApiFilterSet):
    task = IdFilter(label=_("Task"), field_name="update__task_id")
    update = IdFilter(label=_("History entry"), field_name="update_id")

    class Meta:
        model = Evidence
        fields = ["task", "update"]
        form = FilterForm


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """What supports a report or a contribution: the document as written and the file's name, type
    and size. The file itself is not served here."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter

    def get_queryset(self):
        return Evidence.objects.visible_to(self.request.user).select_related("update")
