"""A plan's tasks as a spreadsheet (XLSX or CSV), through the tasks' django-import-export resource."""

import tablib
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from plans.models import Plan
from tasks.models import Task
from tasks.resources import TaskResource

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A spreadsheet runs a cell starting with these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulae(dataset):
    """A copy of ``dataset`` where each text cell a spreadsheet would read as a formula starts with an
    apostrophe, so it is shown as text. (django-import-export's own option only drops a leading "=")."""
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
                     for value in row])
    return safe


def export_tasks(request, pk, fmt):
    """Every task of a plan the user can see, with its agencies as printed; three queries."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    # A list, not a queryset: the resource pages through querysets that prefetch (a query per page).
    tasks = list(Task.objects.filter(plan=plan).with_assignments().order_by("position", "pk"))
    dataset = neutralise_formulae(TaskResource().export(queryset=tasks))
    content = dataset.export(fmt)
    if fmt == "csv":
        content = "\ufeff" + content  # Excel reads UTF-8 CSV correctly only with a BOM
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = slugify(plan.number.replace("/", "-")) or f"plan-{plan.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-tasks.{fmt}"'
    return response
