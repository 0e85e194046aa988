from django.contrib import admin

from reports.models import PdfExport, Report, ReportSettings


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ["plan", "cutoff_day", "due_day"]
    list_select_related = ["plan"]
    autocomplete_fields = ["plan"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Submitted reports are frozen: the admin reads them, never edits their snapshot."""

    list_display = ["kind", "agency", "plan", "period", "status", "submitted_at"]
    list_filter = ["kind", "status", "plan__province"]
    list_select_related = ["agency", "plan"]
    readonly_fields = ["snapshot", "submitted_by", "submitted_at", "created_by"]


@admin.register(PdfExport)
class PdfExportAdmin(admin.ModelAdmin):
    """Conversions to PDF, to see at a glance which failed and why; written by the portal only."""

    list_display = ["created_at", "name", "requested_by", "status", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    search_fields = ["name", "requested_by__username", "error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
