"""The demo's targets: those 115/KH-UBND promises in its "Mục tiêu cụ thể" with the values its
agencies reported for them from 2024 to today (accepted, one returned and sent again, one awaiting the
admin), the targets sheet of Đồng Nai 53/KH-UBND read by the import's own code, and the product
indicators the import reads from the demo plans' deliverables. Loading the demo again changes
nothing."""

import datetime
from decimal import Decimal

from django.utils import timezone

from agencies.models import Agency, User
from plans.appendix import read_sheets
from plans.appendix.preview import build_targets_preview
from plans.appendix.targets import parse_targets, split_sheets
from plans.import_targets import save_indicators, save_targets
from plans.importing import agency_matcher
from tasks.deadlines import parse_deadline
from tasks.models import Notification, Target, TargetReport
from tasks.targets import workflow
from tasks.targets.models import TargetOrigin

D = datetime.date
TARGETS_115 = [  # code, name, reporting agency; each "100% …", "Năm 2025" as the plan prints them
    ("1", "Sở, ngành và Ủy ban nhân dân huyện, thành phố kiện toàn tổ chức bộ máy của đơn vị chuyên trách "
          "về công nghệ thông tin", "Sở Nội vụ"),
    ("2", "Sở, ban, ngành Tỉnh; Ủy ban nhân dân cấp xã bố trí bộ phận hoặc đầu mối thực hiện nhiệm vụ chuyển "
          "đổi số", "Sở Khoa học và Công nghệ"),
    ("3", "Tổ chức, cá nhân trong Mạng lưới chuyển đổi số được tiếp cận và sử dụng các nền tảng số, bộ công "
          "cụ dùng thống nhất toàn quốc", "Sở Khoa học và Công nghệ"),
]
YEAR_2024, YEAR_2025 = (D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31))
Q3_2026 = (D(2026, 7, 1), D(2026, 9, 30))
# target code -> [(reported on, period, value, reporter, then "accept", "return" or None)]
HISTORY_115 = {
    "1": [(D(2024, 12, 10), YEAR_2024, "72", "dongthap.noivu", "accept"),
          (D(2025, 12, 8), YEAR_2025, "100", "dongthap.noivu", "accept")],
    "2": [(D(2025, 12, 12), YEAR_2025, "81", "dongthap.khcn", "return"),
          (D(2025, 12, 18), YEAR_2025, "86", "dongthap.khcn", "accept"),
          (D(2026, 10, 6), Q3_2026, "92", "dongthap.khcn", None)],
}
REVIEWER = "dongthap.admin"
GROUP_115 = "2. Mục tiêu cụ thể — a) Phấn đấu đến năm 2025"


def load_targets(plan_by_key, workbook_by_key):
    """Targets and indicators of the demo plans (``plan_by_key``: demo key → plan)."""
    for key, plan in plan_by_key.items():
        workbook = workbook_by_key.get(key)
        if workbook is not None:
            _targets_of_workbook(plan, workbook)
    plan_115 = plan_by_key.get("dongthap-115-2024")
    if plan_115 is not None:
        _targets_115(plan_115)


def load_indicators(plan, golden_tasks, created_codes):
    """The indicators of the tasks just created from a demo golden (those of earlier loads stay)."""
    save_indicators(golden_tasks, dict(plan.tasks.values_list("code", "pk")), created_codes, ())


def _targets_of_workbook(plan, workbook):
    _task_sheets, sheet = split_sheets(read_sheets(str(workbook), workbook.name))
    if sheet is None or plan.targets.exists():
        return
    parsed = parse_targets(sheet).targets
    matcher = agency_matcher(plan.province)
    preview = build_targets_preview(parsed, matcher, plan.reference_date, parse_deadline)
    save_targets(plan, plan.province, preview)


def _targets_115(plan):
    if not plan.targets.exists():
        agencies = dict(Agency.objects.filter(province=plan.province).values_list("name", "pk"))
        Target.objects.bulk_create(
            Target(plan=plan, code=code, name=name, comparator=">=", value=100, unit="%",
                   deadline_text="Năm 2025", due=D(2025, 12, 31), reporting_agency_id=agencies.get(agency),
                   origin=TargetOrigin.PROPOSED, position=position, group=GROUP_115)
            for position, (code, name, agency) in enumerate(TARGETS_115)
        )
    reviewer = User.objects.filter(username=REVIEWER).first()
    for code, events in HISTORY_115.items():
        target = plan.targets.filter(code=code).first()
        if target is None or target.reports.exists() or reviewer is None:
            continue
        for day, (start, end), value, username, decision in events:
            _report(target, day, start, end, value, User.objects.get(username=username), reviewer, decision)


def _report(target, day, start, end, value, reporter, reviewer, decision):
    target.refresh_from_db()
    report = workflow.report_value(
        target, author=reporter, version=target.version, period_start=start, period_end=end,
        value=Decimal(value), note=f"Số liệu tổng hợp đến ngày {day:%d/%m/%Y}.",
        evidence_reference=f"Báo cáo số liệu ngày {day:%d/%m/%Y}",
    )
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    TargetReport.objects.filter(pk=report.pk).update(created_at=when)
    if decision:  # reviewed two days later; what it told people was read long ago
        target.refresh_from_db()
        note = "" if decision == "accept" else "Đề nghị bổ sung số liệu của Ủy ban nhân dân cấp xã."
        workflow.review_value(report, author=reviewer, version=target.version, accept=decision == "accept",
                              note=note)
        reviewed = when + datetime.timedelta(days=2)
        TargetReport.objects.filter(pk=report.pk).update(reviewed_at=reviewed)
        Notification.objects.filter(target=target, read_at__isnull=True).update(created_at=when, read_at=when)
