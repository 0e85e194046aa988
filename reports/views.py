"""Dashboards, exports and the progress-report documents.

The pages that only read (dashboards, reports, exports, documents shown) are ``@replica_reads``: with
a replica configured they read there, unless their user has just written (``config.db_router``).

Dashboards and exports are for leaders and provincial admins. Documents: a focal point drafts and
submits its own agency's reports; provincial admins see every report of their province, who has
submitted, and write the consolidated report.
"""

import logging
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Window
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from kombu.exceptions import OperationalError as BrokerUnreachable

from agencies.models import Province
from config.db_router import replica_reads
from plans.models import Plan
from reports import charts, dashboards, pdf_exports
from reports import home as home_figures
from reports import targets as target_figures
from reports.documents.docx import render_docx
from reports.documents.pdf import pdf_available
from reports.documents.tables import csv_lines, write_xlsx
from reports.filenames import document_name, plan_report_name, province_report_name
from reports.forms import (
    LateAgencyForm,
    NewReportForm,
    PeriodForm,
    ProvinceForm,
    ReportForm,
    SubmissionsForm,
    this_year,
)
from reports.jobs import convert_pdf
from reports.models import PdfExport, Report, ReportSettings
from reports.services import content, new_report, plan_document, submissions, submit
from reports.summary import (
    agency_rows,
    as_of,
    build_summary,
    completed_rows,
    completed_tasks,
    iter_task_rows,
    overdue_rows,
    overdue_tasks,
    period_tasks,
    plans_in_scope,
    sum_rows,
    tasks_in_period,
)
from tasks.models import AssignmentRole, Task

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}
PDF_PAGE_REFRESH_SECONDS = 3
REPORT_ROWS_PER_PAGE = 50  # the plan report's overdue and completed lists, a page at a time
logger = logging.getLogger(__name__)


def _require_dashboards(request):
    if not request.user.sees_dashboards:
        raise PermissionDenied


def _province(request):
    """The user's province; a superuser picks one with ?province=slug (default: the first)."""
    if request.user.province_id:
        return request.user.province
    form = ProvinceForm(request.GET)
    province = (form.is_valid() and form.cleaned_data["province"]) or (
        Province.objects.in_force(timezone.localdate()).first()
    )
    if province is None:
        raise Http404
    return province


def _period(request):
    """The period asked for (?period=2024-Q3), else the current year; a bad one is said and replaced."""
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["period"]
    messages.error(request, form.errors["period"][0])
    return this_year()


def _chart(chart_id, title, built):
    config, headers, rows = built
    return {"id": chart_id, "title": title, "config": config, "headers": headers, "rows": rows}


@replica_reads
def province_overview(request):
    """The province's totals for the period, per plan, and month by month. Only what the page shows
    is computed: the plans' rows (the totals are their sum) and the trend, one query each."""
    _require_dashboards(request)
    province = _province(request)
    period = _period(request)
    window = period.window()
    on = as_of(window)
    tasks = dashboards.tasks_of(plans_in_scope(province, on=on))
    plans = dashboards.plan_rows(tasks, period, on)
    summary = {"period": period.as_dict(window, as_of=on), "totals": sum_rows(plans)}
    trend = dashboards.monthly_trend(tasks, timezone.localdate())
    targets = target_figures.overview(plans_in_scope(province), plans, timezone.localdate())
    context = {
        "targets": targets,
        "province": province,
        "period": period,
        "window": window,
        "as_of": on,
        "summary": summary,
        "plans": plans,
        "charts": [
            _chart("status-chart", _("Where the tasks stand"), charts.status_doughnut(summary["totals"])),
            _chart("trend-chart", _("Month by month"), charts.trend(trend)),
        ],
    }
    return render(request, "reports/province_overview.html", context)


