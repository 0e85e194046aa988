"""Flat sheets of agencies for django-import-export: one row per agency, aliases joined by "|";
every exported cell safe to open in a spreadsheet program (config.spreadsheets)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from agencies.models import Agency, AgencyAlias, Province
from config.spreadsheets import make_dataset_safe

ALIAS_SEPARATOR = "|"


class SameProvinceAgencyWidget(ForeignKeyWidget):
    """Looks an agency up by name within the row's province: names repeat across provinces."""

    def __init__(self):
        super().__init__(Agency, field="name")

    def get_queryset(self, value, row, *args, **kwargs):
        return Agency.objects.filter(province__slug=row.get("province"))


class AgencyResource(resources.ModelResource):
    province = fields.Field(
        attribute="province", column_name="province", widget=ForeignKeyWidget(Province, field="slug")
    )
    parent = fields.Field(attribute="parent", column_name="parent", widget=SameProvinceAgencyWidget())
    successor = fields.Field(
        attribute="successor", column_name="successor", widget=SameProvinceAgencyWidget()
    )
    aliases = fields.Field(column_name="aliases")

    class Meta:
        model = Agency
        fields = ("province", "name", "kind", "parent", "aliases", "active_from", "active_until",
                  "successor", "succession_note")
        import_id_fields = ("province", "name")
        skip_unchanged = True
        report_skipped = True

    def dehydrate_aliases(self, agency):
        return ALIAS_SEPARATOR.join(alias.name for alias in agency.aliases.all())

    def import_aliases(self, row):
        return [name.strip() for name in (row.get("aliases") or "").split(ALIAS_SEPARATOR) if name.strip()]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if original.pk and self.import_aliases(row) != [alias.name for alias in original.aliases.all()]:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        wanted = self.import_aliases(row)
        instance.aliases.exclude(name__in=wanted).delete()
        existing = set(instance.aliases.values_list("name", flat=True))
        AgencyAlias.objects.bulk_create(
            AgencyAlias(agency=instance, name=name) for name in wanted if name not in existing
        )

    def after_export(self, queryset, dataset, **kwargs):
        make_dataset_safe(dataset)

    def get_queryset(self):
        return Agency.objects.select_related("province", "parent", "successor").prefetch_related("aliases")
