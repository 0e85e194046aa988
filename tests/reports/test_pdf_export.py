"""PDF exports: the request builds the .docx and queues its conversion; the worker of the ``pdf`` queue
converts it; the export's page follows it, for its owner only. Also the names of exported files and the
periods as users read them (never their codes)."""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import Role
from reports import jobs, pdf_exports
from reports.documents.pdf import PdfUnavailable
from reports.filenames import ascii_slug, period_part
from reports.models import PdfExport
from reports.periods import parse_period
from tests.factories import UserFactory
from tests.reports.factories import ReportFactory
from tests.reports.pdf_factories import PdfExportFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 made by the fake converter"
YEAR = {"period": "2025"}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def libreoffice(monkeypatch):
    """LibreOffice "installed", converting in no time; ``calls`` lists the .docx it was given."""
    calls = []

    def convert(data):
        calls.append(data)
        return PDF

    monkeypatch.setattr("reports.views.pdf_available", lambda: True)
    monkeypatch.setattr("reports.pdf_exports.convert_docx", convert)
    return calls


@pytest.fixture
def queued_jobs(monkeypatch):
    """Jobs handed to the broker are listed here, not run."""
    sent = []
    monkeypatch.setattr(jobs.convert_pdf, "delay", lambda *args: sent.append(args))
    return sent


@pytest.fixture
def eager_jobs(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def plan_with_task(plan, task):
    return plan


def _plan_pdf(client, plan, django_capture_on_commit_callbacks, period=YEAR):
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(reverse("reports:plan_export", args=[plan.pk, "pdf"]), period)


def test_the_request_only_queues_the_conversion(
    client, leader, plan_with_task, libreoffice, queued_jobs, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    response = _plan_pdf(client, plan_with_task, django_capture_on_commit_callbacks)

    export = PdfExport.objects.get()
    assert response.status_code == 302 and response.url == export.get_absolute_url()
    assert (export.status, queued_jobs, libreoffice) == (PdfExport.Status.QUEUED, [(export.pk,)], [])
    assert export.source.read().startswith(b"PK")  # the .docx, kept for the job


def test_the_job_is_routed_to_the_pdf_queue(settings):
    assert settings.CELERY_TASK_ROUTES[jobs.convert_pdf.name] == {"queue": "pdf"}


def test_with_eager_jobs_the_page_then_offers_the_pdf(
    client, leader, plan_with_task, libreoffice, eager_jobs, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    page = client.get(_plan_pdf(client, plan_with_task, django_capture_on_commit_callbacks).url)

    download = reverse("reports:pdf_export_file", args=[PdfExport.objects.get().pk, "pdf"])
    assert page.status_code == 200 and download in page.text
    assert "Refresh" not in page.headers  # finished: the page stops reloading


def test_the_pdf_is_downloaded_as_an_attachment(client, leader):
    export = PdfExportFactory(requested_by=leader)
    client.force_login(leader)

    response = client.get(reverse("reports:pdf_export_file", args=[export.pk, "pdf"]))

    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-115-KH-UBND-2025.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 converted"


def test_a_second_click_while_pending_queues_nothing_more(
    client, leader, plan_with_task, libreoffice, queued_jobs, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    first = _plan_pdf(client, plan_with_task, django_capture_on_commit_callbacks)
    second = _plan_pdf(client, plan_with_task, django_capture_on_commit_callbacks)

    assert first.url == second.url
    assert (PdfExport.objects.count(), len(queued_jobs)) == (1, 1)


def test_a_waiting_export_says_how_many_files_are_ahead_and_reloads(client, leader):
    for _index in range(2):
        PdfExportFactory(status=PdfExport.Status.QUEUED, pdf="")
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.QUEUED, pdf="")
    client.force_login(leader)

    response = client.get(export.get_absolute_url())

    assert "Đang chờ chuyển đổi (2 tệp trước)" in response.text
    assert response.headers["Refresh"] == "3"


def test_a_converting_export_says_so(client, leader):
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.CONVERTING, pdf="")
    client.force_login(leader)

    assert "Đang chuyển đổi…" in client.get(export.get_absolute_url()).text


def test_the_page_is_in_the_portals_layout_without_inline_script(client, leader):
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.QUEUED, pdf="")
    client.force_login(leader)

    response = client.get(export.get_absolute_url())

    assert [t.name for t in response.templates][:2] == ["reports/pdf_export.html", "base.html"]
    assert "<script>" not in response.text


@pytest.mark.parametrize("url", ["reports:pdf_export", "reports:pdf_export_file"])
def test_another_user_cannot_see_the_export(client, leader, province_admin, url):
    export = PdfExportFactory(requested_by=leader)
    client.force_login(province_admin)  # of the same province, and an admin

    args = [export.pk] if url == "reports:pdf_export" else [export.pk, "pdf"]
    assert client.get(reverse(url, args=args)).status_code == 404


def test_a_superuser_sees_every_export(client, leader):
    export = PdfExportFactory(requested_by=leader)
    client.force_login(UserFactory(is_superuser=True, role=Role.LEADER, province=None, agency=None))

    assert client.get(reverse("reports:pdf_export_file", args=[export.pk, "pdf"])).status_code == 200


def test_the_pdf_of_an_unfinished_export_is_404(client, leader):
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.CONVERTING)
    client.force_login(leader)

    assert client.get(reverse("reports:pdf_export_file", args=[export.pk, "pdf"])).status_code == 404


