"""A plan's tasks as a spreadsheet (XLSX or CSV), through the tasks' django-import-export resource
(which makes every cell safe to open: see config.spreadsheets)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from config.db_router import replica_reads
from plans.models import Plan
from tasks.models import Task
from tasks.resources import TaskResource

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@replica_reads
def export_tasks(request, pk, fmt):
    """Every task of a plan the user can see, with its agencies as printed; three queries."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    # A list, not a queryset: the resource pages through querysets that prefetch (a query per page).
    tasks = list(Task.objects.filter(plan=plan).with_assignments().order_by("position", "pk"))
    dataset = TaskResource().export(queryset=tasks)
    content = dataset.export(fmt)
    if fmt == "csv":
        content = "\ufeff" + content  # Excel reads UTF-8 CSV correctly only with a BOM
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = slugify(plan.number.replace("/", "-")) or f"plan-{plan.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-tasks.{fmt}"'
    return response
