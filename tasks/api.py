"""API v1 for tasks, their periods (occurrences), their history and its evidence: read-only, scoped
as the pages (``visible_to``), judged by the task list's own annotation
(``Task.objects.with_state(on)``) and naming who answers by the pages' one reading
(``tasks.answering``)."""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from config.api.filters import ApiFilterSet, FlagFilter, MomentFilter
from config.api.params import ON, day_param
from config.filters import FilterForm
from config.params import MAX_PK_DIGITS
from tasks.filters import TaskFilter
from tasks.models import Evidence, Occurrence, Task, TaskAssignment, TaskStatus, TaskUpdate
from tasks.states import ProgressState, due_soon

MAX_PK = 10**MAX_PK_DIGITS - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_PK})
class IdFilter(django_filters.NumberFilter):
    """A primary key, read by the rule of ``config.params`` (django-filter's NumberFilter takes any
    decimal, and a number too large for the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_PK, **kwargs)


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


class AssignmentSerializer(serializers.ModelSerializer):
    """A lead or coordinating agency as the appendix printed it, with the dates it holds."""

    class Meta:
        model = TaskAssignment
        fields = ["role", "mention", "agency", "position", "active_from", "active_until", "handover"]


class AnswerLineSerializer(serializers.Serializer):
    """A printed mention and the agency answering for it on the day (``tasks.answering.AnswerLine``):
    the printed agency itself, its successor after a merger, the agencies of a hand-over."""

    printed = serializers.CharField(help_text="The words of the appendix.")
    printed_agency = serializers.IntegerField(allow_null=True, help_text="The agency they name, if any.")
    agency = serializers.IntegerField(allow_null=True, help_text="The agency answering on the day.")
    agency_name = serializers.CharField(allow_null=True)
    since = serializers.DateField(allow_null=True, help_text="Since when another agency answers.")
    decision = serializers.CharField(help_text="The hand-over's decision, if any.")
    text = serializers.CharField(help_text="The line as the pages print it.")

    def to_representation(self, line):
        agency = line.agency
        return {
            "printed": line.printed,
            "printed_agency": line.printed_agency.pk if line.printed_agency else None,
            "agency": agency.pk if agency else None,
            "agency_name": agency.name if agency else None,
            "since": line.since.isoformat() if line.changed else None,
            "decision": line.decision,
            "text": str(line),
        }


class TaskSerializer(serializers.ModelSerializer):
    assignments = AssignmentSerializer(many=True, read_only=True)
    leads = AnswerLineSerializer(many=True, read_only=True)
    coordinators = AnswerLineSerializer(many=True, read_only=True)
    judged_on = serializers.DateField(read_only=True, help_text="The day the state is judged on (?on=).")
    state = serializers.ChoiceField(choices=ProgressState.choices, read_only=True)
    due_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The date it is judged against."
    )
    done_on = serializers.DateField(read_only=True, allow_null=True)
    awaiting = serializers.BooleanField(read_only=True, help_text="Work reported complete awaits acceptance.")
    overdue_periods = serializers.IntegerField(read_only=True)
    judged_period = serializers.CharField(source="judged_period_label", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "section", "parent", "code", "position", "title", "deliverable", "notes",
                  "deadline_text", "deadline_kind", "deadline_due", "deadline_every", "due_override",
                  "extended_due", "status", "progress", "completed_on", "version", "assignments", "leads",
                  "coordinators", "judged_on", "state", "due_on", "done_on", "awaiting", "overdue_periods",
                  "judged_period", "created_at", "updated_at"]


@extend_schema_view(
    list=extend_schema(parameters=[ON]),
    retrieve=extend_schema(parameters=[ON]),
)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
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


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="The period as people name it: “Quý III/2025”.")
    judged_on = serializers.DateField(read_only=True)
    state = serializers.ChoiceField(choices=ProgressState.choices, read_only=True)
    due_on = serializers.DateField(read_only=True)
    awaiting = serializers.BooleanField(read_only=True)

    class Meta:
        model = Occurrence
        fields = ["id", "task", "due", "purpose", "label", "status", "progress", "completed_on",
                  "extended_due", "judged_on", "state", "due_on", "awaiting"]


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


class WithdrawalSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = TaskUpdate
        fields = ["by", "created_at"]

    def get_by(self, entry) -> str | None:
        return entry.author.display_name if entry.author else None


class HistorySerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField(help_text="A withdrawn comment's words are not given.")
    mentions = serializers.SerializerMethodField()
    withdrawn = serializers.SerializerMethodField()
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = TaskUpdate
        fields = ["id", "task", "occurrence", "kind", "author", "author_name", "agency", "changes", "done",
                  "difficulties", "proposals", "note", "mentions", "withdrawn", "urging", "evidence",
                  "created_at"]

    def get_author_name(self, update) -> str | None:
        return update.author.display_name if update.author else None

    def get_note(self, update) -> str:
        # Comments speak through comment_text, as on every page: nothing once withdrawn.
        return update.comment_text if update.kind == TaskUpdate.Kind.COMMENT else update.note

    def get_mentions(self, update) -> list[dict]:
        return update.mentions if update.withdrawal_entry is None else []

    @extend_schema_field(WithdrawalSerializer(allow_null=True))
    def get_withdrawn(self, update):
        withdrawal = update.withdrawal_entry
        if withdrawal is None:
            return None
        return WithdrawalSerializer(withdrawal).data


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


class EvidenceSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="update.task_id", read_only=True)
    has_file = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField(
        help_text="The file on the portal, for its signed-in users."
    )

    class Meta:
        model = Evidence
        fields = ["id", "update", "task", "reference", "original_name", "content_type", "size", "has_file",
                  "portal_url"]

    def get_has_file(self, evidence) -> bool:
        return bool(evidence.file)

    def get_portal_url(self, evidence) -> str | None:
        return reverse("tasks:evidence", args=[evidence.pk]) if evidence.file else None


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """What supports a report or a contribution: the document as written and the file's name, type
    and size. The file itself is not served here."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter

    def get_queryset(self):
        return Evidence.objects.visible_to(self.request.user).select_related("update")