def test_without_libreoffice_the_pdf_link_answers_a_page_with_the_docx(
    client, leader, plan_with_task, monkeypatch, queued_jobs, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("shutil.which", lambda name: None)
    client.force_login(leader)

    response = _plan_pdf(client, plan_with_task, django_capture_on_commit_callbacks)

    docx = reverse("reports:plan_export", args=[plan_with_task.pk, "docx"]) + "?period=2025"
    assert response.status_code == 503
    assert [t.name for t in response.templates][:2] == ["reports/pdf_unavailable.html", "base.html"]
    assert "Máy chủ chưa tạo được tệp PDF" in response.text and f'href="{docx}"' in response.text
    assert (PdfExport.objects.count(), queued_jobs) == (0, [])


def test_a_failed_conversion_ends_failed_and_offers_the_docx(
    client, leader, plan_with_task, monkeypatch, eager_jobs, django_capture_on_commit_callbacks
):
    def refuse(data):
        raise PdfUnavailable("LibreOffice could not convert the report: exit status 1")

    monkeypatch.setattr("reports.views.pdf_available", lambda: True)
    monkeypatch.setattr("reports.pdf_exports.convert_docx", refuse)
    client.force_login(leader)

    page = client.get(_plan_pdf(client, plan_with_task, django_capture_on_commit_callbacks).url)

    export = PdfExport.objects.get()
    assert export.status == PdfExport.Status.FAILED and export.error
    assert "Không tạo được tệp PDF." in page.text
    assert reverse("reports:pdf_export_file", args=[export.pk, "docx"]) in page.text
    assert "Refresh" not in page.headers


def test_the_docx_of_a_failed_export_is_downloaded(client, leader):
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.FAILED, pdf="")
    client.force_login(leader)

    response = client.get(reverse("reports:pdf_export_file", args=[export.pk, "docx"]))

    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-115-KH-UBND-2025.docx"'


def test_an_export_left_converting_for_over_15_minutes_is_shown_failed(client, leader):
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.CONVERTING, pdf="")
    PdfExport.objects.filter(pk=export.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=16))
    client.force_login(leader)

    response = client.get(export.get_absolute_url())

    assert "Quá trình chuyển đổi bị dừng" in response.text
    assert "Refresh" not in response.headers


def test_a_job_does_not_convert_an_export_given_up(leader, libreoffice):
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.QUEUED, pdf="")
    PdfExport.objects.filter(pk=export.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=16))

    jobs.convert_pdf(export.pk)

    export.refresh_from_db()
    assert (export.status, libreoffice) == (PdfExport.Status.QUEUED, [])


def test_a_job_delivered_twice_converts_once(leader, libreoffice):
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.QUEUED, pdf="")

    jobs.convert_pdf(export.pk)
    jobs.convert_pdf(export.pk)

    export.refresh_from_db()
    assert (export.status, len(libreoffice)) == (PdfExport.Status.READY, 1)
    assert export.pdf.read() == PDF


