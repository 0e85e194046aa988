"""The period report documents carry a targets table beside the tasks (issue 17, point 4): the summary's
"targets" (one standings() call for the report's period), the .docx (python-docx), the .xlsx (openpyxl),
the PDF (pypdf), the build_report JSON, the export pages, a submitted report's frozen snapshot."""

import datetime
import io
import json
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from agencies.models import AgencyKind
from reports.documents.docx import render_docx
from reports.documents.pdf import render_pdf
from reports.documents.tables import render_xlsx
from reports.models import Report
from reports.periods import parse_period
from reports.services import content, plan_document, submit
from reports.summary import build_summary
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    PlanFactory,
    TargetFactory,
    TargetReportFactory,
    TaskFactory,
)
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

D = datetime.date
Q3 = parse_period("2025-Q3")
TODAY = D(2025, 12, 1)
Q3_END = D(2025, 9, 30)
STATES = {"I.1": "Đạt", "I.2": "Chưa đạt", "I.3": "Chưa báo cáo", "I.4": "Chưa báo cáo"}


def _quarter(target, value, status="accepted", end=Q3_END):
    start = end.replace(day=1, month=end.month - 2)
    return TargetReportFactory(target=target, value=value, status=status, period_start=start, period_end=end)


@pytest.fixture
def targets(plan, lead_agency):
    """Four targets of 115/KH-UBND for the third quarter of 2025: met, not met, not reported (nothing
    accepted within the quarter: a value of the second quarter only), and one whose value awaits."""
    AssignmentFactory(task=TaskFactory(plan=plan, code="1"), agency=lead_agency)
    online = TargetFactory(plan=plan, code="I.1", name="Tỷ lệ hồ sơ trực tuyến toàn trình", value=80,
                           unit="%", level="cấp tỉnh", reporting_agency=lead_agency, baseline=Decimal(40))
    firms = TargetFactory(plan=plan, code="I.2", name="Doanh nghiệp được hỗ trợ chuyển đổi số",
                          value=50, unit="doanh nghiệp", deadline_text="Năm 2025", due=D(2025, 12, 31),
                          reporting_agency=lead_agency)
    late = TargetFactory(plan=plan, code="I.3", name="Xã có điểm truy cập Internet công cộng", value=100,
                         unit="%", reporting_agency=None)
    waiting = TargetFactory(plan=plan, code="I.4", name="Hồ sơ số hóa", comparator="range", value=3,
                            value_max=5, unit="dự án", reporting_agency=lead_agency)
    _quarter(online, 70, end=D(2025, 6, 30))
    _quarter(online, 85)
    _quarter(firms, 30)
    _quarter(late, 100, end=D(2025, 6, 30))
    _quarter(waiting, 4, status="awaiting")
    return [online, firms, late, waiting]


@pytest.fixture
def summary(province, plan, targets):
    return build_summary(province, Q3, plan=plan, with_targets=True, today=TODAY)


def _targets_table(word):
    return next(table for table in word.tables if table.rows[0].cells[-1].text == "Xu hướng")


def test_summary_counts_and_rows_for_the_report_period(summary):
    counts, rows = summary["targets"]["counts"], summary["targets"]["rows"]

    assert counts == {"total": 4, "met": 1, "not_met": 1, "not_reported": 2, "awaiting": 1}
    assert [(row["code"], row["state"]) for row in rows] == [
        ("I.1", "met"), ("I.2", "not_met"), ("I.3", "not_reported"), ("I.4", "not_reported")]
    online = rows[0]
    assert online["value"] == 85 and online["reported_for"] == "2025-09-30"
    assert online["promise"] == "≥ 80%" and online["agency"] == "Sở Nội vụ"
    assert online["plan"] == "115/KH-UBND"
    assert online["trend"] == "on_track" and rows[1]["trend"] == "at_risk"
    assert rows[3]["awaiting"] is True and rows[3]["promise"] == "3–5 dự án"
    json.dumps(summary)  # the snapshot of a submitted report is JSON


def test_without_targets_the_summary_has_none(province, plan, lead_agency):
    AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)

    summary = build_summary(province, Q3, plan=plan, with_targets=True, today=TODAY)

    assert "targets" not in summary
    assert "targets" not in build_summary(province, Q3, plan=plan, today=TODAY)


