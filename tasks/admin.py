"""The Django admin of tasks. A superuser's edit keeps the task's history honest:

- status, progress and completion are read-only here. They change only by the lead agency's reports
  and the provincial admin's review on the task's page, whose rules (which status may follow which,
  a completion date, the notifications, the version a reporter saw) an edit here would skip, and
  whose history entry names who reported or accepted: a superuser's edit is neither;
- the deadline as printed and the due date set by an admin are saved through
  ``tasks.workflow.edit_deadline``, as the portal's deadline page saves them (an "Edited" entry),
  from the change form and from an imported sheet (tasks.resources) alike;
- a change of the agencies named on the task is written in its history
  (``tasks.workflow.record_reassignment``), and the agencies newly named are told.

Reminders, periods (occurrences) and notifications are written by the portal and shown read-only.
"""

from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from tasks import workflow
from tasks.models import (
    Evidence,
    ExtensionRequest,
    Indicator,
    Notification,
    Occurrence,
    ReminderLog,
    ReminderStatus,
    Target,
    TargetReport,
    Task,
    TaskAssignment,
    TaskUpdate,
    UrgingItem,
    UrgingNotice,
)
from tasks.notifications import notify_assignments
from tasks.resources import TaskResource


class ReadOnlyMixin:
    """Admins may read these records here, never add, edit or delete them: the portal writes them
    (history and its evidence, reminders, periods, notifications) or another page changes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TaskAssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0
    autocomplete_fields = ["agency"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["comparator", "value", "value_max", "unit", "subject", "reported"]


@admin.register(Task)
class TaskAdmin(ImportExportModelAdmin):
    resource_classes = [TaskResource]
    list_display = ["code", "title", "plan", "deadline_text", "deadline_due", "due_override", "status"]
    list_filter = ["plan__province", "status", "deadline_kind", "plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "deliverable", "assignments__mention"]
    autocomplete_fields = ["plan", "section", "parent"]
    readonly_fields = [
        "deadline_kind", "deadline_due", "deadline_every", "status", "progress", "completed_on",
        "extended_due", "version", "reported_on_the_portal",
    ]
    inlines = [TaskAssignmentInline, IndicatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_assignments()

    @admin.display(description=_("Status changes"))
    def reported_on_the_portal(self, task):
        if task.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', task.get_absolute_url(),
            _("Reports, review and extensions are made on the task's page, which keeps its history."),
        )

    def save_model(self, request, obj, form, change):
        """A new task is saved as it is; a changed deadline of an existing one through the workflow."""
        edited = [field for field in form.changed_data if change and field in workflow.DEADLINE_EDITS]
        dates = {field: form.cleaned_data[field] for field in edited}
        for field in dates:  # the stored value here; the workflow saves the new one and its history
            setattr(obj, field, form.initial[field])
        super().save_model(request, obj, form, change)
        if dates:
            workflow.edit_deadline(obj, author=request.user, changes=dates)

    def save_formset(self, request, form, formset, change):
        """Write a change of the task's agencies in its history; tell the focal points of agencies
        newly named on the task."""
        if formset.model is not TaskAssignment:
            return super().save_formset(request, form, formset, change)
        before = workflow.named_agencies(formset.instance)
        super().save_formset(request, form, formset, change)
        if change:
            workflow.record_reassignment(formset.instance, author=request.user, before=before)
        changed = [obj for obj, fields in formset.changed_objects if "agency" in fields]
        notify_assignments([*formset.new_objects, *changed])


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every task's agencies, to look up; they are changed on the task's own admin page, which writes
    the change in its history."""

    list_display = ["task", "role", "mention", "agency"]
    list_filter = ["role", "task__plan__province"]
    list_select_related = ["task", "agency"]
    search_fields = ["mention", "agency__name", "task__code", "task__title"]
    autocomplete_fields = ["task", "agency"]


class EvidenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Evidence
    fields = ["reference", "original_name", "content_type", "size"]
    readonly_fields = fields


