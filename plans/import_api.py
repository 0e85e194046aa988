"""``/api/v1/imports/``: an appendix import by another system (the e-office system that registers the
province's plans): upload the file → read its preview (the ``import_appendix --dry-run --json``
shape, with the agency mentions to decide) → confirm it with those decisions.

The pages' steps (``plans.import_flow``) and forms, for the same callers: the provincial admins of
the province, superusers, and the province's read-write API key. A large file or a PDF is read by
the Celery worker: the upload answers 202 and the import's ``status`` tells when it is previewed.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from plans.appendix.reading import AppendixError
from plans.forms import CREATE, MentionChoiceForm, NewPlanForm, UploadForm, agencies_for
from plans.import_commit import preview_changes
from plans.import_flow import ImportRefused, confirm_import, new_import, start_import
from plans.importing import contract, mentions_to_review, plan_date, plan_to_create
from plans.models import AppendixImport, ImportStatus
from tasks.api_writes import Refused, checked, form_data
from tasks.permissions import can_edit_plan

NOT_IMPORTER = _("Only the provincial admins of the plan's province import its appendices.")


def _may_import(user):
    return user.is_superuser or user.is_province_admin


class ImportSerializer(serializers.ModelSerializer):
    preview = serializers.SerializerMethodField(
        help_text="The tasks, targets and issues read (import_appendix --dry-run --json), once read."
    )
    counts = serializers.SerializerMethodField(help_text="Tasks the confirmation creates, updates, deletes.")
    mentions = serializers.SerializerMethodField(
        help_text="Agency mentions to decide on confirmation, with the agency each is saved with unless told."
    )

    class Meta:
        model = AppendixImport
        fields = ["id", "province", "plan", "status", "original_name", "reference_date", "rows_total",
                  "rows_done", "error", "preview", "counts", "mentions", "result", "created_at", "updated_at"]

    def _read(self, record):
        reading = record.status in (ImportStatus.UPLOADED, ImportStatus.READING)
        return not reading and bool(record.preview.get("tasks"))

    def get_preview(self, record) -> dict | None:
        return contract(record.preview) if self._read(record) else None

    def get_counts(self, record) -> dict | None:
        return preview_changes(record.plan, record.preview) if self._read(record) else None

    def get_mentions(self, record) -> list[dict]:
        if record.status != ImportStatus.PREVIEWED:
            return []
        form = mention_form(record)
        return [
            {**entry, "saved_as": form.fields[f"choice_{index}"].initial}
            for index, entry in enumerate(form.mentions)
        ]


def mention_form(record, data=None):
    """The preview page's form of the agency mentions to decide (``plans.import_views``)."""
    mentions = mentions_to_review(record.preview)
    on = plan_date(record)
    agencies = agencies_for(record.province, on, mentions)
    return MentionChoiceForm(data, mentions=mentions, agencies=agencies, on=on)


class UploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="The appendix (.xlsx, .xls, .ods, .csv) or plan (.docx, .pdf).")
    plan = serializers.IntegerField(required=False, help_text="An existing plan; else describe a new one:")
    number = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False)
    reference_date = serializers.DateField(required=False)
    province = serializers.IntegerField(required=False, help_text="A superuser's new plan's province.")


class ConfirmInput(serializers.Serializer):
    mentions = serializers.DictField(
        child=serializers.CharField(), required=False,
        help_text='Mention as printed → an agency id, "text" (kept as printed) or "create" (a new agency).',
    )
    kinds = serializers.DictField(
        child=serializers.CharField(), required=False, help_text="A mention to create: the kind.",
    )
    targets = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Codes of the proposed targets to keep."
    )
    plan = serializers.DictField(
        required=False, help_text="The new plan's number, title, issued_on, issuer, signer, signer_position.",
    )


class ImportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ImportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generator has no caller
            return AppendixImport.objects.none()
        if not _may_import(self.request.user):
            raise exceptions.PermissionDenied(NOT_IMPORTER)
        return AppendixImport.objects.visible_to(self.request.user).select_related("plan", "province")

    @extend_schema(request={"multipart/form-data": UploadInput}, responses={201: ImportSerializer,
                                                                          202: ImportSerializer},
                   summary="Upload an appendix: read at once (201) or by the worker (202)")
    def create(self, request):
        user = request.user
        if not _may_import(user):
            raise exceptions.PermissionDenied(NOT_IMPORTER)
        fields = ["plan", "number", "title", "issued_on", "reference_date", "province"]
        form = UploadForm(form_data(request, fields), request.FILES, user=user)
        checked(form)
        record = new_import(form, user)
        if not can_edit_plan(user, record):
            raise exceptions.PermissionDenied(NOT_IMPORTER)
        try:
            start_import(record, form)
        except AppendixError as error:
            raise exceptions.ValidationError({"file": [error.message]}) from None
        read = record.status == ImportStatus.PREVIEWED
        return Response(ImportSerializer(record).data, status=status.HTTP_201_CREATED if read else 202)

    @extend_schema(request=ConfirmInput, responses={200: ImportSerializer},
                   summary="Save a previewed import with the decisions on its agency mentions")
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def confirm(self, request, pk=None):
        record = self.get_object()
        if not can_edit_plan(request.user, record):
            raise exceptions.PermissionDenied(NOT_IMPORTER)
        if record.status != ImportStatus.PREVIEWED:
            raise Refused(_("This import is no longer waiting for confirmation."))
        body = request.data if isinstance(request.data, dict) else {}
        form = mention_form(record, self._choices(mention_form(record), body))
        if not form.is_valid():
            raise exceptions.ValidationError({"mentions": [
                f"{entry['mention']}: {message}" for index, entry in enumerate(form.mentions)
                for name in (f"choice_{index}", f"kind_{index}") for message in form.errors.get(name, ())
            ]})
        new_plan = plan_to_create(record) if record.plan is None else None
        forms = []
        if new_plan is not None:
            given = body.get("plan") if isinstance(body.get("plan"), dict) else {}
            plan_form = NewPlanForm(
                {f"plan-{name}": _text(given.get(name, value)) for name, value in new_plan.items()
                 if name in NewPlanForm.base_fields},
                province=record.province,
            )
            forms.append(plan_form)
        checked(*forms)
        if new_plan is not None:
            new_plan.update(plan_form.cleaned_data)
        targets = body.get("targets") if isinstance(body.get("targets"), list) else []
        try:
            confirm_import(record, choices=form.choices(), new_plan=new_plan, user=request.user,
                           targets=[str(code) for code in targets])
        except ImportRefused as refused:
            raise Refused(refused.message) from None
        record.refresh_from_db()
        return Response(ImportSerializer(record).data)

    @staticmethod
    def _choices(form, body):
        """The form's data: each mention's decision as given by its printed words, else what the page
        proposes (the agency it resolves to, or the text kept)."""
        given = body.get("mentions") if isinstance(body.get("mentions"), dict) else {}
        kinds = body.get("kinds") if isinstance(body.get("kinds"), dict) else {}
        data = {}
        for index, entry in enumerate(form.mentions):
            choice = given.get(entry["mention"], form.fields[f"choice_{index}"].initial)
            data[f"choice_{index}"] = _text(choice)
            if data[f"choice_{index}"] == CREATE:
                data[f"kind_{index}"] = _text(kinds.get(entry["mention"], ""))
        return data


def _text(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)

