from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from tasks.models import Task, TaskAssignment, TaskUpdate
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


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(admin.ModelAdmin):
    list_display = ["task", "role", "mention", "agency"]
    list_filter = ["role", "task__plan__province"]
    list_select_related = ["task", "agency"]
    search_fields = ["mention", "agency__name", "task__code", "task__title"]
    autocomplete_fields = ["task", "agency"]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(admin.ModelAdmin):
    """History is append-only: admins may read it, never edit or delete it."""

    list_display = ["created_at", "task", "kind", "author", "agency"]
    list_filter = ["kind", "task__plan__province"]
    list_select_related = ["task", "author", "agency"]
    search_fields = ["task__code", "task__title", "note", "author__username"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
