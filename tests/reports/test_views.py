"""Dashboards, exports and report documents: who sees what, frozen snapshots, query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from agencies.models import AgencyKind, Role
from reports.forms import ReportForm
from reports.models import Report
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory, UserFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

PERIOD = {"period": "2024"}


def _tasks(plan, agency, count):
    for _index in range(count):
        AssignmentFactory(task=TaskFactory(plan=plan, deadline_text="Quý I năm 2024"), agency=agency)


@pytest.mark.parametrize("name", ["reports:overview", "reports:ranking"])
def test_leader_sees_the_dashboards(client, leader, task, name):
    client.force_login(leader)

    response = client.get(reverse(name), PERIOD)

    assert response.status_code == 200
    assert b"chart.umd.min.js" in response.content


@pytest.mark.parametrize("name", ["reports:overview", "reports:ranking"])
def test_focal_point_may_not_see_the_dashboards(client, lead_focal_point, name):
    client.force_login(lead_focal_point)

    assert client.get(reverse(name)).status_code == 403


def test_plan_of_another_province_is_404(client, other_admin, plan):
    client.force_login(other_admin)

    assert client.get(reverse("reports:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("reports:plan_export", args=[plan.pk, "xlsx"])).status_code == 404


def test_overview_counts_only_the_users_province(client, other_admin, task):
    client.force_login(other_admin)

    response = client.get(reverse("reports:overview"), PERIOD)

    assert response.context["summary"]["totals"]["total"] == 0


def test_plan_progress_charts_agree_with_the_tables(client, leader, plan, lead_agency):
    _tasks(plan, lead_agency, 3)
    client.force_login(leader)

    response = client.get(reverse("reports:plan", args=[plan.pk]), PERIOD)

    charts = {chart["id"]: chart for chart in response.context["charts"]}
    doughnut = charts["status-chart"]["config"]["data"]["datasets"][0]["data"]
    assert sum(doughnut) == response.context["summary"]["totals"]["total"] == 3
    bars = charts["agency-chart"]
    assert bars["rows"][0][0] == "Sở Nội vụ" and bars["rows"][0][4] == 3  # overdue column
    assert 'id="agency-chart"' in response.text


def test_bad_period_is_said_in_vietnamese_and_replaced(client, leader):
    client.force_login(leader)

    response = client.get(reverse("reports:overview"), {"period": "2024-Q7"})

    assert response.status_code == 200
    assert "2024-Q7" in str(list(response.context["messages"])[0])


@pytest.mark.parametrize("period", ["0001", "9999-Q4", "31/12/2024:31/12/9999"])
def test_a_far_period_is_said_in_vietnamese_and_replaced(client, leader, period):
    client.force_login(leader)

    response = client.get(reverse("reports:overview"), {"period": period})

    assert response.status_code == 200
    assert "với năm từ 2000 đến 2100" in str(list(response.context["messages"])[0])
    assert response.context["period"].code == str(datetime.date.today().year)


@pytest.mark.parametrize("plan_id", ["abc", "²", "99999999999999999999"])
def test_submissions_of_a_malformed_plan_are_said_not_shown(client, province_admin, plan_id):
    client.force_login(province_admin)

    response = client.get(reverse("reports:documents"), {"plan": plan_id, "period": "2024"})

    assert (response.status_code, "submissions" in response.context) == (200, False)
    assert list(response.context["messages"])


@pytest.mark.parametrize("plan_id", ["abc", "²", "99999999999999999999", ""])
def test_a_report_of_a_malformed_plan_is_404(client, lead_focal_point, plan_id):
    client.force_login(lead_focal_point)

    response = client.post(reverse("reports:document_create"), {"plan": plan_id, "kind": "agency",
                                                                 "period": "2024"})

    assert response.status_code == 404


def test_plan_progress_says_the_previous_year_once(client, leader, plan, lead_agency):
    _tasks(plan, lead_agency, 2)
    client.force_login(leader)

    yearly = client.get(reverse("reports:plan", args=[plan.pk]), {"period": "2025"}).text
    quarterly = client.get(reverse("reports:plan", args=[plan.pk]), {"period": "2025-Q3"}).text

    assert yearly.count("Kỳ trước (") == 1 and "Cùng kỳ năm trước" not in yearly
    assert "Kỳ trước (" in quarterly and "Cùng kỳ năm trước (" in quarterly


@pytest.mark.parametrize(
    ("text", "code"), [("Quý III/2024", "2024-Q3"), ("6 tháng đầu năm 2024", "2024-H1"),
                       ("01/01/2024 - 30/06/2024", "2024-01-01:2024-06-30"), ("Năm 2024", "2024")]
)
def test_period_written_the_vietnamese_way(client, leader, text, code):
    client.force_login(leader)

    response = client.get(reverse("reports:overview"), {"period": text})

    assert response.context["period"].code == code
    assert not list(response.context["messages"])


def test_english_interface_names_the_periods_in_english(client, leader, plan, lead_agency, settings):
    _tasks(plan, lead_agency, 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(leader)

    response = client.get(reverse("reports:plan", args=[plan.pk]), {"period": "2025-Q3"})

    assert "Quarter III of 2025" in response.text and "Previous period (Quarter II of 2025)" in response.text
    assert "Same period a year earlier (Quarter III of 2024)" in response.text
    assert "Quý III năm" not in response.text and "Quý II năm" not in response.text


@pytest.mark.parametrize(("language", "label"), [("en", "Quarter III of 2025"), ("vi", "Quý III năm 2025")])
def test_the_period_box_shows_the_label_and_reads_it_back(client, leader, plan, settings, language, label):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(leader)

    page = client.get(reverse("reports:plan", args=[plan.pk]), {"period": "2025-Q3"}).text
    again = client.get(reverse("reports:plan", args=[plan.pk]), {"period": label})

    assert f'name="period" class="form-control" value="{label}"' in page and 'value="2025-Q3"' not in page
    assert again.context["period"].code == "2025-Q3"


@pytest.mark.parametrize("count", [2, 40])
def test_plan_progress_query_count_does_not_grow(client, leader, plan, lead_agency, count,
                                                 django_assert_num_queries):
    _tasks(plan, lead_agency, count)
    client.force_login(leader)

    # 16: for a year the previous period is the year before, computed once (was 17); the plan's
    # report settings read once for the figures and the paginated lists (was twice); the overdue
    # list's page reads its tasks, their lead assignments, and the agencies once (was a prefetch).
    with django_assert_num_queries(16):
        client.get(reverse("reports:plan", args=[plan.pk]), PERIOD)


@pytest.mark.parametrize("count", [2, 40])
def test_overview_query_count_does_not_grow(client, leader, plan, lead_agency, count,
                                            django_assert_num_queries):
    _tasks(plan, lead_agency, count)
    client.force_login(leader)

    # Session, user, province, the plans' rows (the totals are their sum), the twelve month ends of
    # the trend in one union, the user's agency for the page's header, the active plans' targets with
    # their reported values. Was 23: a full summary the page did not show (agencies, overdue,
    # completed, feedback) and one aggregate per month end.
    with django_assert_num_queries(7):
        client.get(reverse("reports:overview"), PERIOD)


@pytest.mark.parametrize("count", [2, 40])
def test_xlsx_export_query_count_does_not_grow(client, leader, plan, lead_agency, count,
                                               django_assert_num_queries):
    _tasks(plan, lead_agency, count)
    client.force_login(leader)

    # 13: for a year the previous period is the year before, computed once (was 12 before that),
    # the plan's targets with their reported values for the targets sheet, and the agencies of the
    # overdue list's leads read once.
    with django_assert_num_queries(13):
        response = client.get(reverse("reports:plan_export", args=[plan.pk, "xlsx"]), PERIOD)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_unknown_export_format_is_404(client, leader, plan):
    client.force_login(leader)

    assert client.get(reverse("reports:plan_export", args=[plan.pk, "exe"])).status_code == 404


# Documents ---------------------------------------------------------------------------------------


@pytest.fixture
def recipient(province, plan):
    recipient = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông")
    plan.report_recipient = recipient
    plan.save()
    return recipient


def _draft(client, user, plan, kind="agency", period="2024"):
    client.force_login(user)
    client.post(reverse("reports:document_create"), {"plan": plan.pk, "kind": kind, "period": period})
    return Report.objects.get(plan=plan, kind=kind, period=period)


def test_focal_point_drafts_its_agencys_report_to_the_recipient(client, lead_focal_point, plan, task,
                                                                 recipient):
    report = _draft(client, lead_focal_point, plan)

    assert (report.agency, report.recipient, report.status) == (lead_focal_point.agency, recipient, "draft")
    assert report.report_date == datetime.date(2024, 12, 18)


def test_a_focal_point_reports_on_the_plans_its_agency_leads_through_a_merger(
    client, lead_focal_point, province, lead_agency, plan
):
    merged = AgencyFactory(province=province, active_until=datetime.date(2025, 2, 28), successor=lead_agency)
    AssignmentFactory(task=TaskFactory(plan=plan), agency=merged)
    coordinated = PlanFactory(province=province, number="7/KH-UBND")
    AssignmentFactory(task=TaskFactory(plan=coordinated), agency=lead_agency, role="coordinator")
    client.force_login(lead_focal_point)

    response = client.get(reverse("reports:documents"))

    assert list(response.context["lead_plans"]) == [plan]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_report_date_is_a_day_first_text_box(client, lead_focal_point, plan, task, recipient, settings,
                                             language):
    # Like every date of the portal, not the browser's date picker (12/18/2024 in an English browser).
    report = _draft(client, lead_focal_point, plan)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("reports:document", args=[report.pk])).text
    client.post(reverse("reports:document", args=[report.pk]),
                {"report_date": "20/12/2024", "summary": "Đã làm", "number": "12/BC-SNV"})

    assert 'name="report_date" value="18/12/2024"' in page and 'type="date"' not in page
    report.refresh_from_db()
    assert report.report_date == datetime.date(2024, 12, 20)


def test_report_form_reads_a_day_first_date(lead_focal_point, plan, task, recipient):
    report = ReportFactory(plan=plan, agency=lead_focal_point.agency, report_date=datetime.date(2024, 1, 5))

    form = ReportForm({"report_date": "18/12/2024"}, instance=report)

    assert 'value="05/01/2024"' in str(ReportForm(instance=report)["report_date"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["report_date"] == datetime.date(2024, 12, 18)


def test_submitted_report_does_not_change_when_its_tasks_do(client, lead_focal_point, plan, task, recipient):
    report = _draft(client, lead_focal_point, plan)
    client.post(reverse("reports:document_submit", args=[report.pk]), {"confirm": "yes"})
    before = client.get(reverse("reports:document", args=[report.pk])).context["summary"]

    task.status, task.completed_on = "completed", datetime.date(2024, 6, 1)
    task.title = "Đổi tên"
    task.save()
    after = client.get(reverse("reports:document", args=[report.pk])).context["summary"]

    assert before == after
    assert after["totals"]["not_started"] == 1 and after["totals"]["done_on_time"] == 0
    docx = client.get(reverse("reports:document_export", args=[report.pk, "docx"]))
    assert "Đổi tên" not in "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)


def test_submitted_report_cannot_be_edited(client, lead_focal_point, plan, task, recipient):
    report = _draft(client, lead_focal_point, plan)
    client.post(reverse("reports:document_submit", args=[report.pk]), {"confirm": "yes"})

    response = client.post(reverse("reports:document", args=[report.pk]), {"summary": "Sửa sau"})

    report.refresh_from_db()
    assert response.status_code == 403
    assert report.summary != "Sửa sau"


def test_focal_point_sees_only_its_agencys_reports(client, lead_focal_point, plan):
    other = ReportFactory(plan=plan)
    client.force_login(lead_focal_point)

    assert client.get(reverse("reports:document", args=[other.pk])).status_code == 404
    assert other not in client.get(reverse("reports:documents")).context["reports"]


def test_only_admins_see_the_consolidated_report(client, province_admin, leader, lead_focal_point, plan, task,
                                                 recipient):
    report = _draft(client, province_admin, plan, kind="consolidated")

    assert report.agency == recipient
    for user in (leader, lead_focal_point):
        client.force_login(user)
        assert client.get(reverse("reports:document", args=[report.pk])).status_code == 404


def test_leader_cannot_draft_a_report(client, leader, plan):
    client.force_login(leader)

    response = client.post(reverse("reports:document_create"), {"plan": plan.pk, "kind": "agency",
                                                                "period": "2024"})

    assert response.status_code == 403


def test_report_of_another_province_is_404(client, other_admin, plan):
    report = ReportFactory(plan=plan)
    client.force_login(other_admin)

    assert client.get(reverse("reports:document", args=[report.pk])).status_code == 404


def test_admin_sees_who_has_and_has_not_submitted(client, province_admin, plan, task, lead_agency, recipient):
    works = AgencyFactory(province=plan.province, name="Sở Xây dựng")
    AssignmentFactory(task=TaskFactory(plan=plan), agency=works)
    submitted = ReportFactory(plan=plan, agency=works, status="submitted")
    client.force_login(province_admin)

    response = client.get(reverse("reports:documents"), {"plan": plan.pk, "period": "2024"})

    assert response.context["submissions"] == [(lead_agency, None), (works, submitted)]


def test_focal_point_of_another_agency_cannot_submit(client, plan, lead_focal_point, task, recipient):
    report = _draft(client, lead_focal_point, plan)
    stranger = UserFactory(province=plan.province, role=Role.FOCAL_POINT)
    client.force_login(stranger)

    response = client.post(reverse("reports:document_submit", args=[report.pk]), {"confirm": "yes"})

    assert response.status_code == 404


def test_submitting_asks_first_and_submits_nothing(client, lead_focal_point, plan, task, recipient):
    report = _draft(client, lead_focal_point, plan)

    page = client.get(reverse("reports:document_submit", args=[report.pk]))

    report.refresh_from_db()
    assert "Sau khi gửi, báo cáo giữ nguyên số liệu tại thời điểm gửi và không thể sửa." in page.text
    assert 'name="confirm" value="yes"' in page.text
    assert not report.is_submitted


def test_a_submission_not_confirmed_submits_nothing(client, lead_focal_point, plan, task, recipient):
    report = _draft(client, lead_focal_point, plan)

    response = client.post(reverse("reports:document_submit", args=[report.pk]))

    report.refresh_from_db()
    assert (response.status_code, report.is_submitted) == (200, False)


def test_a_confirmed_submission_fixes_the_report(client, lead_focal_point, plan, task, recipient):
    report = _draft(client, lead_focal_point, plan)

    response = client.post(reverse("reports:document_submit", args=[report.pk]), {"confirm": "yes"})

    report.refresh_from_db()
    assert (response.status_code, report.is_submitted) == (302, True)


def test_report_pages_say_the_day_the_figures_are_taken(client, leader, plan, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2026, 12, 2))
    client.force_login(leader)

    page = client.get(reverse("reports:plan", args=[plan.pk]), {"period": "2026"}).content.decode()

    assert "Số liệu tính đến ngày 02/12/2026" in page


def test_a_submitted_report_keeps_the_day_its_figures_were_taken(client, lead_focal_point, plan, task,
                                                                recipient, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2024, 12, 2))
    report = _draft(client, lead_focal_point, plan)
    client.post(reverse("reports:document_submit", args=[report.pk]), {"confirm": "yes"})
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2025, 3, 1))

    summary = client.get(reverse("reports:document", args=[report.pk])).context["summary"]
    docx = client.get(reverse("reports:document_export", args=[report.pk, "docx"]))

    assert summary["period"]["as_of"] == "2024-12-02"
    assert "số liệu tính đến ngày 02/12/2024" in "\n".join(
        p.text for p in Document(io.BytesIO(docx.content)).paragraphs)


def test_reports_are_expected_from_the_agencies_answering_on_the_reports_date(client, province_admin, plan,
                                                                              recipient):
    science = AgencyFactory(province=plan.province, name="Sở Khoa học và Công nghệ")
    recipient.active_until, recipient.successor = datetime.date(2025, 2, 28), science
    recipient.save()
    districts = AgencyFactory(province=plan.province, name="UBND cấp huyện", kind=AgencyKind.GROUP)
    town = AgencyFactory(province=plan.province, name="UBND thành phố Cao Lãnh", kind=AgencyKind.DISTRICT)
    districts.members.add(town)
    for lead in (recipient, districts):
        AssignmentFactory(task=TaskFactory(plan=plan), agency=lead)
    client.force_login(province_admin)

    response = client.get(reverse("reports:documents"), {"plan": plan.pk, "period": "2025"})

    assert [agency for agency, _report in response.context["submissions"]] == [science, town]
