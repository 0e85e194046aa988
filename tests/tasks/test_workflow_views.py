"""Report, contribution, review and extension pages; evidence files; the quick status change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tasks import workflow
from tasks.models import Evidence, ExtensionRequest, TaskStatus, TaskUpdate
from tests.factories import TaskFactory
from tests.tasks.factories import PDF_BYTES, evidence_data, office_file, pdf, report_complete, report_data

pytestmark = pytest.mark.django_db


def _vi(message):
    with translation.override("vi"):
        return str(message)


def _report(client, task, *evidence, **fields):
    return client.post(reverse("tasks:report", args=[task.pk]), report_data(task, *evidence, **fields))


def test_lead_focal_point_reports_progress(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = _report(client, task, difficulties="Thiếu kinh phí", proposals="Bổ sung kinh phí")

    task.refresh_from_db()
    assert response.status_code == 302
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 40)
    assert TaskUpdate.objects.get().difficulties == "Thiếu kinh phí"


def test_the_successor_of_a_merged_agency_reports_on_its_tasks(client, lead_focal_point, merged_agency_task):
    client.force_login(lead_focal_point)

    response = _report(client, merged_agency_task)

    merged_agency_task.refresh_from_db()
    assert response.status_code == 302
    assert merged_agency_task.status == TaskStatus.IN_PROGRESS


def test_report_complete_with_a_pdf_waits_for_acceptance(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    _report(
        client,
        task,
        ("Quyết định số 123/QĐ-UBND ngày 12/6/2024", pdf()),
        status="awaiting_acceptance",
        completed_on="20/12/2024",
    )

    task.refresh_from_db()
    evidence = Evidence.objects.get()
    assert (task.status, task.completed_on) == (TaskStatus.AWAITING_ACCEPTANCE, datetime.date(2024, 12, 20))
    assert (evidence.reference, evidence.size) == ("Quyết định số 123/QĐ-UBND ngày 12/6/2024", len(PDF_BYTES))


def test_report_complete_needs_a_completion_date(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = _report(client, task, status="awaiting_acceptance", done="Đã hoàn thành")

    task.refresh_from_db()
    assert response.status_code == 200
    assert task.status == TaskStatus.NOT_STARTED
    assert "Đã hoàn thành" in response.text


def test_completion_date_cannot_be_in_the_future(client, lead_focal_point, task):
    client.force_login(lead_focal_point)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)

    response = _report(client, task, status="awaiting_acceptance", completed_on=tomorrow.strftime("%d/%m/%Y"))

    assert response.status_code == 200
    assert not TaskUpdate.objects.exists()


def test_a_future_completion_date_gets_one_error_not_two(client, lead_focal_point, task):
    client.force_login(lead_focal_point)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)

    response = _report(client, task, status="awaiting_acceptance", completed_on=tomorrow.strftime("%d/%m/%Y"))

    assert response.context["form"].errors["completed_on"] == ["Ngày không được sau ngày hôm nay."]


def test_file_whose_content_is_not_its_extension_is_refused(client, lead_focal_point, task):
    client.force_login(lead_focal_point)
    fake = pdf("quyet-dinh.pdf", b"MZ\x90\x00 not a pdf")

    response = _report(client, task, ("QĐ 123", fake), done="Giữ nguyên nội dung này")

    assert response.status_code == 200
    assert "Giữ nguyên nội dung này" in response.text
    assert not TaskUpdate.objects.exists()
    assert not Evidence.objects.exists()


def test_file_over_the_size_limit_is_refused(client, lead_focal_point, task, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    client.force_login(lead_focal_point)

    response = _report(client, task, ("", pdf()))

    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_word_file_is_accepted_as_evidence(client, lead_focal_point, task):
    client.force_login(lead_focal_point)
    docx = pdf("bao-cao.docx", office_file("word/document.xml"))

    _report(client, task, ("", docx))

    assert Evidence.objects.get().content_type.endswith("wordprocessingml.document")


def test_stale_report_keeps_the_text_and_says_why(client, lead_focal_point, task):
    client.force_login(lead_focal_point)
    seen = report_data(task, done="Nội dung của người thứ hai")
    workflow.report(
        task,
        author=lead_focal_point,
        version=task.version,
        status="in_progress",
        progress=10,
        done="Người thứ nhất",
    )

    response = client.post(reverse("tasks:report", args=[task.pk]), seen)

    task.refresh_from_db()
    assert response.status_code == 200
    assert _vi(workflow.STALE_MESSAGE) in response.text
    assert "Nội dung của người thứ hai" in response.text
    assert f'name="version" value="{task.version}"' in response.text
    assert list(TaskUpdate.objects.values_list("done", flat=True)) == ["Người thứ nhất"]


def test_report_on_a_period_from_its_link(client, lead_focal_point, lead_agency, plan):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    task.assignments.create(agency=lead_agency, role="lead", mention=lead_agency.name)
    occurrence = task.occurrences.order_by("due").first()
    client.force_login(lead_focal_point)

    response = client.get(reverse("tasks:report", args=[task.pk]), {"occurrence": occurrence.pk})

    assert f'<option value="{occurrence.pk}" selected>' in response.text


def test_coordinator_adds_a_contribution_with_evidence(client, coordinator_focal_point, task):
    client.force_login(coordinator_focal_point)

    response = client.post(
        reverse("tasks:contribute", args=[task.pk]),
        {
            "done": "Đã cung cấp số liệu",
            "difficulties": "",
            "proposals": "",
            **evidence_data(("CV 45", pdf())),
        },
    )

    task.refresh_from_db()
    update = TaskUpdate.objects.get()
    assert response.status_code == 302
    assert task.status == TaskStatus.NOT_STARTED
    assert (update.kind, update.evidence.get().reference) == (TaskUpdate.Kind.CONTRIBUTION, "CV 45")


def test_lead_cannot_post_a_contribution(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(reverse("tasks:contribute", args=[task.pk]), {"done": "x", **evidence_data()})

    assert response.status_code == 403
    assert not TaskUpdate.objects.exists()


def test_coordinator_cannot_forge_a_status_report(client, coordinator_focal_point, task):
    client.force_login(coordinator_focal_point)

    response = _report(client, task, status="awaiting_acceptance", completed_on="20/12/2024")

    task.refresh_from_db()
    assert response.status_code == 403
    assert task.status == TaskStatus.NOT_STARTED


def test_focal_point_of_another_agency_cannot_report(client, unrelated_focal_point, task):
    client.force_login(unrelated_focal_point)

    assert _report(client, task).status_code == 403


def test_admin_of_another_province_gets_404_on_report(client, other_admin, task):
    client.force_login(other_admin)

    assert _report(client, task).status_code == 404


def test_leader_cannot_report(client, leader, task):
    client.force_login(leader)

    assert client.get(reverse("tasks:report", args=[task.pk])).status_code == 403


def test_no_report_on_a_closed_plan(client, lead_focal_point, task):
    task.plan.status = "closed"
    task.plan.save()
    client.force_login(lead_focal_point)

    assert client.get(reverse("tasks:report", args=[task.pk])).status_code == 403


def test_admin_accepts_reported_work(client, province_admin, lead_focal_point, task):
    report_complete(task, lead_focal_point)
    client.force_login(province_admin)

    response = client.post(
        reverse("tasks:review", args=[task.pk]), {"version": task.version, "decision": "accept"}
    )

    task.refresh_from_db()
    assert response.status_code == 302
    assert (task.status, task.completed_on) == (TaskStatus.COMPLETED, datetime.date(2024, 12, 20))


def test_returning_work_needs_a_comment(client, province_admin, lead_focal_point, task):
    report_complete(task, lead_focal_point)
    client.force_login(province_admin)

    response = client.post(
        reverse("tasks:review", args=[task.pk]), {"version": task.version, "decision": "return"}
    )

    task.refresh_from_db()
    assert response.status_code == 200
    assert task.status == TaskStatus.AWAITING_ACCEPTANCE


def test_accepting_work_not_reported_complete_is_refused(client, province_admin, task):
    client.force_login(province_admin)

    response = client.post(
        reverse("tasks:review", args=[task.pk]), {"version": task.version, "decision": "accept"}
    )

    task.refresh_from_db()
    assert response.status_code == 200
    assert task.status == TaskStatus.NOT_STARTED


def test_focal_point_cannot_accept_its_own_work(client, lead_focal_point, task):
    report_complete(task, lead_focal_point)
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:review", args=[task.pk]), {"version": task.version, "decision": "accept"}
    )

    task.refresh_from_db()
    assert response.status_code == 403
    assert task.status == TaskStatus.AWAITING_ACCEPTANCE


def test_lead_requests_an_extension(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:request_extension", args=[task.pk]),
        {"proposed_due": "31/03/2025", "reason": "Chờ hướng dẫn"},
    )

    assert response.status_code == 302
    assert ExtensionRequest.objects.get().proposed_due == datetime.date(2025, 3, 31)


def test_extension_to_an_earlier_date_is_refused_with_the_text_kept(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:request_extension", args=[task.pk]),
        {"proposed_due": "01/01/2024", "reason": "Lý do riêng"},
    )

    assert response.status_code == 200
    assert "Lý do riêng" in response.text
    assert not ExtensionRequest.objects.exists()


def test_admin_approves_an_extension(client, province_admin, lead_focal_point, task):
    extension = workflow.request_extension(
        task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ"
    )
    client.force_login(province_admin)

    response = client.post(
        reverse("tasks:decide_extension", args=[extension.pk]),
        {"version": task.version, "decision": "approve"},
    )

    task.refresh_from_db()
    assert response.status_code == 302
    assert task.due == datetime.date(2025, 3, 31)


def test_focal_point_cannot_approve_its_own_extension(client, lead_focal_point, task):
    extension = workflow.request_extension(
        task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ"
    )
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:decide_extension", args=[extension.pk]),
        {"version": task.version, "decision": "approve"},
    )

    task.refresh_from_db()
    assert response.status_code == 403
    assert task.extended_due is None


def _evidence(task, author):
    update = workflow.contribute(
        task,
        author=author,
        done="x",
        evidence=[{"reference": "", "file": pdf(), "content_type": "application/pdf"}],
    )
    return update.evidence.get()


def test_evidence_is_served_to_a_user_of_the_province(client, leader, lead_focal_point, task):
    evidence = _evidence(task, lead_focal_point)
    client.force_login(leader)

    response = client.get(evidence.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_evidence_of_another_province_is_404(client, other_admin, lead_focal_point, task):
    evidence = _evidence(task, lead_focal_point)
    client.force_login(other_admin)

    assert client.get(evidence.get_absolute_url()).status_code == 404


def test_evidence_needs_login(client, lead_focal_point, task):
    evidence = _evidence(task, lead_focal_point)

    response = client.get(evidence.get_absolute_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_evidence_has_no_public_url(client, lead_focal_point, task):
    evidence = _evidence(task, lead_focal_point)
    client.force_login(lead_focal_point)

    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    assert client.get(f"/{evidence.file.name}").status_code == 404
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018


def test_quick_status_change_without_javascript_redirects_back(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:set_status", args=[task.pk]),
        {"version": task.version, "status": "in_progress", "next": reverse("tasks:mine") + "?role=lead"},
    )

    task.refresh_from_db()
    assert (response.status_code, response.url) == (302, reverse("tasks:mine") + "?role=lead")
    assert task.status == TaskStatus.IN_PROGRESS


def test_quick_status_change_ignores_a_next_url_elsewhere(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:set_status", args=[task.pk]),
        {"version": task.version, "status": "in_progress", "next": "https://example.com/"},
    )

    assert response.url == task.get_absolute_url()


def test_quick_status_change_with_htmx_returns_the_row(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:set_status", args=[task.pk]),
        {"version": task.version, "status": "in_progress"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        f'<article class="card shadow-sm mb-2 task-card" id="task-{task.pk}"'
    )
    assert '<option value="in_progress" selected>' in response.text


def test_quick_status_change_with_htmx_says_it_was_saved(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:set_status", args=[task.pk]),
        {"version": task.version, "status": "in_progress"},
        HTTP_HX_REQUEST="true",
    )

    assert f'role="status">{_vi(_("The status has been changed."))}</div>' in response.text


def test_stale_quick_status_change_with_htmx_shows_the_message_in_the_row(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    response = client.post(
        reverse("tasks:set_status", args=[task.pk]),
        {"version": task.version + 1, "status": "in_progress"},
        HTTP_HX_REQUEST="true",
    )

    task.refresh_from_db()
    assert _vi(workflow.STALE_MESSAGE) in response.text
    assert task.status == TaskStatus.NOT_STARTED


def test_the_evidence_field_offers_a_phones_camera_and_files(client, lead_focal_point, task):
    client.force_login(lead_focal_point)

    page = client.get(reverse("tasks:report", args=[task.pk])).text

    accept = page.split('type="file"', 1)[1].split("accept=", 1)[1].split('"')[1]
    assert {"image/jpeg", ".pdf", ".docx"} <= set(accept.split(","))
