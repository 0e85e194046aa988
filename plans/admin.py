from django.contrib import admin

from plans.models import Plan, PlanSection


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
