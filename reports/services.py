"""Drafting, submitting and rendering progress reports (the operations that touch several models)."""

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, AgencyKind, bound_pairs, people_committee
from reports.documents.content import document
from reports.models import Report, ReportSettings
from reports.periods import parse_period
from reports.summary import build_summary
from tasks.models import AssignmentRole, Task, TaskAssignment, TaskUpdate

DEFAULT_SIGNER_POSITION = {AgencyKind.DEPARTMENT: "GIÁM ĐỐC"}


def addressee_committee(province):
    """The province's People's Committee written in full, as a report is addressed to it ("Ủy ban
    nhân dân thành phố Đà Nẵng")."""
    return people_committee(province)[0].replace("UBND", "Ủy ban nhân dân", 1)


def parent_body(agency, province):
    """The superior body printed above the issuer: the province's People's Committee for its
    departments and districts ("UBND tỉnh Đồng Tháp", "UBND thành phố Đà Nẵng"), else the agency's
    own superior."""
    if agency is None or agency.parent is None or agency.parent.kind == AgencyKind.PROVINCE_OFFICE:
        return people_committee(province)[0]
    return agency.parent.name


def plan_document(summary, plan, province, report_date):
    """The consolidated document the ``build_report`` command writes: from the plan's recipient
    department on ``report_date`` (or "the following-up department") to the People's Committee."""
    issuer = plan.report_recipient_on(report_date) if plan else None
    return document(
        summary, kind=Report.Kind.CONSOLIDATED,
        issuer=issuer.name if issuer else "Cơ quan theo dõi, tổng hợp",
        parent=parent_body(issuer, province),
        addressee=addressee_committee(province), province=province.name, number="", report_date=report_date,
        signer_position=DEFAULT_SIGNER_POSITION.get(issuer.kind, "") if issuer else "",
    )


def report_summary(report):
    """The live figures of a report (a draft's, or a submitted one's as they would be now)."""
    province = report.plan.province
    agency = report.agency if report.kind == Report.Kind.AGENCY else None
    return build_summary(province, report.period_obj, plan=report.plan, agency=agency,
                         with_tasks=agency is not None, with_targets=True)


def report_document(report, summary):
    addressee = report.recipient.name if report.recipient else addressee_committee(report.plan.province)
    return document(
        summary, kind=report.kind, issuer=report.agency.name,
        parent=parent_body(report.agency, report.plan.province), addressee=addressee,
        province=report.plan.province.name, number=report.number, report_date=report.report_date,
        results=report.summary, difficulties=report.difficulties, proposals=report.proposals,
        signer=report.signer, signer_position=report.signer_position,
    )


def content(report):
    """(summary, document) of a report: frozen for a submitted one, computed for a draft."""
    if report.is_submitted:
        return report.snapshot["summary"], report.snapshot["document"]
    summary = report_summary(report)
    return summary, report_document(report, summary)


def new_report(*, kind, plan, agency, period, user):
    """An unsaved draft, its date the period's due date, addressed as the plan and that date say,
    its results drafted from the progress reports the agency wrote in the period."""
    period_obj = parse_period(period)
    report_date = period_obj.window().due
    summary = build_summary(plan.province, period_obj, plan=plan, comparisons=False,
                            agency=agency if kind == Report.Kind.AGENCY else None)
    window = summary["period"]
    drafted = {}
    if kind == Report.Kind.AGENCY:
        recipient = plan.report_recipient_on(report_date)
        drafted["summary"] = drafted_results(plan, agency, window["window_start"], window["cutoff"])
        own = [row for row in summary["feedback"] if row["agency"] == agency.name]
        for key in ("difficulties", "proposals"):
            drafted[key] = "\n".join(f"- {row['task']}: {row[key]}" for row in own if row[key])
    else:
        recipient = Agency.objects.filter(province=plan.province, kind=AgencyKind.PROVINCE_OFFICE,
                                          parent__isnull=True).first()
    return Report(
        kind=kind, plan=plan, agency=agency, recipient=recipient, period=period_obj.code,
        report_date=report_date, created_by=user,
        signer_position=DEFAULT_SIGNER_POSITION.get(agency.kind, ""), **drafted,
    )


def drafted_results(plan, agency, start, end):
    """One line per progress report or contribution the agency wrote on the plan in the window:
    what was done (or its note)."""
    updates = (
        TaskUpdate.objects.filter(
            task__in=Task.objects.filter(plan=plan).for_agency(agency, role=AssignmentRole.LEAD),
            agency=agency, kind__in=[TaskUpdate.Kind.REPORT, TaskUpdate.Kind.CONTRIBUTION],
            created_at__date__gte=start, created_at__date__lte=end,
        )
        .exclude(done="", note="")
        .select_related("task")
        .order_by("task__position", "created_at")
    )
    return "\n".join(f"- {u.task.code}: {u.done or u.note}" for u in updates)


@transaction.atomic
def submit(report, user):
    """Freeze the report: its figures and wording are stored and never recomputed."""
    summary = report_summary(report)
    report.snapshot = {"summary": summary, "document": report_document(report, summary)}
    report.status = Report.Status.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    report.save()


def submissions(plan, period):
    """Each agency that owes the plan a report for the period, with its submitted report or None:
    the agencies answering for the plan's lead assignments on the report's due date (a lead group's
    members, a merged agency's successor; no group, and none that had ended by then). Four queries."""
    due = parse_period(period).window(*ReportSettings.days_for(plan)).due
    leads = TaskAssignment.objects.in_force(due).filter(task__plan=plan, role=AssignmentRole.LEAD)
    assigned = leads.values_list("agency_id", flat=True)
    answering = {agency for _assigned, agency in bound_pairs(assigned, due)}
    agencies = Agency.objects.filter(pk__in=answering).exclude(kind__in=Agency.GROUP_KINDS).order_by("name")
    reports = {
        r.agency_id: r
        for r in Report.objects.filter(plan=plan, period=period, kind=Report.Kind.AGENCY)
    }
    return [(agency, reports.get(agency.pk)) for agency in agencies]
