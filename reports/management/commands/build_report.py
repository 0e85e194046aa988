"""``build_report``: a province's (or one plan's) progress report for a period, as JSON, .docx,
.xlsx, .pdf or .csv."""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Province
from config.db_router import reads_from_replica
from plans.models import Plan
from reports.documents.docx import render_docx
from reports.documents.pdf import PdfUnavailable, render_pdf
from reports.documents.tables import render_csv, render_xlsx
from reports.periods import PeriodError, parse_period
from reports.services import plan_document
from reports.summary import as_contract, build_summary

FORMATS = ("json", "docx", "xlsx", "pdf", "csv")


class Command(BaseCommand):
    help = "Build the progress report of a province (or one of its plans) for a period."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="province slug, e.g. dong-thap")
        parser.add_argument("--plan", help='plan number, e.g. "115/KH-UBND" (default: every plan)')
        parser.add_argument("--period", required=True, help="2024, 2024-Q3, 2024-H1 or YYYY-MM-DD:YYYY-MM-DD")
        parser.add_argument("--format", default="json", choices=FORMATS)
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat,
            help="the day the report is made, YYYY-MM-DD (default: today); figures are taken on the "
                 "period's data cut-off, or on this day if it comes first",
        )

    def handle(self, *args, province, plan, period, format, out, date=None, **options):
        try:
            period = parse_period(period)
        except PeriodError as error:
            raise CommandError(f"--period: {error}") from error
        slug, province = province, Province.objects.filter(slug=province).first()
        if province is None:
            raise CommandError(f"--province: no province {slug}")
        if plan:
            plan_number = plan
            held = Province.objects.held_by(province)
            plan = Plan.objects.filter(province__in=held, number=plan_number).select_related(
                "report_recipient").first()
            if plan is None:
                raise CommandError(f"--plan: {province} has no plan {plan_number}")
        with reads_from_replica():  # a report reads only: from the replica when there is one
            summary = build_summary(province, period, plan=plan, with_tasks=format == "csv",
                                    with_targets=format != "csv", today=date)
            data = self._render(format, summary, plan, province, period)
        if out:
            with open(out, "wb") as handle:
                handle.write(data)
        elif format in ("json", "csv"):
            self.stdout.write(data.decode("utf-8"), ending="")
        else:
            sys.stdout.buffer.write(data)

    def _render(self, format, summary, plan, province, period):
        if format == "json":
            return (json.dumps(as_contract(summary), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        if format == "xlsx":
            return render_xlsx(summary)
        if format == "csv":
            return render_csv(summary)
        doc = plan_document(summary, plan, province, period.window().due)
        if format == "docx":
            return render_docx(doc)
        try:
            return render_pdf(doc)
        except PdfUnavailable as error:
            raise CommandError(str(error)) from error
