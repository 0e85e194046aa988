from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from config.views import FilteredTableView
from tasks.filters import TaskFilter
from tasks.forms import DeadlineForm
from tasks.models import Task, TaskUpdate
from tasks.tables import TaskTable


class TaskListView(FilteredTableView):
    model = Task
    table_class = TaskTable
    filterset_class = TaskFilter
    template_name = "tasks/task_list.html"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("plan").with_assignments().with_state(timezone.localdate())
        )


def task_detail(request, pk):
    today = timezone.localdate()
    task = get_object_or_404(
        Task.objects.visible_to(request.user)
        .select_related("plan__province", "section", "parent")
        .with_assignments()
        .with_state(today),
        pk=pk,
    )
    context = {
        "task": task,
        "occurrences": task.occurrences.with_state(today),
        "updates": task.updates.select_related("author", "agency"),
        "can_edit_deadline": can_edit_plan(request.user, task.plan),
    }
    return render(request, "tasks/task_detail.html", context)


def can_edit_plan(user, plan):
    """Only the provincial admins of the plan's province (and superusers) edit plans and tasks."""
    return user.is_superuser or (user.is_province_admin and user.province_id == plan.province_id)


def edit_deadline(request, pk):
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("plan"), pk=pk)
    if not can_edit_plan(request.user, task.plan):
        raise PermissionDenied
    before = {"deadline_text": task.deadline_text, "due_override": task.due_override}
    form = DeadlineForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            task = form.save()
            changes = {
                field: [str(old or ""), str(getattr(task, field) or "")]
                for field, old in before.items()
                if old != getattr(task, field)
            }
            if changes:
                TaskUpdate.objects.create(
                    task=task, author=request.user, agency=request.user.agency,
                    kind=TaskUpdate.Kind.EDIT, changes=changes,
                )
        messages.success(request, _("The deadline has been saved."))
        return redirect(task)
    return render(request, "tasks/deadline_form.html", {"task": task, "form": form})
