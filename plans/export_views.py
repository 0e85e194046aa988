"""A plan's tasks as a spreadsheet (XLSX or CSV), streamed: rows come from a database iterator a
chunk at a time through the tasks' django-import-export resource, every cell through
config.spreadsheets.safe_cell, so no export holds the plan's whole list in memory."""

import tempfile

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from openpyxl import Workbook

from config.db_router import replica_reads
from config.spreadsheets import csv_chunks, safe_cell
from plans.models import Plan
from tasks.models import Task
from tasks.resources import TaskResource

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Each chunk is one query for the tasks and one for their assignments (prefetch per chunk).
CHUNK_SIZE = 2000


def _rows(plan, resource):
    tasks = Task.objects.filter(plan=plan).with_assignments().order_by("position", "pk")
    for task in tasks.iterator(chunk_size=CHUNK_SIZE):
        yield resource.export_resource(task)


def _csv_chunks(plan):
    resource = TaskResource()
    return csv_chunks(resource.get_export_headers(), _rows(plan, resource), rows_per_chunk=CHUNK_SIZE)


def _xlsx_file(plan):
    # write_only: openpyxl streams each row to its temporary XML instead of keeping cells.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    resource = TaskResource()
    sheet.append(resource.get_export_headers())
    for row in _rows(plan, resource):
        sheet.append([safe_cell(value) for value in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
    workbook.save(output)
    output.seek(0)
    return output


@replica_reads
def export_tasks(request, pk, fmt):
    """Every task of a plan the user can see, with its agencies as printed; three queries, then two
    per CHUNK_SIZE tasks."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    name = slugify(plan.number.replace("/", "-")) or f"plan-{plan.pk}"
    filename = f"{name}-tasks.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_chunks(plan), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        _xlsx_file(plan), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
    )