@replica_reads
def plan_progress(request, pk):
    """A plan's report for the period: the figures over all its tasks, the overdue and completed
    tasks a page at a time (?overdue_page=, ?completed_page=), so the page costs the same number of
    queries and about the same bytes with 10 tasks or 10,000."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("province"), pk=pk)
    _require_dashboards(request)
    period = _period(request)
    days = ReportSettings.days_for(plan)  # read once for the figures and the lists
    summary = build_summary(plan.province, period, plan=plan, lists=False, days=days)
    _tasks, current, window, on = period_tasks(plan.province, period, plan=plan, days=days)
    # The overdue count is one of the figures already counted: no second count of the same tasks.
    overdue = _list_page(request, overdue_tasks(current), "overdue_page", summary["totals"]["overdue"])
    completed = _list_page(request, completed_tasks(current, window.start), "completed_page")
    timeline = dashboards.due_and_done_by_month(plan.tasks.all(), timezone.localdate())
    context = {
        "plan": plan,
        "period": period,
        "window": window,
        "as_of": on,
        "summary": summary,
        "overdue_page": overdue,
        "overdue": overdue_rows(overdue.object_list, on),
        "completed_page": completed,
        "completed": completed_rows(completed.object_list, on),
        "charts": [
            _chart("status-chart", _("Where the tasks stand"), charts.status_doughnut(summary["totals"])),
            _chart("agency-chart", _("By lead agency"), charts.agency_bars(summary["agencies"])),
            _chart("timeline-chart", _("Tasks falling due and completed, by month"),
                   charts.timeline(timeline)),
        ],
    }
    return render(request, "reports/plan_progress.html", context)


def _list_page(request, tasks, param, count=None):
    """The page of ``tasks`` that ``?param=`` asks for (the first if none or not a page), loaded,
    with the query strings of the pages before and after it (the other parameters kept).

    ``count``, when known, spares the paginator's count; else the page's rows carry it
    (``COUNT(*) OVER ()``): one query for both, unless the page asked for is not there."""
    paginator = Paginator(tasks, REPORT_ROWS_PER_PAGE)
    asked, rows = request.GET.get(param), None
    if count is None:
        try:
            # Past any real page, yet within the database's OFFSET: the paginator shows the last.
            number = min(int(asked or 1), 2**31)
        except ValueError:
            number = 1  # as the paginator reads it
        if number >= 1:
            start = (number - 1) * REPORT_ROWS_PER_PAGE
            rows = list(tasks.annotate(listed=Window(Count("pk")))[start:start + REPORT_ROWS_PER_PAGE])
            if rows or number == 1:
                count = rows[0]["listed"] if rows else 0
            else:
                rows = None  # past the last page: the paginator counts and shows the last one
    if count is not None:
        paginator.count = count  # a cached property: set, it is not queried
    page = paginator.get_page(asked)
    page.object_list = rows if rows is not None else list(page.object_list)

    def link(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    page.previous_link = link(page.previous_page_number()) if page.has_previous() else None
    page.next_link = link(page.next_page_number()) if page.has_next() else None
    return page


@replica_reads
def agency_ranking(request):
    """The lead agencies ranked over their tasks come due by the data cut-off (or today, before it):
    on-time rate, then completion rate, then fewer overdue, then more tasks come due; equal agencies
    share a rank. Agencies
    with nothing come due and groups of agencies are listed apart, unranked (see
    :func:`reports.dashboards.ranking`). Only the agencies' figures are computed (three queries)."""
    _require_dashboards(request)
    province = _province(request)
    period = _period(request)
    window = period.window()
    on = as_of(window)
    tasks = tasks_in_period(dashboards.tasks_of(plans_in_scope(province, on=on)), period, on)
    rows = agency_rows(tasks, on)
    with_targets = target_figures.asked(request.GET)  # ?targets=1: the targets count too
    if with_targets:
        ranking = dashboards.ranking_with_targets(rows, plans_in_scope(province, on=on), period, on)
    else:
        ranking = dashboards.ranking(rows, dashboards.group_agency_ids(rows))
    context = {
        "province": province, "period": period, "window": window, "as_of": on, "ranking": ranking,
        "with_targets": with_targets,
        "chart": _chart("ranking-chart", _("Agencies by on-time completion rate"),
                        charts.ranking_bars(ranking["ranked"], with_targets)),
    }
    return render(request, "reports/agency_ranking.html", context)


@replica_reads
@require_GET
def late_agency_tasks(request):
    """The longest overdue tasks of one row of the leader's late-agency panel, judged today: the
    list the row shows when it is opened (htmx)."""
    _require_dashboards(request)
    form = LateAgencyForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("This late agency cannot be read from the address."))
    today = timezone.localdate()
    row = (form.cleaned_data["agency"], form.cleaned_data["agency_id"])
    tasks = dashboards.late_tasks(home_figures.leader_tasks(_province(request), today), today, row)
    return render(request, "home/_late_tasks.html", {"tasks": tasks})