def test_docx_has_the_targets_table_with_states_and_trends(summary, plan, province):
    doc = plan_document(summary, plan, province, Q3.window().due)
    word = Document(io.BytesIO(render_docx(doc)))

    table = _targets_table(word)
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["STT", "Mã", "Chỉ tiêu", "Mục tiêu", "Cấp", "Thời hạn", "Đơn vị báo cáo",
                        "Giá trị báo cáo", "Tình trạng", "Xu hướng"]
    assert {row[1]: row[8] for row in cells[1:]} == STATES
    widths = [column.width for column in table.columns]
    assert max(widths) == widths[2]  # the target's name has the room
    assert cells[1][2:] == ["Tỷ lệ hồ sơ trực tuyến toàn trình", "≥ 80%", "cấp tỉnh", "Năm 2026", "Sở Nội vụ",
                            "85%", "Đạt", "Đúng hướng"]
    assert cells[2][7:] == ["30 doanh nghiệp", "Chưa đạt", "Có nguy cơ không đạt"]
    assert cells[3][7:] == ["—", "Chưa báo cáo", "Đúng hướng"]  # its second quarter's 100 % keeps the trend
    assert cells[4][7:] == ["— (có số liệu chờ xác nhận)", "Chưa báo cáo", "—"]
    texts = [p.text for p in word.paragraphs]
    assert any(text.startswith("PHỤ LỤC I\n") or text.startswith("PHỤ LỤC I") for text in texts)
    assert any("PHỤ LỤC II" in text for text in texts)
    assert any("Về các chỉ tiêu: tổng số 4 chỉ tiêu, trong đó đạt: 1; chưa đạt: 1; chưa báo cáo: 2" in text
               for text in texts)


def test_docx_without_targets_has_no_targets_table(province, plan, lead_agency):
    AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)
    summary = build_summary(province, Q3, plan=plan, with_targets=True, today=TODAY)

    word = Document(io.BytesIO(render_docx(plan_document(summary, plan, province, Q3.window().due))))

    assert not any(table.rows[0].cells[-1].text == "Xu hướng" for table in word.tables)
    assert not any("PHỤ LỤC II" in p.text or "chỉ tiêu" in p.text for p in word.paragraphs)


def test_xlsx_has_a_targets_sheet(summary):
    book = load_workbook(io.BytesIO(render_xlsx(summary)))

    sheet = book["Chỉ tiêu"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][-2:] == ["Tình trạng", "Xu hướng"]
    assert [(row[1], row[8]) for row in rows[1:]] == list(STATES.items())
    assert rows[1][7] == "85%"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (see README)")
def test_pdf_carries_the_targets(summary, plan, province):
    from pypdf import PdfReader

    data = render_pdf(plan_document(summary, plan, province, Q3.window().due))

    # LibreOffice's fonts split Vietnamese letters from their marks in the extracted text: the table is
    # found by what is written without them.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert data.startswith(b"%PDF")
    assert all(code in text for code in ("I.1", "I.2", "I.3", "I.4"))
    assert "≥ 80%" in text and "85%" in text and "3–5" in text and "Internet" in text


def test_province_report_lists_each_target_with_its_plan(province, plan, targets, lead_agency):
    other = PlanFactory(province=province, number="53/KH-UBND")
    TargetFactory(plan=other, code="I.1", name="Chỉ tiêu của kế hoạch khác", reporting_agency=lead_agency)

    summary = build_summary(province, Q3, with_targets=True, today=TODAY)
    doc = plan_document(summary, None, province, Q3.window().due)

    assert summary["targets"]["counts"]["total"] == 5
    assert doc["targets"]["headers"][:3] == ["STT", "Kế hoạch", "Mã"]
    assert [row[1:3] for row in doc["targets"]["rows"]] == [
        ["115/KH-UBND", "I.1"], ["115/KH-UBND", "I.2"], ["115/KH-UBND", "I.3"], ["115/KH-UBND", "I.4"],
        ["53/KH-UBND", "I.1"]]


def test_agency_report_carries_the_targets_it_answers_for(province, plan, targets, lead_agency):
    """Sở Nội vụ reports I.1, I.2 and I.4; after Sở Lao động's merger into it, Sở Lao động's too."""
    merged = AgencyFactory(province=province, name="Sở Lao động", active_until=D(2025, 2, 28),
                           successor=lead_agency, kind=AgencyKind.DEPARTMENT)
    TargetFactory(plan=plan, code="II.1", name="Lao động qua đào tạo", reporting_agency=merged)
    TargetFactory(plan=plan, code="II.2", name="Của đơn vị khác",
                  reporting_agency=AgencyFactory(province=province))

    summary = build_summary(province, Q3, plan=plan, agency=lead_agency, with_targets=True, today=TODAY)

    assert [row["code"] for row in summary["targets"]["rows"]] == ["I.1", "I.2", "I.4", "II.1"]


