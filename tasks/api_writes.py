"""API v1 writes on tasks: a lead agency's progress report with its evidence, a coordinator's
contribution, an extension request, the provincial admin's review and extension decision.

Each call is the page's own change: the same permission predicate (``tasks.permissions``, else 403),
the page's own form for what was sent (``tasks.forms``: the same checks and messages, else 400 with
each field's messages), and the one workflow service (``tasks.workflow``). The workflow answers for
the task: a version that is no longer the task's is a 409 with the current version, a move it
refuses a 422 with its message. Whoever wrote through a token or an API key is named in the history
by its name (``TaskUpdate.api_client``).

A body is JSON, or multipart/form-data to attach evidence files: ``evidence`` (files, repeatable) and
``references`` (document references as written, repeatable), each one evidence item.
"""

from decimal import Decimal, InvalidOperation

import django_filters
from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from config.api.filters import ApiFilterSet, IdFilter
from config.filters import FilterForm
from tasks import workflow
from tasks.forms import (
    ContributionForm,
    EvidenceFormSet,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ReportForm,
    ReviewForm,
    evidence_items,
)
from tasks.models import Evidence, ExtensionRequest, ExtensionStatus, Task, TaskUpdate
from tasks.permissions import can_contribute, can_report, can_review
from tasks.serializers import HistorySerializer

WRITE_PARSERS = [JSONParser, MultiPartParser, FormParser]

NOT_LEAD = _("Only focal points of the agency leading this task report on it, while its plan is in force.")
NOT_COORDINATOR = _(
    "Only focal points of an agency coordinating this task send contributions, while its plan is in force."
)
NOT_REVIEWER = _("Only the provincial admins of the plan's province decide on its work.")


class Refused(exceptions.APIException):
    """The workflow refuses the change (a transition not allowed, an indicator not met, a request
    already decided): 422 with its message."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "refused"


class Conflict(exceptions.APIException):
    """The task changed since the caller read it: 409 with its current version, to read it again."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, message, version):
        super().__init__()
        self.detail = {"detail": str(message), "version": version}


def refuse_unless(allowed, message):
    if not allowed:
        raise exceptions.PermissionDenied(message)


def form_data(request, fields):
    """The values of ``fields`` sent, as a form reads them (a JSON number or boolean as its text)."""
    data = request.data
    if hasattr(data, "getlist"):  # multipart / form-encoded
        return {field: data.get(field) for field in fields if field in data}
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"detail": [_("Send a JSON object.")]})
    return {field: _as_text(data[field]) for field in fields if data.get(field) is not None}


def _as_text(value):
    if isinstance(value, bool):
        return "on" if value else ""
    return value if isinstance(value, str) else str(value)


def checked(*forms):
    """Raise a 400 with every field's messages unless each form (or formset) is valid."""
    errors = {}
    for form in forms:
        if form.is_valid():
            continue
        if isinstance(form, EvidenceFormSet):
            messages = [str(m) for m in form.non_form_errors()]
            messages += [str(m) for item in form.errors for field in item.values() for m in field]
            errors["evidence"] = messages
            continue
        for field, messages in form.errors.items():
            errors["non_field_errors" if field == "__all__" else field] = [str(m) for m in messages]
    if errors:
        raise exceptions.ValidationError(errors)


def evidence_formset(request):
    """The evidence sent (files ``evidence``, references ``references``) in the pages' formset, so each
    file is checked as on the pages (kind sniffed, size bounded)."""
    data = request.data
    files = request.FILES.getlist("evidence") if hasattr(request.FILES, "getlist") else []
    references = data.getlist("references") if hasattr(data, "getlist") else data.get("references") or []
    if not isinstance(references, list):
        raise exceptions.ValidationError({"references": [_("Give the references as a list.")]})
    items = [{"reference": _as_text(reference)} for reference in references] + [{"file": f} for f in files]
    bound = {"evidence-TOTAL_FORMS": str(len(items)), "evidence-INITIAL_FORMS": "0"}
    uploads = {}
    for index, item in enumerate(items):
        if "file" in item:
            uploads[f"evidence-{index}-file"] = item["file"]
        else:
            bound[f"evidence-{index}-reference"] = item["reference"]
    return EvidenceFormSet(bound, uploads, prefix="evidence")


