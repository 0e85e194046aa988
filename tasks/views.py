from django.shortcuts import get_object_or_404, render

from config.views import FilteredTableView
from tasks.filters import TaskFilter
from tasks.models import Task
from tasks.tables import TaskTable


class TaskListView(FilteredTableView):
    model = Task
    table_class = TaskTable
    filterset_class = TaskFilter
    template_name = "tasks/task_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("plan").with_assignments()


def task_detail(request, pk):
    task = get_object_or_404(
        Task.objects.visible_to(request.user)
        .select_related("plan__province", "section", "parent")
        .with_assignments(),
        pk=pk,
    )
    updates = task.updates.select_related("author", "agency")
    return render(request, "tasks/task_detail.html", {"task": task, "updates": updates})
