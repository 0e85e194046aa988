"""The API's representations of tasks, their agencies, periods, history entries and evidence: what
the task endpoints answer (``tasks.api``) and what their writes answer (``tasks.api_writes``)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tasks.models import Evidence, Occurrence, Task, TaskAssignment, TaskUpdate
from tasks.states import ProgressState


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
                  "api_client", "created_at"]

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
