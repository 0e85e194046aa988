"""Pages of a plan's targets — a target with its reported values, reporting a value, reviewing it,
entering or correcting a target — and correcting a task's product indicators. Each loads its record
from the user's province (else 404) and checks tasks.permissions (else 403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans.models import Plan
from tasks.models import Task
from tasks.permissions import can_edit_plan, can_report_target, can_review_target
from tasks.targets import workflow
from tasks.targets.forms import IndicatorFormSet, TargetForm, TargetReportForm, TargetReviewForm
from tasks.targets.models import Target, TargetReport
from tasks.targets.standing import standings_on
from tasks.workflow import StaleVersion, WorkflowError


def _target(request, pk):
    return get_object_or_404(
        Target.objects.visible_to(request.user).select_related("plan__province", "reporting_agency"), pk=pk
    )


def _page(request, target, report_form=None, review_form=None, status=200):
    today = timezone.localdate()
    standing = standings_on(Target.objects.filter(pk=target.pk), today)[0]
    reports = target.reports.select_related("author", "agency", "reviewed_by")
    context = {
        "target": target,
        "standing": standing,
        "reports": reports,
        "can_report": can_report_target(request.user, target, today),
        "can_review": can_review_target(request.user, target),
        "report_form": report_form or TargetReportForm(target=target),
        "review_form": review_form,
    }
    return render(request, "tasks/target_detail.html", context, status=status)


@require_GET
def target_detail(request, pk):
    return _page(request, _target(request, pk))


@require_POST
def report_value(request, pk):
    target = _target(request, pk)
    if not can_report_target(request.user, target, timezone.localdate()):
        raise PermissionDenied
    form = TargetReportForm(request.POST, request.FILES, target=target)
    if not form.is_valid():
        return _page(request, target, report_form=form, status=400)
    data = form.cleaned_data
    try:
        workflow.report_value(
            target, author=request.user, version=data["version"], period_start=data["period_start"],
            period_end=data["period_end"], value=data["value"], note=data["note"],
            evidence_reference=data["reference"], evidence_file=data["file"],
        )
    except WorkflowError as error:
        target.refresh_from_db(fields=["version"])
        form = TargetReportForm(_with_version(request.POST, target), target=target)
        form.is_valid()
        form.add_error(None, error.message)
        status = 409 if isinstance(error, StaleVersion) else 400
        return _page(request, target, report_form=form, status=status)
    messages.success(request, _("The value has been sent for acceptance."))
    return redirect(target)


def _with_version(data, target):
    data = data.copy()
    data["version"] = target.version
    return data


@require_POST
def review_value(request, pk):
    report = get_object_or_404(
        TargetReport.objects.visible_to(request.user).select_related("target__plan__province"), pk=pk
    )
    target = report.target
    if not can_review_target(request.user, target):
        raise PermissionDenied
    form = TargetReviewForm(request.POST)
    if not form.is_valid():
        return _page(request, target, review_form=form, status=400)
    data = form.cleaned_data
    try:
        workflow.review_value(
            report, author=request.user, version=data["version"], accept=data["decision"] == "accept",
            note=data["note"],
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect(target)
    accepted = data["decision"] == "accept"
    messages.success(request, _("The value has been accepted.") if accepted else _("The value was returned."))
    return redirect(target)


@require_GET
def evidence(request, pk):
    """A target report's evidence file, for users who see its plan; always downloaded, never shown."""
    report = get_object_or_404(TargetReport.objects.visible_to(request.user).exclude(evidence_file=""), pk=pk)
    try:
        handle = report.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=report.evidence_name or "evidence",
                            content_type="application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response


def _editable_plan(request, plan_pk):
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("province"), pk=plan_pk)
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan


@require_http_methods(["GET", "POST"])
def target_create(request, plan_pk):
    return _target_form(request, _editable_plan(request, plan_pk), Target())


@require_http_methods(["GET", "POST"])
def target_edit(request, pk):
    target = _target(request, pk)
    return _target_form(request, _editable_plan(request, target.plan_id), target)


def _target_form(request, plan, target):
    form = TargetForm(request.POST or None, instance=target, plan=plan)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            if target.pk is not None:  # a corrected target is a change a report form in another tab missed
                Target.objects.filter(pk=saved.pk).update(version=saved.version + 1)
        messages.success(request, _("The target has been saved."))
        return redirect(saved)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "plan": plan, "target": target}
    return render(request, "tasks/target_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def edit_indicators(request, pk):
    """The plan's admin corrects the product indicators read from a task's deliverable."""
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("plan"), pk=pk)
    if not can_edit_plan(request.user, task.plan):
        raise PermissionDenied
    formset = IndicatorFormSet(request.POST or None, instance=task, prefix="indicators")
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("The product indicators have been saved."))
        return redirect(task)
    status = 400 if request.method == "POST" else 200
    return render(request, "tasks/indicators_form.html", {"task": task, "formset": formset}, status=status)


