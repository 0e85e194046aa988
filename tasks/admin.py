from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from tasks.models import Evidence, ExtensionRequest, Task, TaskAssignment, TaskUpdate
from tasks.notifications import notify_assignments
from tasks.resources import TaskResource


class TaskAssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Task)
class TaskAdmin(ImportExportModelAdmin):
    resource_classes = [TaskResource]
    list_display = ["code", "title", "plan", "deadline_text", "deadline_due", "due_override", "status"]
    list_filter = ["plan__province", "status", "deadline_kind", "plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "deliverable", "assignments__mention"]
    autocomplete_fields = ["plan", "section", "parent"]
    readonly_fields = ["deadline_kind", "deadline_due", "deadline_every"]
    inlines = [TaskAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_assignments()

    def save_formset(self, request, form, formset, change):
        """Tell the focal points of agencies newly named on the task."""
        super().save_formset(request, form, formset, change)
        if formset.model is TaskAssignment:
            changed = [obj for obj, fields in formset.changed_objects if "agency" in fields]
            notify_assignments([*formset.new_objects, *changed])


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(admin.ModelAdmin):
    list_display = ["task", "role", "mention", "agency"]
    list_filter = ["role", "task__plan__province"]
    list_select_related = ["task", "agency"]
    search_fields = ["mention", "agency__name", "task__code", "task__title"]
    autocomplete_fields = ["task", "agency"]


class ReadOnlyMixin:
    """History and its evidence are append-only: admins may read them, never edit or delete them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Evidence
    fields = ["reference", "original_name", "content_type", "size"]
    readonly_fields = fields


@admin.register(TaskUpdate)
class TaskUpdateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """History is written by the portal's workflow (tasks.workflow) only."""

    inlines = [EvidenceInline]
    list_display = ["created_at", "task", "kind", "author", "agency"]
    list_filter = ["kind", "task__plan__province"]
    list_select_related = ["task", "author", "agency"]
    search_fields = ["task__code", "task__title", "note", "author__username"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Decided in the portal by the provincial admin; shown here for the record."""

    list_display = ["created_at", "task", "agency", "original_due", "proposed_due", "status", "decided_by"]
    list_filter = ["status", "task__plan__province"]
    list_select_related = ["task", "agency", "decided_by"]
    search_fields = ["task__code", "task__title", "reason"]
