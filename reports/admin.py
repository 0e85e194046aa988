from django.contrib import admin

from reports.models import Report, ReportSettings


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
