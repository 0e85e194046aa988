"""API v1 for a plan's targets: read-only, scoped as the pages (``visible_to``), each with where it
stands on ``?on=`` (default today) by the rule of the plan page (``standing.standings_on``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from config.api.filters import ApiFilterSet, IdFilter
from config.api.params import ON, day_param
from config.filters import FilterForm
from tasks.targets.judging import NO_TREND, NOT_REPORTED
from tasks.targets.models import Target
from tasks.targets.standing import standings_on


class TargetFilter(ApiFilterSet):
    plan = IdFilter(label=_("Plan"), field_name="plan_id")

    class Meta:
        model = Target
        fields = ["plan"]
        form = FilterForm


# Values as the target's own value and baseline are written: a decimal string, "85.0000".
REPORTED_VALUE = serializers.DecimalField(max_digits=16, decimal_places=4)


class TargetSerializer(serializers.ModelSerializer):
    judged_on = serializers.SerializerMethodField(help_text="The day the state is judged on (?on=).")
    state = serializers.SerializerMethodField(help_text="met, not_met or not_reported.")
    trend = serializers.SerializerMethodField(help_text="on_track, at_risk or no_trend.")
    value_reported = serializers.SerializerMethodField(help_text="The latest value accepted.")
    reported_for = serializers.SerializerMethodField(help_text="The end of the period it was reported for.")
    awaiting = serializers.SerializerMethodField(help_text="A value reported waits for acceptance.")

    class Meta:
        model = Target
        fields = ["id", "plan", "code", "group", "name", "comparator", "value", "value_max", "unit", "level",
                  "deadline_text", "due", "reporting_agency", "baseline", "origin", "version", "judged_on",
                  "state", "trend", "value_reported", "reported_for", "awaiting"]

    def _standing(self, target):
        return self.context["standings"].get(target.pk)

    def get_judged_on(self, target) -> str:
        return self.context["on"].isoformat()

    def get_state(self, target) -> str:
        standing = self._standing(target)
        return standing.state if standing else NOT_REPORTED

    def get_trend(self, target) -> str:
        standing = self._standing(target)
        return standing.trend if standing else NO_TREND

    def get_value_reported(self, target) -> str | None:
        standing = self._standing(target)
        if standing is None or standing.value is None:
            return None
        return REPORTED_VALUE.to_representation(standing.value)

    def get_reported_for(self, target) -> str | None:
        standing = self._standing(target)
        return standing.reported_for.isoformat() if standing and standing.reported_for else None

    def get_awaiting(self, target) -> bool:
        standing = self._standing(target)
        return bool(standing and standing.awaiting)


@extend_schema_view(list=extend_schema(parameters=[ON]), retrieve=extend_schema(parameters=[ON]))
class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Targets of the caller's provinces' plans (``?plan=``), where each stands on ``?on=``: the
    latest value accepted, đạt / chưa đạt / chưa báo cáo, and the trend against its deadline."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def get_queryset(self):
        return Target.objects.visible_to(self.request.user)

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is not None:
            # The page's targets judged together: two queries whatever their number.
            rows = instance if isinstance(instance, list) else [instance]
            on = day_param(self.request)
            judged = standings_on(Target.objects.filter(pk__in=[row.pk for row in rows]), on)
            kwargs["context"] = {**self.get_serializer_context(), "on": on,
                                 "standings": {item.target.pk: item for item in judged}}
        return super().get_serializer(instance, *args, **kwargs)