@replica_reads
def export(request, fmt, pk=None):
    """The progress summary of a plan (or of the province) as a file: docx, pdf, xlsx or csv."""
    _check_format(fmt)
    plan = None
    if pk is not None:
        plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("province",
                                 "report_recipient"), pk=pk)
    _require_dashboards(request)
    province = plan.province if plan else _province(request)
    period = _period(request)
    name = plan_report_name(plan, period) if plan else province_report_name(province, period)
    if fmt == "csv":  # every task with its category, nothing else of the summary: streamed as read
        _tasks, current, _window, on = period_tasks(province, period, plan=plan)
        return _attachment(StreamingHttpResponse(csv_lines(iter_task_rows(current, on)),
                                                 content_type=CONTENT_TYPES[fmt]), name, fmt)
    summary = build_summary(province, period, plan=plan, with_targets=True)
    doc = plan_document(summary, plan, province, period.window().due) if fmt in ("docx", "pdf") else None
    return _file_response(request, fmt, doc, summary, name)


def _check_format(fmt):
    if fmt not in CONTENT_TYPES:
        raise Http404


def _file_response(request, fmt, doc, summary, name):
    """The file ``name``.``fmt`` (an ASCII name: ``reports.filenames``); for a PDF, the page of its
    conversion."""
    if fmt == "pdf":
        return _queue_pdf(request, doc, name)
    if fmt == "docx":
        response = HttpResponse(render_docx(doc), content_type=CONTENT_TYPES[fmt])
    elif fmt == "xlsx":
        output = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
        write_xlsx(summary, output)
        output.seek(0)
        response = FileResponse(output, content_type=CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(csv_lines(summary.get("tasks", [])), content_type=CONTENT_TYPES[fmt])
    return _attachment(response, name, fmt)


def _attachment(response, name, fmt):
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _queue_pdf(request, doc, name):
    """Queue the conversion of the document's .docx (made here: it takes a moment) and send the user
    to its page. LibreOffice takes seconds to minutes, so it runs in the ``pdf`` queue's worker, never
    in the request. A server without it says so at once, with the .docx to download instead."""
    if not pdf_available():
        context = {"name": name, "docx_url": _docx_url(request)}
        return render(request, "reports/pdf_unavailable.html", context, status=503)
    docx = render_docx(doc)
    with transaction.atomic():
        export, created = pdf_exports.queue(request.user, docx, name, request.get_full_path())
        if created:
            transaction.on_commit(lambda: _convert_in_background(export))  # the job must find the row
    return redirect(export)


def _docx_url(request):
    """The .docx of the report the request asks a PDF of: the same URL and query, ``fmt`` docx."""
    match = request.resolver_match
    url = reverse(match.view_name, kwargs={**match.kwargs, "fmt": "docx"})
    return f"{url}?{request.GET.urlencode()}" if request.GET else url


def _convert_in_background(export):
    """Hand the export to the ``pdf`` queue; with the broker unreachable it fails at once (its page
    offers the .docx) rather than converting in the request."""
    try:
        convert_pdf.delay(export.pk)
    except BrokerUnreachable:
        logger.warning("Broker unreachable: PDF export %s not queued", export.pk)
        pdf_exports.fail(export, _("The conversion service cannot be reached at the moment. Please try "
                                   "again later."))


@require_GET
def pdf_export(request, pk):
    """Where a PDF conversion stands, for the user who asked for it (or a superuser): waiting (with
    the number of files ahead), converting, ready to download, or failed with the .docx instead. The
    page reloads itself until it is finished (a ``Refresh`` header: the CSP allows no inline script)."""
    export = get_object_or_404(PdfExport.objects.visible_to(request.user), pk=pk)
    status = pdf_exports.shown_status(export)
    Status = PdfExport.Status
    context = {"export": export, "waiting": status == Status.QUEUED,
               "converting": status == Status.CONVERTING, "ready": status == Status.READY,
               "failed": status == Status.FAILED}
    if context["waiting"]:
        context["ahead"] = pdf_exports.files_ahead(export)
    if context["failed"]:
        context["error"] = pdf_exports.failure_message(export)
    response = render(request, "reports/pdf_export.html", context)
    if context["waiting"] or context["converting"]:
        response["Refresh"] = str(PDF_PAGE_REFRESH_SECONDS)
    return response


@require_GET
def pdf_export_file(request, pk, fmt):
    """The converted PDF, or the .docx it was made from, as an attachment, to its owner only."""
    if fmt not in ("pdf", "docx"):
        raise Http404
    export = get_object_or_404(PdfExport.objects.visible_to(request.user), pk=pk)
    file = export.source if fmt == "docx" else export.pdf
    if not file or (fmt == "pdf" and export.status != PdfExport.Status.READY):
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:  # removed by the clean-up a moment ago
        raise Http404 from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[fmt], as_attachment=True,
                            filename=f"{export.name}.{fmt}")
    response["Cache-Control"] = "private, no-store"
    return response


