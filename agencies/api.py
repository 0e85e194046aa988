"""API v1 for provinces and agencies: read-only, scoped as the pages (``visible_to``)."""

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from agencies.filters import AgencyFilter
from agencies.models import Agency, Province
from config.api.filters import ApiFilterSet


class ProvinceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="The name, with “(cũ)” once merged away.")

    class Meta:
        model = Province
        fields = ["id", "name", "slug", "label", "active_until", "successor", "succession_note"]


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's province and those merged into it (every province for a superuser)."""

    serializer_class = ProvinceSerializer
    filterset_class = None

    def get_queryset(self):
        return Province.objects.visible_to(self.request.user)


class AgencySerializer(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField(help_text="Other ways plans write its name.")
    groups = serializers.PrimaryKeyRelatedField(
        source="member_of", many=True, read_only=True, help_text="The groups it belongs to."
    )
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="A group's members.")
    is_group = serializers.BooleanField(read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "province", "name", "kind", "is_group", "parent", "aliases", "groups", "members",
                  "active_from", "active_until", "successor", "succession_note"]

    def get_aliases(self, agency) -> list[str]:
        return [alias.name for alias in agency.aliases.all()]


class ApiAgencyFilter(AgencyFilter, ApiFilterSet):
    """The agency list's filters (``q``, ``kind``)."""


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Agencies of the caller's provinces, with aliases, groups, members, dates and successors.
    Filters: ``q`` (name or alias), ``kind``."""

    serializer_class = AgencySerializer
    filterset_class = ApiAgencyFilter

    def get_queryset(self):
        return Agency.objects.visible_to(self.request.user).prefetch_related(
            "aliases",
            Prefetch("member_of", queryset=Agency.objects.only("pk")),
            Prefetch("members", queryset=Agency.objects.only("pk")),
        )
