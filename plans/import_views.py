"""Pages of the appendix import: upload, progress of a large file, preview and confirmation, result.

Only the provincial admins of the province (and superusers) import: anyone else of the province gets
a 403, users of other provinces a 404. Nothing but the ``AppendixImport`` row and its stored file is
written before the admin confirms.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.params import pk_param
from plans.appendix.reading import AppendixError
from plans.forms import MentionChoiceForm, NewPlanForm, UploadForm, agencies_for
from plans.import_commit import preview_changes
from plans.import_flow import ImportRefused, confirm_import, new_import, read_in_background, start_import
from plans.import_targets import shown_figure
from plans.importing import (
    has_errors,
    mentions_to_review,
    plan_already_holding,
    plan_date,
    plan_to_create,
    switch_source,
)
from plans.models import AppendixImport, ImportStatus, Plan
from tasks.models import DeadlineKind
from tasks.views import can_edit_plan

PREVIEW_PAGE_SIZE = 200


def upload(request):
    """The upload form; small files are read at once, large ones by a Celery job. ``?plan=`` chooses
    the plan; ``?again=`` fills the form as for a failed import, to upload its file again."""
    user = request.user
    if not (user.is_superuser or user.is_province_admin):
        raise PermissionDenied
    initial = {}
    if pk_param(request.GET.get("plan")):
        initial["plan"] = get_object_or_404(Plan.objects.visible_to(user), pk=pk_param(request.GET["plan"]))
    if pk_param(request.GET.get("again")):
        failed = get_object_or_404(AppendixImport.objects.visible_to(user), pk=pk_param(request.GET["again"]))
        initial = _initial_from(failed)
    form = UploadForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = new_import(form, user)
        if not can_edit_plan(user, record):
            raise PermissionDenied
        try:
            start_import(record, form)
        except AppendixError as error:
            form.add_error("file", error.message)
        else:
            return redirect(record)
    return render(request, "plans/import_upload.html", {"form": form})


def _initial_from(record):
    """The upload form's values for uploading ``record``'s file again."""
    if record.plan_id:
        return {"plan": record.plan}
    fields = record.new_plan
    dates = {name: datetime.date.fromisoformat(fields[name]) for name in ("issued_on", "reference_date")
             if fields.get(name)}
    return {"province": record.province, "number": fields.get("number", ""), "title": fields.get("title", ""),
            **dates}


def _record(request, pk):
    record = get_object_or_404(
        AppendixImport.objects.visible_to(request.user).select_related("province", "plan"), pk=pk
    )
    if not can_edit_plan(request.user, record):
        raise PermissionDenied
    return record


def detail(request, pk):
    """Whatever the import is at: progress, preview to confirm, result or failure."""
    record = _record(request, pk)
    if record.status == ImportStatus.PREVIEWED:
        return _preview_page(request, record)
    template = "plans/import_progress.html" if record.in_progress else "plans/import_result.html"
    return render(request, template, {"record": record})


def progress(request, pk):
    """The progress bar, polled by htmx; once the file is read, the page reloads to show the preview."""
    record = _record(request, pk)
    if not record.in_progress:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "plans/import_progress_bar.html", {"record": record})


def _preview_page(request, record, form=None, status=200, plan_form=None):
    preview = record.preview
    form = form or _mention_form(record)
    by_row = {}
    for issue in preview["issues"]:
        by_row.setdefault(issue["row"], []).append(issue)
    page = Paginator(preview["tasks"], PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(DeadlineKind.choices)
    rows = [
        {
            "task": task,
            "issues": by_row.get(task["row"], []),
            "due": datetime.date.fromisoformat(task["deadline"]["due"]) if task["deadline"]["due"] else None,
            "kind": kinds.get(task["deadline"]["kind"], task["deadline"]["kind"]),
            "indicators": [shown_figure(item) for item in task.get("indicators") or ()],
        }
        for task in page.object_list
    ]
    targets = [{**target, "shown": shown_figure(target)} for target in preview.get("targets") or ()]
    if record.plan is None and plan_form is None:
        plan_form = NewPlanForm(initial=plan_to_create(record), province=record.province)
    context = {
        "record": record,
        "plan_date": plan_date(record),
        "plan_form": plan_form,
        "printed": preview.get("plan") or {},
        "plan_fields": plan_to_create(record) if record.plan is None else None,
        "same_plan": plan_already_holding(record.province, preview) if record.plan is None else None,
        "counts": preview_changes(record.plan, preview),
        "page": page,
        "rows": rows,
        "form": form,
        "targets": targets,
        "kept_targets": set(request.POST.getlist("target")),
        "has_errors": has_errors(preview),
        "error_count": sum(issue["level"] == "error" for issue in preview["issues"]),
    }
    return render(request, "plans/import_preview.html", context, status=status)


def _mention_form(record, data=None):
    mentions = mentions_to_review(record.preview)
    on = plan_date(record)
    return MentionChoiceForm(
        data, mentions=mentions, agencies=agencies_for(record.province, on, mentions), on=on
    )


@require_POST
def confirm(request, pk):
    """Save the preview (one transaction) with the admin's choices for unresolved agencies."""
    record = _record(request, pk)
    if record.status != ImportStatus.PREVIEWED:
        return redirect(record)
    form = _mention_form(record, request.POST)
    new_plan = plan_to_create(record) if record.plan is None else None
    plan_form = None
    if new_plan is not None and "plan-title" in request.POST:  # the page's form; a script may leave it
        plan_form = NewPlanForm(request.POST, initial=new_plan, province=record.province)
        if plan_form.is_valid():
            new_plan.update(plan_form.cleaned_data)
    if not form.is_valid() or (plan_form is not None and not plan_form.is_valid()):
        return _preview_page(request, record, form, status=400, plan_form=plan_form)
    try:
        confirm_import(record, choices=form.choices(), new_plan=new_plan, user=request.user,
                       targets=request.POST.getlist("target"))
    except ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect(record)
    messages.success(request, _("The appendix has been imported."))
    return redirect(record)


@require_POST
def choose_source(request, pk):
    """Preview another task list the document holds (``preview["sources"]``): an appendix table, the
    tasks written in prose, the agencies' duties."""
    record = _record(request, pk)
    if record.status == ImportStatus.PREVIEWED:
        switched = switch_source(record.preview, request.POST.get("source", ""))
        if switched is None:
            messages.error(request, _("The document has no such task list."))
        else:
            record.preview = switched
            record.save(update_fields=["preview", "updated_at"])
    return redirect(record)


@require_POST
def retry(request, pk):
    """Try a failed import again: back to its preview when it failed while saving, else read its file
    again when it is still stored, else upload the file again with the form filled as before."""
    record = _record(request, pk)
    if record.status != ImportStatus.FAILED:
        return redirect(record)
    if record.preview.get("tasks"):
        record.status, record.error = ImportStatus.PREVIEWED, ""
        record.save(update_fields=["status", "error", "updated_at"])
        return redirect(record)
    if record.file:
        record.status, record.error, record.rows_done = ImportStatus.UPLOADED, "", 0
        record.save(update_fields=["status", "error", "rows_done", "updated_at"])
        transaction.on_commit(lambda: read_in_background(record))
        return redirect(record)
    return redirect(f"{reverse('plans:import_upload')}?again={record.pk}")