def indicator_data(request):
    """``indicators: {"<id>": "12.5"}`` as the report form's localized fields read them."""
    given = request.data.get("indicators") if isinstance(request.data, dict) else None
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise exceptions.ValidationError({"indicators": [_("Give the indicators as {\"id\": value}.")]})
    data = {}
    for pk, value in given.items():
        try:
            value = formats.localize_input(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            value = _as_text(value)
        data[f"indicator_{pk}"] = value
    return data


def through_workflow(task, change):
    """Run ``change`` (a call into tasks.workflow) and answer what it wrote, or its refusal."""
    try:
        update = change()
    except workflow.StaleVersion as error:
        current = Task.objects.values_list("version", flat=True).get(pk=task.pk)
        raise Conflict(error.message, current) from None
    except workflow.WorkflowError as error:
        raise Refused(error.message) from None
    return written(update)


def written(update):
    """201 with the history entry written and the task as it now is."""
    entry = TaskUpdate.objects.select_related("author", "withdrawal__author").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.only("pk", "update_id"))
    ).get(pk=update.pk)
    task = Task.objects.values("id", "status", "progress", "completed_on", "extended_due", "version").get(
        pk=update.task_id
    )
    return Response({"entry": HistorySerializer(entry).data, "task": task}, status=status.HTTP_201_CREATED)


# What the schema says is sent; what is accepted is decided by the pages' forms.


class EvidenceInput(serializers.Serializer):
    references = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False,
        help_text="Document references as written (“Quyết định số 123/QĐ-UBND ngày 12/6/2024”).",
    )
    evidence = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Files, with multipart/form-data only."
    )


class ReportInput(EvidenceInput):
    version = serializers.IntegerField(min_value=1, help_text="The task's version as read.")
    occurrence = serializers.IntegerField(
        required=False, allow_null=True, help_text="The period reported on (required for a recurring task)."
    )
    status = serializers.ChoiceField(choices=["not_started", "in_progress", "awaiting_acceptance"])
    progress = serializers.IntegerField(min_value=0, max_value=100)
    completed_on = serializers.DateField(required=False, allow_null=True)
    done = serializers.CharField()
    difficulties = serializers.CharField(required=False, allow_blank=True)
    proposals = serializers.CharField(required=False, allow_blank=True)
    indicators = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=4), required=False,
        help_text="The value reached of each product indicator of the task, by its id.",
    )


class ContributionInput(EvidenceInput):
    done = serializers.CharField()
    difficulties = serializers.CharField(required=False, allow_blank=True)
    proposals = serializers.CharField(required=False, allow_blank=True)


class ReviewInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    decision = serializers.ChoiceField(choices=["accept", "return"])
    occurrence = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, help_text="Required when returning.")


class ExtensionRequestInput(serializers.Serializer):
    occurrence = serializers.IntegerField(required=False, allow_null=True)
    proposed_due = serializers.DateField()
    reason = serializers.CharField()


class ExtensionDecisionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    note = serializers.CharField(required=False, allow_blank=True)