def test_build_report_json_adds_the_targets(province, plan, targets, capsys):
    call_command("build_report", "--province", province.slug, "--plan", plan.number, "--period", "2025-Q3",
                 "--date", "2025-12-01")

    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["period", "totals", "agencies", "overdue", "targets"]
    assert data["targets"]["counts"] == {"total": 4, "met": 1, "not_met": 1, "not_reported": 2, "awaiting": 1}
    assert data["targets"]["rows"][0]["code"] == "I.1" and data["targets"]["rows"][0]["value"] == 85


def test_build_report_docx_and_xlsx_carry_the_targets(province, plan, targets, tmp_path):
    for fmt in ("docx", "xlsx"):
        call_command("build_report", "--province", province.slug, "--plan", plan.number, "--period",
                     "2025-Q3", "--format", fmt, "--out", str(tmp_path / f"report.{fmt}"))

    word = Document(str(tmp_path / "report.docx"))
    assert len(_targets_table(word).rows) == 1 + 4
    assert load_workbook(tmp_path / "report.xlsx")["Chỉ tiêu"].max_row == 1 + 4


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_export_pages_carry_the_targets(client, leader, plan, targets, fmt):
    client.force_login(leader)

    response = client.get(reverse("reports:plan_export", args=[plan.pk, fmt]), {"period": "2025-Q3"})

    data = io.BytesIO(response.getvalue())
    if fmt == "docx":
        assert len(_targets_table(Document(data)).rows) == 1 + 4
    else:
        assert load_workbook(data)["Chỉ tiêu"].max_row == 1 + 4


def test_submitted_report_keeps_its_targets_table(client, province_admin, province, plan, targets):
    report = ReportFactory(kind=Report.Kind.CONSOLIDATED, plan=plan, period="2025-Q3",
                           agency=AgencyFactory(province=province, name="Sở Khoa học và Công nghệ"))
    submit(report, province_admin)
    TargetReportFactory(target=targets[2], value=100, period_start=D(2025, 7, 1), period_end=D(2025, 9, 30))

    summary, doc = content(report)
    client.force_login(province_admin)
    page = client.get(reverse("reports:document", args=[report.pk])).text

    assert summary["targets"]["counts"]["met"] == 1  # frozen: I.3's later value is not in it
    assert [row[-2] for row in doc["targets"]["rows"]] == list(STATES.values())
    assert 'id="targets"' in page and "Tỷ lệ hồ sơ trực tuyến toàn trình" in page


def _many_targets(plan, agency, count):
    for index in range(count):
        target = TargetFactory(plan=plan, code=f"T{index}", reporting_agency=agency)
        _quarter(target, 70 + index)


def _queries(run):
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


@pytest.mark.parametrize("count", [2, 30])
def test_summary_query_count_does_not_grow_with_targets(province, plan, lead_agency, count,
                                                        django_assert_num_queries):
    AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)

    def build():
        return build_summary(province, parse_period("2025"), plan=plan, with_targets=True, today=TODAY)

    without = _queries(build)  # the summary's own, and the targets' query finding none
    _many_targets(plan, lead_agency, count)

    with django_assert_num_queries(without + 1):  # and their accepted values (standings(): two)
        summary = build()

    assert summary["targets"]["counts"]["total"] == count


@pytest.mark.parametrize("count", [2, 30])
def test_export_query_count_does_not_grow_with_targets(client, leader, plan, lead_agency, count,
                                                       django_assert_num_queries):
    AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)
    client.force_login(leader)
    url = reverse("reports:plan_export", args=[plan.pk, "xlsx"])
    without = _queries(lambda: client.get(url, {"period": "2025"}))
    _many_targets(plan, lead_agency, count)

    with django_assert_num_queries(without + 1):
        response = client.get(url, {"period": "2025"})

    assert load_workbook(io.BytesIO(response.getvalue()))["Chỉ tiêu"].max_row == 1 + count


def test_summary_without_targets_asks_once_more_only_when_asked(province, plan, lead_agency):
    AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency)
    period = parse_period("2025")

    plain = _queries(lambda: build_summary(province, period, plan=plan, today=TODAY))
    asked = _queries(lambda: build_summary(province, period, plan=plan, with_targets=True, today=TODAY))

    assert asked == plain + 1  # standings() finding no target: no values to fetch
