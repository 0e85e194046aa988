"""API v1 for plans and their appendix sections: read-only, scoped as the pages (``visible_to``)."""

import copy

from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers, viewsets

from agencies.models import Province
from config.api.filters import ApiFilterSet
from plans.filters import PlanFilter
from plans.models import Plan, PlanSection


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanSection
        fields = ["id", "code", "title", "position"]


class PlanSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)
    horizon_year = serializers.IntegerField(
        read_only=True, help_text="The last year its recurring tasks' periods are tracked."
    )

    class Meta:
        model = Plan
        fields = ["id", "province", "number", "kind", "title", "issued_on", "reference_date", "issuer",
                  "signer", "signer_position", "legal_basis", "status", "end_year", "horizon_year",
                  "reporting_deadline_text", "awaiting_counts_as_done", "report_recipient", "sections",
                  "created_at", "updated_at"]


class ApiPlanFilter(PlanFilter, ApiFilterSet):
    """The plan list's filters; ``province`` for every caller (the pages offer it to superusers only,
    who alone see several provinces there), among the provinces the caller sees."""

    schema_types = {"year": OpenApiTypes.INT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "province" not in self.filters:
            province = copy.deepcopy(self.base_filters["province"])
            province.parent, province.queryset = self, Province.objects.visible_to(self.request.user)
            self.filters["province"] = province


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans of the caller's provinces, with their appendix sections. Filters as the plan list:
    ``q`` (number or title), ``year``, ``status``, and for a superuser ``province``."""

    serializer_class = PlanSerializer
    filterset_class = ApiPlanFilter

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).prefetch_related("sections")