class WrittenTask(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    completed_on = serializers.DateField(allow_null=True)
    extended_due = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["id", "task", "occurrence", "agency", "requested_by", "original_due", "proposed_due",
                  "reason", "status", "decided_by", "decided_at", "decision_note", "created_at"]


class Written(serializers.Serializer):
    entry = HistorySerializer()
    task = WrittenTask()


def _schema(request, summary):
    return extend_schema(request={"application/json": request, "multipart/form-data": request},
                         responses={201: Written}, summary=summary)


class TaskWrites:
    """The write actions of ``/api/v1/tasks/{id}/``, mixed into the task endpoint."""

    def _task(self, allowed, message):
        user = self.request.user
        task = get_object_or_404(
            Task.objects.visible_to(user).select_related("plan").with_roles_of(user), pk=self.kwargs["pk"]
        )
        refuse_unless(allowed(user, task), message)
        return task

    @_schema(ReportInput, "A lead agency's progress report")
    @action(detail=True, methods=["post"], parser_classes=WRITE_PARSERS)
    def report(self, request, pk=None):
        task = self._task(can_report, NOT_LEAD)
        fields = ["version", "occurrence", "status", "progress", "completed_on", "done", "difficulties",
                  "proposals"]
        form = ReportForm({**form_data(request, fields), **indicator_data(request)}, task=task)
        evidence = evidence_formset(request)
        checked(form, evidence)
        data = form.cleaned_data
        return through_workflow(task, lambda: workflow.report(
            task, author=request.user, version=data["version"], occurrence=data["occurrence"],
            status=data["status"], progress=data["progress"], completed_on=data["completed_on"],
            done=data["done"], difficulties=data["difficulties"], proposals=data["proposals"],
            evidence=evidence_items(evidence), indicator_values=form.indicator_values(),
        ))

    @_schema(ContributionInput, "A coordinating agency's contribution")
    @action(detail=True, methods=["post"], parser_classes=WRITE_PARSERS)
    def contribute(self, request, pk=None):
        task = self._task(can_contribute, NOT_COORDINATOR)
        form = ContributionForm(form_data(request, ["done", "difficulties", "proposals"]))
        evidence = evidence_formset(request)
        checked(form, evidence)
        return through_workflow(task, lambda: workflow.contribute(
            task, author=request.user, evidence=evidence_items(evidence), **form.cleaned_data
        ))

    @_schema(ReviewInput, "The provincial admin accepts or returns work reported complete")
    @action(detail=True, methods=["post"], parser_classes=WRITE_PARSERS)
    def review(self, request, pk=None):
        task = self._task(can_review, NOT_REVIEWER)
        form = ReviewForm(form_data(request, ["version", "decision", "occurrence", "note"]), task=task)
        checked(form)
        data = form.cleaned_data
        return through_workflow(task, lambda: workflow.review(
            task, author=request.user, version=data["version"], accept=data["decision"] == "accept",
            note=data["note"], occurrence=data["occurrence"],
        ))

    @extend_schema(request={"application/json": ExtensionRequestInput}, responses={201: ExtensionSerializer},
                   summary="The lead agency asks for more time")
    @action(detail=True, methods=["post"], url_path="extension-request", parser_classes=WRITE_PARSERS)
    def extension_request(self, request, pk=None):
        task = self._task(can_report, NOT_LEAD)
        form = ExtensionRequestForm(form_data(request, ["occurrence", "proposed_due", "reason"]), task=task)
        checked(form)
        data = form.cleaned_data
        try:
            extension = workflow.request_extension(
                task, author=request.user, proposed_due=data["proposed_due"], reason=data["reason"],
                occurrence=data["occurrence"],
            )
        except workflow.WorkflowError as error:
            raise Refused(error.message) from None
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


# Extension requests ------------------------------------------------------------------------------


class ExtensionFilter(ApiFilterSet):
    task = IdFilter(label=_("Task"), field_name="task_id")
    plan = IdFilter(label=_("Plan"), field_name="task__plan_id")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ExtensionStatus.choices)

    class Meta:
        model = ExtensionRequest
        fields = ["task", "plan", "status"]
        form = FilterForm


class ExtensionViewSet(viewsets.ReadOnlyModelViewSet):
    """Extension requests of the caller's provinces (``?status=pending``: those waiting for a
    decision), and the provincial admin's decision on one."""

    serializer_class = ExtensionSerializer
    filterset_class = ExtensionFilter

    def get_queryset(self):
        return ExtensionRequest.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    @_schema(ExtensionDecisionInput, "The provincial admin approves or rejects an extension request")
    @action(detail=True, methods=["post"], parser_classes=WRITE_PARSERS)
    def decide(self, request, pk=None):
        extension = self.get_object()
        task = Task.objects.select_related("plan").get(pk=extension.task_id)
        refuse_unless(can_review(request.user, task), NOT_REVIEWER)
        form = ExtensionDecisionForm(form_data(request, ["version", "decision", "note"]), task=task)
        checked(form)
        data = form.cleaned_data
        return through_workflow(task, lambda: workflow.decide_extension(
            extension, author=request.user, version=data["version"], approve=data["decision"] == "approve",
            note=data["note"],
        ))
