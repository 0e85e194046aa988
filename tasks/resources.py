"""Flat sheets of tasks for django-import-export.

Agencies are exported as printed ("lead", "coordinators") and as answering today ("lead_today",
"coordinators_today": the successor or the agency handed the task over); they are not imported from
this flat sheet, because changing who owes a task goes through the appendix importer, which
resolves names against the catalog. Status, progress and completion are exported but never
imported: they change only through the focal points' workflow, which keeps the history; a changed
deadline of an existing task is saved through the workflow too, which writes it in the history.
Every exported cell is made safe to open in a spreadsheet program (config.spreadsheets).
"""

from django.utils import timezone
from import_export import fields, resources

from config.spreadsheets import make_dataset_safe
from tasks import workflow
from tasks.answering import answer_text
from tasks.models import AssignmentRole, Task


def _mentions(task, role):
    return "; ".join(a.mention for a in task.assignments.all() if a.role == role and a.handover_id is None)


class TaskResource(resources.ModelResource):
    lead = fields.Field(column_name="lead", readonly=True)
    coordinators = fields.Field(column_name="coordinators", readonly=True)
    lead_today = fields.Field(column_name="lead_today", readonly=True)
    coordinators_today = fields.Field(column_name="coordinators_today", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    progress = fields.Field(attribute="progress", column_name="progress", readonly=True)
    completed_on = fields.Field(attribute="completed_on", column_name="completed_on", readonly=True)

    class Meta:
        model = Task
        fields = ("plan", "code", "title", "lead", "coordinators", "lead_today", "coordinators_today",
                  "deliverable", "deadline_text",
                  "due_override", "status", "progress", "completed_on", "notes")
        import_id_fields = ("plan", "code")
        skip_unchanged = True
        report_skipped = True

    def dehydrate_lead(self, task):
        return _mentions(task, AssignmentRole.LEAD)

    def dehydrate_coordinators(self, task):
        return _mentions(task, AssignmentRole.COORDINATOR)

    def dehydrate_lead_today(self, task):
        return answer_text(task.assignments.all(), AssignmentRole.LEAD, timezone.localdate())

    def dehydrate_coordinators_today(self, task):
        return answer_text(task.assignments.all(), AssignmentRole.COORDINATOR, timezone.localdate())

    def save_instance(self, instance, is_create, row, **kwargs):
        """``user``: who imports (the admin's import passes it), the author of the history entry."""
        stored = None if is_create else Task.objects.get(pk=instance.pk)
        dates = {} if is_create else {
            field: getattr(instance, field) for field in workflow.DEADLINE_EDITS
            if getattr(instance, field) != getattr(stored, field)
        }
        for field in dates:  # the stored value here; the workflow saves the new one and its history
            setattr(instance, field, getattr(stored, field))
        super().save_instance(instance, is_create, row, **kwargs)
        if dates:
            workflow.edit_deadline(instance, author=kwargs["user"], changes=dates)

    def after_export(self, queryset, dataset, **kwargs):
        make_dataset_safe(dataset)

    def get_queryset(self):
        return Task.objects.with_assignments()
