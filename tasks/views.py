from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.views import FilteredTableView
from tasks import workflow
from tasks.filters import TaskFilter
from tasks.forms import DeadlineForm, ExtensionDecisionForm, MyTasksFilterForm, ReviewForm
from tasks.mine import CompiledWork, work_items, work_state_counts
from tasks.models import Task, TaskStatus
from tasks.permissions import can_contribute, can_edit_plan, can_report, can_review, can_urge
from tasks.tables import URGE_FORM_ID, TaskTable

MY_TASKS_PER_PAGE = 25


class TaskListView(FilteredTableView):
    model = Task
    table_class = TaskTable
    filterset_class = TaskFilter
    template_name = "tasks/task_list.html"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("plan").with_assignments().with_state(timezone.localdate())
        )

    def get_table_kwargs(self):
        # Whoever may urge ticks tasks and opens the urge page with them (tasks.tables.TaskTable).
        return {**super().get_table_kwargs(), "urger": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_urge"] = can_urge(self.request.user)
        context["urge_form_id"] = URGE_FORM_ID
        return context


@require_GET
def task_detail(request, pk):
    today = timezone.localdate()
    task = get_object_or_404(
        Task.objects.visible_to(request.user)
        .select_related("plan__province", "section", "parent")
        .with_assignments()
        .with_state(today)
        .with_roles_of(request.user),
        pk=pk,
    )
    occurrences = list(task.occurrences.with_state(today))
    reviewer = can_review(request.user, task)
    pending_extension = next(
        iter(task.extension_requests.pending().select_related("requested_by", "agency", "occurrence__task")),
        None,
    )
    context = {
        "task": task,
        "occurrences": occurrences,
        "updates": task.history(),
        "can_edit_deadline": can_edit_plan(request.user, task.plan),
        "can_report": can_report(request.user, task),
        "can_contribute": can_contribute(request.user, task),
        "can_review": reviewer,
        "pending_extension": pending_extension,
        "awaiting": [o for o in occurrences if o.status == TaskStatus.AWAITING_ACCEPTANCE],
    }
    if reviewer:
        context["review_form"] = ReviewForm(task=task)
        context["decision_form"] = ExtensionDecisionForm(task=task)
    return render(request, "tasks/task_detail.html", context)


def edit_deadline(request, pk):
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("plan"), pk=pk)
    if not can_edit_plan(request.user, task.plan):
        raise PermissionDenied
    form = DeadlineForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        # The form wrote the new values on the task: the history starts from the stored ones.
        task.refresh_from_db(fields=list(changes))
        workflow.edit_deadline(task, author=request.user, changes=changes)
        messages.success(request, _("The deadline has been saved."))
        return redirect(task)
    return render(request, "tasks/deadline_form.html", {"task": task, "form": form})


def _page(request, rows, per_page, param="page"):
    return Paginator(rows, per_page).get_page(request.GET.get(param))


@require_GET
def my_tasks(request):
    """"Việc của tôi": what the user's agency leads or coordinates on active plans, most urgent first."""
    today = timezone.localdate()
    form = MyTasksFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    work = (filters.get("plan"), filters.get("role") or None, filters.get("status") or None)
    page = _page(request, CompiledWork(request.user, today, work), MY_TASKS_PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "items": work_items(page.object_list, request.user, today),
        "counts": work_state_counts(request.user, today, *work),
    }
    template = "tasks/_my_task_results.html" if request.htmx else "tasks/my_tasks.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response

