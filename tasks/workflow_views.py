"""Pages that change a task: reports, contributions, quick status changes, review, extension requests
and decisions; and the view that serves evidence files. Each one loads the task from the user's
province (else 404), checks tasks.permissions (else 403), and hands the change to tasks.workflow."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.params import pk_param
from tasks import workflow
from tasks.evidence import GIF, JPEG, PDF, PNG, WEBP, sniff
from tasks.forms import (
    ContributionForm,
    EvidenceFormSet,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ReportForm,
    ReviewForm,
    StatusForm,
    evidence_items,
)
from tasks.mine import work_items
from tasks.models import Evidence, ExtensionRequest, Task
from tasks.permissions import can_contribute, can_report, can_review

# Evidence a browser may show rather than download. Never HTML or SVG, which run script.
INLINE_KINDS = {PDF, PNG, JPEG, GIF, WEBP}


def _task_for(request, pk, allowed):
    task = get_object_or_404(
        Task.objects.visible_to(request.user).select_related("plan").with_roles_of(request.user), pk=pk
    )
    if not allowed(request.user, task):
        raise PermissionDenied
    return task


def _occurrence_from_query(request, task):
    """The period named by ``?occurrence=`` (links from "My tasks"), if it is one of the task's."""
    pk = pk_param(request.GET.get("occurrence"))
    return task.occurrences.filter(pk=pk).first() if pk is not None else None


def _resubmittable(form_class, request, task, error):
    """The user's form again, with what they typed, the task's current version and ``error``: their
    next submit is made knowing what changed meanwhile."""
    task.refresh_from_db(fields=["version", "status", "progress", "completed_on"])
    data = request.POST.copy()
    data["version"] = task.version
    form = form_class(data, task=task)
    form.is_valid()
    form.add_error(None, error.message)
    return form


def _apply(request, form, task, change, done):
    """Run ``change`` (a call into tasks.workflow). Returns ``(redirect to the task, form)`` when it
    went through (with the ``done`` message), else ``(None, form)`` with the refusal on the form;
    a stale version gives the form back re-filled with the current version."""
    try:
        change()
    except workflow.StaleVersion as error:
        return None, _resubmittable(type(form), request, task, error)
    except workflow.WorkflowError as error:
        form.add_error(None, error.message)
        return None, form
    messages.success(request, done)
    return redirect(task), form


@require_http_methods(["GET", "POST"])
def report(request, pk):
    task = _task_for(request, pk, can_report)
    target = _occurrence_from_query(request, task)
    initial = {"occurrence": target, "status": (target or task).status, "progress": (target or task).progress}
    form = ReportForm(request.POST or None, task=task, initial=initial)
    evidence = EvidenceFormSet(request.POST or None, request.FILES or None, prefix="evidence")
    if request.method == "POST" and form.is_valid() and evidence.is_valid():
        data = form.cleaned_data
        response, form = _apply(request, form, task, lambda: workflow.report(
            task, author=request.user, version=data["version"], occurrence=data["occurrence"],
            status=data["status"], progress=data["progress"], completed_on=data["completed_on"],
            done=data["done"], difficulties=data["difficulties"], proposals=data["proposals"],
            evidence=evidence_items(evidence), indicator_values=form.indicator_values(),
        ), _("Your report has been saved."))
        if response:
            return response
    return render(request, "tasks/report_form.html", {"task": task, "form": form, "evidence": evidence})


@require_http_methods(["GET", "POST"])
def contribute(request, pk):
    task = _task_for(request, pk, can_contribute)
    form = ContributionForm(request.POST or None)
    evidence = EvidenceFormSet(request.POST or None, request.FILES or None, prefix="evidence")
    if request.method == "POST" and form.is_valid() and evidence.is_valid():
        workflow.contribute(task, author=request.user, evidence=evidence_items(evidence), **form.cleaned_data)
        messages.success(request, _("Your contribution has been sent to the lead agency."))
        return redirect(task)
    return render(request, "tasks/contribution_form.html", {"task": task, "form": form, "evidence": evidence})