# Documents --------------------------------------------------------------------------------------


@replica_reads
def document_list(request):
    """The user's reports; for provincial admins, every agency's, and who has submitted for a plan
    and period (?plan=&period=)."""
    reports = Report.objects.visible_to(request.user).select_related("plan", "agency")
    plans = Plan.objects.visible_to(request.user).order_by("-reference_date", "number")
    context = {"reports": reports[:200], "plans": plans, "period": request.GET.get("period") or ""}
    if request.user.agency_id:
        led = Task.objects.for_agency(request.user.agency, role=AssignmentRole.LEAD)
        context["lead_plans"] = plans.filter(Exists(led.filter(plan=OuterRef("pk"))))
    if request.GET.get("plan") and (request.user.is_superuser or request.user.is_province_admin):
        form = SubmissionsForm(request.GET, plans=plans)
        if form.is_valid():
            plan, period = form.cleaned_data["plan"], form.cleaned_data["period"]
            context.update(plan=plan, period=period, submissions=submissions(plan, period.code))
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return render(request, "reports/document_list.html", context)


@require_POST
def document_create(request):
    """Start (or reopen) the report of the user's agency, or the consolidated report (admins)."""
    form = NewReportForm(request.POST, plans=Plan.objects.visible_to(request.user).select_related("province"))
    form.is_valid()
    plan, kind = form.cleaned_data.get("plan"), form.cleaned_data.get("kind")
    if plan is None:  # none named, or one the user does not see
        raise Http404
    user = request.user
    if kind == Report.Kind.AGENCY and user.is_focal_point:
        agency = user.agency
    elif kind == Report.Kind.CONSOLIDATED and (user.is_superuser or user.is_province_admin):
        agency = plan.report_recipient_on(timezone.localdate())
        if agency is None:
            messages.error(request, _("Set the plan's report recipient first."))
            return redirect("reports:documents")
    else:
        raise PermissionDenied
    if "period" in form.errors:
        messages.error(request, form.errors["period"][0])
        return redirect("reports:documents")
    period = form.cleaned_data["period"].code
    existing = Report.objects.filter(plan=plan, agency=agency, kind=kind, period=period).first()
    if existing:
        return redirect(existing)
    try:
        with transaction.atomic():
            report = new_report(kind=kind, plan=plan, agency=agency, period=period, user=user)
            report.save()
    except IntegrityError:  # created meanwhile by a colleague
        report = Report.objects.get(plan=plan, agency=agency, kind=kind, period=period)
    return redirect(report)


def _visible_report(request, pk):
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related(
            "plan__province", "agency__parent", "recipient", "submitted_by"
        ),
        pk=pk,
    )


def can_edit_report(user, report):
    if report.is_submitted:
        return False
    if report.kind == Report.Kind.AGENCY:
        return user.is_focal_point and user.agency_id == report.agency_id
    return user.is_superuser or user.is_province_admin


@replica_reads
def document_detail(request, pk):
    report = _visible_report(request, pk)
    editable = can_edit_report(request.user, report)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, _("The draft has been saved."))
            return redirect(report)
    summary, doc = content(report)
    return render(request, "reports/document_detail.html",
                  {"report": report, "form": form, "editable": editable, "summary": summary, "doc": doc})


@require_http_methods(["GET", "POST"])
def document_submit(request, pk):
    """Submitting cannot be undone: the page asks first, and only its confirmed form submits."""
    report = _visible_report(request, pk)
    if not can_edit_report(request.user, report):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        submit(report, request.user)
        messages.success(request, _("The report has been submitted; its figures are now fixed."))
        return redirect(report)
    return render(request, "reports/document_submit.html", {"report": report})


@replica_reads
def document_export(request, pk, fmt):
    _check_format(fmt)
    report = _visible_report(request, pk)
    summary, doc = content(report)
    return _file_response(request, fmt, doc, summary, document_name(report))