@admin.register(TaskUpdate)
class TaskUpdateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """History is written by the portal's workflow (tasks.workflow) only. A withdrawn comment's words
    are shown nowhere, here neither: not on its page, nor found by a search."""

    inlines = [EvidenceInline]
    list_display = ["created_at", "task", "kind", "author", "agency"]
    list_filter = ["kind", "task__plan__province"]
    list_select_related = ["task", "author", "agency"]
    search_fields = ["task__code", "task__title", "author__username"]
    exclude = ["note", "mentions"]
    readonly_fields = ["text"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("withdrawal__author")

    def get_search_results(self, request, queryset, search_term):
        """Also what entries say, but a withdrawn comment's words."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            said = queryset.filter(note__icontains=search_term).exclude(
                kind=TaskUpdate.Kind.COMMENT, withdrawal__isnull=False
            )
            results = results | said
        return results, duplicates

    @admin.display(description=_("note"))
    def text(self, update):
        withdrawal = update.withdrawal_entry if update.kind == TaskUpdate.Kind.COMMENT else None
        if withdrawal is None:
            return update.note
        return _("Comment withdrawn by %(who)s on %(when)s") % {
            "who": withdrawal.author.display_name,
            "when": date_format(timezone.localtime(withdrawal.created_at), "SHORT_DATETIME_FORMAT"),
        }


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Decided in the portal by the provincial admin; shown here for the record."""

    list_display = ["created_at", "task", "agency", "original_due", "proposed_due", "status", "decided_by"]
    list_filter = ["status", "task__plan__province"]
    list_select_related = ["task", "agency", "decided_by"]
    search_fields = ["task__code", "task__title", "reason"]


# A reminder whose e-mail could not be sent: still pending (it is retried), with the last error.
FAILING = Q(status=ReminderStatus.PENDING) & ~Q(last_error="")


class FailingFilter(admin.SimpleListFilter):
    title = _("sending failed")
    parameter_name = "failing"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(failing=self.value() == "yes")
        return queryset


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Reminders owed, sent, shown in the portal only, or failing to be sent."""

    list_display = [
        "due", "kind", "task", "target", "recipient", "status", "failing", "attempts", "sent_at", "day",
    ]
    list_filter = ["status", FailingFilter, "kind", "scanned_on", "task__plan__province"]
    list_select_related = ["task", "target", "recipient"]
    search_fields = ["task__code", "task__title", "recipient__username", "recipient__email", "last_error"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(failing=ExpressionWrapper(FAILING, BooleanField()))

    @admin.display(boolean=True, description=_("sending failed"), ordering="failing")
    def failing(self, reminder):
        return reminder.failing


@admin.register(Occurrence)
class OccurrenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The periods of recurring tasks and the periodic reports, planned from the task's deadline."""

    list_display = ["task", "due", "purpose", "status", "progress", "completed_on", "extended_due"]
    list_filter = ["status", "purpose", "task__plan__province"]
    list_select_related = ["task"]
    search_fields = ["task__code", "task__title"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "task", "target", "read_at"]
    list_filter = ["kind", "read_at", "task__plan__province"]
    list_select_related = ["recipient", "task", "target"]
    search_fields = ["recipient__username", "task__code", "task__title", "message"]


class UrgingItemInline(ReadOnlyMixin, admin.TabularInline):
    model = UrgingItem
    fields = ["task", "agency", "due_on", "days_overdue", "period"]
    readonly_fields = fields


@admin.register(UrgingNotice)
class UrgingNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Urging notices sent from the portal (tasks.urging), for the record."""

    inlines = [UrgingItemInline]
    list_display = ["created_at", "province", "subject", "created_by", "number"]
    list_filter = ["province"]
    list_select_related = ["province", "created_by"]
    search_fields = ["subject", "number", "items__task__code", "items__task__title"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """A plan's targets; their values are reported and reviewed on the target's page."""

    list_display = ["code", "name", "plan", "comparator", "value", "value_max", "unit", "level", "due",
                    "reporting_agency"]
    list_filter = ["plan__province", "origin", "plan"]
    list_select_related = ["plan", "reporting_agency"]
    search_fields = ["code", "name", "group"]
    autocomplete_fields = ["plan", "reporting_agency"]
    readonly_fields = ["due", "origin", "version"]


@admin.register(TargetReport)
class TargetReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "target", "period_end", "value", "status", "agency", "author", "created_at", "reviewed_by",
    ]
    list_filter = ["status", "target__plan__province"]
    list_select_related = ["target", "agency", "author", "reviewed_by"]
    search_fields = ["target__code", "target__name", "note", "review_note"]