def test_with_the_broker_down_the_export_fails_at_once(
    client, leader, plan_with_task, libreoffice, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    page = client.get(_plan_pdf(client, plan_with_task, django_capture_on_commit_callbacks).url)

    assert PdfExport.objects.get().status == PdfExport.Status.FAILED
    assert reverse("reports:pdf_export_file", args=[PdfExport.objects.get().pk, "docx"]) in page.text


def test_old_exports_are_removed_with_their_files(leader, private_media):
    old, recent = PdfExportFactory(requested_by=leader), PdfExportFactory(requested_by=leader)
    a_day_ago = timezone.now() - datetime.timedelta(days=1, minutes=1)
    PdfExport.objects.filter(pk=old.pk).update(created_at=a_day_ago)

    assert pdf_exports.remove_old() == 1

    assert list(PdfExport.objects.all()) == [recent]
    assert not (private_media / old.pdf.name).exists() and not (private_media / old.source.name).exists()
    assert (private_media / recent.pdf.name).exists()


def test_a_conversion_job_removes_the_old_exports_first(leader, libreoffice):
    old = PdfExportFactory(requested_by=leader)
    PdfExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    export = PdfExportFactory(requested_by=leader, status=PdfExport.Status.QUEUED, pdf="")

    jobs.convert_pdf(export.pk)

    assert list(PdfExport.objects.values_list("pk", flat=True)) == [export.pk]


def test_the_files_are_stored_privately(
    client, leader, plan_with_task, libreoffice, eager_jobs, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    _plan_pdf(client, plan_with_task, django_capture_on_commit_callbacks)

    export = PdfExport.objects.get()
    assert export.source.name.startswith("private/pdf/") and export.pdf.name.startswith("private/pdf/")


# File names ---------------------------------------------------------------------------------------


def _attachment(response):
    return response["Content-Disposition"].removeprefix('attachment; filename="').removesuffix('"')


def test_plan_report_is_named_by_plan_and_period(client, leader, plan_with_task):
    client.force_login(leader)

    response = client.get(reverse("reports:plan_export", args=[plan_with_task.pk, "docx"]), YEAR)

    assert _attachment(response) == "bao-cao-115-KH-UBND-2025.docx"


def test_province_report_is_named_by_province_and_period(client, leader, task):
    client.force_login(leader)

    response = client.get(reverse("reports:export", args=["xlsx"]), {"period": "2025-Q3"})

    assert _attachment(response) == "bao-cao-dong-thap-2025-quy-3.xlsx"


def test_agency_report_document_is_named_by_plan_agency_and_period(
    client, lead_focal_point, plan, lead_agency
):
    report = ReportFactory(plan=plan, agency=lead_agency, created_by=lead_focal_point, period="2024-H1")
    client.force_login(lead_focal_point)

    response = client.get(reverse("reports:document_export", args=[report.pk, "docx"]))

    assert _attachment(response) == "bao-cao-115-KH-UBND-so-noi-vu-2024-6-thang-dau.docx"


@pytest.mark.parametrize(("text", "slug"), [
    ("1568/QĐ-UBND", "1568-QD-UBND"), ("  28/KH-UBND ", "28-KH-UBND"), ("Đề án: \"số 1\"\r\n", "De-an-so-1"),
    ("../../etc/passwd", "etc-passwd"), ("", ""),
])
def test_plan_numbers_become_ascii_with_hyphens(text, slug):
    assert ascii_slug(text, lower=False) == slug


def test_a_date_range_is_named_by_its_dates():
    assert period_part(parse_period("2025-01-01:2025-06-30")) == "2025-01-01-den-2025-06-30"


# Periods as users read them -------------------------------------------------------------------------


class _ShownText(HTMLParser):
    """The text a reader sees: text nodes, and what the visible inputs hold or suggest."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "input" and attrs.get("type") != "hidden":
            self.parts += [attrs.get("value") or "", attrs.get("placeholder") or ""]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _shown(html):
    parser = _ShownText()
    parser.feed(html)
    return " ".join(parser.parts)


def test_the_plan_report_page_names_periods_by_their_labels(client, leader, plan_with_task):
    client.force_login(leader)

    shown = _shown(client.get(reverse("reports:plan", args=[plan_with_task.pk]), {"period": "2025-Q3"}).text)

    assert "Quý III năm 2025" in shown
    assert [code for code in ("2025-Q3", "2025-Q2", "2024-Q3") if code in shown] == []


def test_the_report_documents_name_periods_by_their_labels(client, lead_focal_point, plan, lead_agency):
    report = ReportFactory(plan=plan, agency=lead_agency, created_by=lead_focal_point, period="2024-Q3")
    client.force_login(lead_focal_point)

    listed = _shown(client.get(reverse("reports:documents")).text)
    detail = _shown(client.get(report.get_absolute_url()).text)

    assert "2024-Q3" not in listed and "Quý III năm 2024" in listed
    assert "2024-Q3" not in detail


def _xlsx_headers(client, plan, period):
    response = client.get(reverse("reports:plan_export", args=[plan.pk, "xlsx"]), {"period": period})
    return [cell.value for cell in load_workbook(io.BytesIO(response.getvalue()))["Tổng hợp"][1]]


def test_xlsx_headers_name_periods_by_their_labels(client, leader, plan_with_task):
    client.force_login(leader)

    headers = _xlsx_headers(client, plan_with_task, "2025-Q3")

    assert headers == ["Chỉ tiêu", "Quý III năm 2025", "Quý II năm 2025", "Quý III năm 2024"]


def test_xlsx_of_a_year_has_the_year_before_once(client, leader, plan_with_task):
    client.force_login(leader)

    assert _xlsx_headers(client, plan_with_task, "2025") == ["Chỉ tiêu", "Năm 2025", "Năm 2024"]

