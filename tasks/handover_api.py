"""``POST /api/v1/handovers/``: a provincial admin (or the province's read-write API key) hands tasks of
one agency over to agencies in force, citing the decision: the hand-over page's form and service
(``tasks.handover``), so the same tasks are offered, the same agencies accepted, the same history
written."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from agencies.models import Agency
from config.params import pk_param
from tasks.api_writes import WRITE_PARSERS, checked, form_data, refuse_unless
from tasks.forms import HandoverForm
from tasks.handover import hand_over, open_tasks_of
from tasks.models import AssignmentRole, Task
from tasks.permissions import can_hand_over

NOT_ADMIN = _("Only provincial admins hand tasks over.")


class HandoverInput(serializers.Serializer):
    from_agency = serializers.IntegerField(help_text="The agency whose tasks are handed over.")
    tasks = serializers.ListField(
        child=serializers.IntegerField(), required=False,
        help_text="Its open tasks handed over; all of them when left out.",
    )
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    to_agencies = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    decision = serializers.CharField(max_length=255, help_text="“Quyết định số 1234/QĐ-UBND ngày 15/07/2025”")
    effective_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)


class HandoverResult(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.CharField()
    effective_on = serializers.DateField()
    role = serializers.CharField()
    tasks = serializers.ListField(child=serializers.IntegerField(), help_text="The tasks handed over.")


class HandoverViewSet(viewsets.GenericViewSet):
    parser_classes = WRITE_PARSERS
    serializer_class = HandoverInput

    @extend_schema(request=HandoverInput, responses={201: HandoverResult},
                   summary="Hand tasks of an agency over to others")
    def create(self, request):
        user = request.user
        refuse_unless(can_hand_over(user), NOT_ADMIN)
        data = form_data(request, ["from_agency", "role", "decision", "effective_on", "note"])
        agencies = Agency.objects.visible_to(user)
        from_agency = agencies.filter(pk=pk_param(data.get("from_agency"))).first()
        if from_agency is None:
            raise exceptions.ValidationError({"from_agency": [_("Choose an agency of your province.")]})
        tasks = open_tasks_of(from_agency, Task.objects.visible_to(user), timezone.localdate())
        data["tasks"] = self._listed(request, "tasks") or list(tasks.values_list("pk", flat=True))
        data["to_agencies"] = self._listed(request, "to_agencies")
        form = HandoverForm(
            data, tasks=tasks, agencies=agencies.active(timezone.localdate()), from_agency=from_agency
        )
        checked(form)
        chosen = form.cleaned_data
        handover = hand_over(
            Task.objects.filter(pk__in=[task.pk for task in chosen["tasks"]]),
            from_agency=from_agency, to_agencies=list(chosen["to_agencies"]), role=chosen["role"],
            decision=chosen["decision"], effective_on=chosen["effective_on"], user=user, note=chosen["note"],
        )
        handed = sorted(set(handover.ended_assignments.values_list("task_id", flat=True)))
        return Response({
            "id": handover.pk, "decision": handover.decision, "effective_on": handover.effective_on,
            "role": handover.role, "tasks": handed,
        }, status=status.HTTP_201_CREATED)

    @staticmethod
    def _listed(request, field):
        values = request.data.getlist(field) if hasattr(request.data, "getlist") else request.data.get(field)
        if values in (None, ""):
            return []
        if not isinstance(values, list):
            raise exceptions.ValidationError({field: [_("Give a list of ids.")]})
        return [str(value) for value in values]