def _next_or(request, fallback):
    """``?next=``, a path of this site (the page the form was on), else ``fallback``. Only a path:
    redirect() reads any other word as the name of a view ("abc" answered 500)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def set_status(request, pk):
    """The quick status change of a "My tasks" row: htmx swaps the row, a plain form redirects."""
    task = _task_for(request, pk, can_report)
    form = StatusForm(request.POST, task=task)
    error = None
    if form.is_valid():
        try:
            workflow.set_status(
                task, author=request.user, version=form.cleaned_data["version"],
                status=form.cleaned_data["status"], occurrence=form.cleaned_data["occurrence"],
            )
        except workflow.WorkflowError as failure:
            error = failure.message
    else:
        error = _("The status could not be changed: reload the page and try again.")
    if request.htmx:
        occurrence = form.cleaned_data.get("occurrence") if form.is_valid() else None
        row = {"item_kind": "occurrence", "item_pk": occurrence.pk} if occurrence else {
            "item_kind": "task", "item_pk": task.pk}
        item = work_items([row], request.user, timezone.localdate())[0]
        notice = None if error else _("The status has been changed.")
        return render(request, "tasks/_my_task_card.html", {"item": item, "error": error, "notice": notice})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The status has been changed."))
    return redirect(_next_or(request, task.get_absolute_url()))


@require_http_methods(["GET", "POST"])
def review(request, pk):
    task = _task_for(request, pk, can_review)
    initial = {"occurrence": _occurrence_from_query(request, task)}
    form = ReviewForm(request.POST or None, task=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response, form = _apply(request, form, task, lambda: workflow.review(
            task, author=request.user, version=data["version"], accept=data["decision"] == "accept",
            note=data["note"], occurrence=data["occurrence"],
        ), _("Your decision has been recorded."))
        if response:
            return response
    context = {
        "task": task, "form": form, "occurrence": initial["occurrence"],
        "updates": task.history(),
    }
    return render(request, "tasks/review_form.html", context)


@require_http_methods(["GET", "POST"])
def request_extension(request, pk):
    task = _task_for(request, pk, can_report)
    form = ExtensionRequestForm(
        request.POST or None, task=task, initial={"occurrence": _occurrence_from_query(request, task)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response, form = _apply(request, form, task, lambda: workflow.request_extension(
            task, author=request.user, proposed_due=data["proposed_due"], reason=data["reason"],
            occurrence=data["occurrence"],
        ), _("Your extension request has been sent to the provincial admin."))
        if response:
            return response
    return render(request, "tasks/extension_form.html", {"task": task, "form": form})


@require_http_methods(["GET", "POST"])
def decide_extension(request, pk):
    extension = get_object_or_404(
        ExtensionRequest.objects.visible_to(request.user).select_related(
            "task__plan", "occurrence", "requested_by", "agency"
        ),
        pk=pk,
    )
    task = extension.task
    if not can_review(request.user, task):
        raise PermissionDenied
    form = ExtensionDecisionForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response, form = _apply(request, form, task, lambda: workflow.decide_extension(
            extension, author=request.user, version=data["version"],
            approve=data["decision"] == "approve", note=data["note"],
        ), _("Your decision has been recorded."))
        if response:
            return response
    context = {"task": task, "extension": extension, "form": form}
    return render(request, "tasks/extension_decision.html", context)


@require_GET
def evidence_file(request, pk):
    """An evidence file, for users who may see its task: the only way to reach it (no media URL)."""
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user).exclude(file=""), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = _kind_of(evidence, handle)
    response = FileResponse(
        handle,
        content_type=kind.content_type if kind else "application/octet-stream",
        as_attachment=kind not in INLINE_KINDS,
        filename=evidence.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    # Even a real image or PDF may carry script (a polyglot, a PDF's JavaScript): shown in a sandbox,
    # it runs without the portal's origin, so it can read or send nothing as the user.
    response["Content-Security-Policy"] = "sandbox"
    return response


def _kind_of(evidence, handle):
    """The evidence's kind read again from its first bytes, if it is still what was accepted at upload
    (tasks.evidence.check_file); None for a file changed since or a type stored by other means."""
    kind = sniff(handle, PurePath(evidence.original_name).suffix.lower())
    return kind if kind is not None and kind.content_type == evidence.content_type else None
