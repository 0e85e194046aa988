from django.contrib import admin

from plans.models import AppendixImport, Plan, PlanSection


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "province", "issued_on", "status", "report_recipient"]
    list_filter = ["province", "status"]
    list_select_related = ["province", "report_recipient"]
    search_fields = ["number", "title"]
    autocomplete_fields = ["report_recipient"]
    date_hierarchy = "reference_date"
    inlines = [PlanSectionInline]


@admin.register(PlanSection)
class PlanSectionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan__province"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "plan__number"]
    autocomplete_fields = ["plan"]


@admin.register(AppendixImport)
class AppendixImportAdmin(admin.ModelAdmin):
    """Imports are a record of what happened: read-only here, done in the portal."""

    list_display = ["original_name", "province", "plan", "status", "created_by", "created_at"]
    list_filter = ["province", "status"]
    list_select_related = ["province", "plan", "created_by"]
    search_fields = ["original_name", "plan__number"]
    date_hierarchy = "created_at"
    exclude = ["file", "preview"]  # the file has no public URL; the preview can hold thousands of rows

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
