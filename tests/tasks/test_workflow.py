"""The workflow service: transitions, versions, history entries, acceptance and extensions."""

import datetime

import pytest

from tasks import workflow
from tasks.models import (
    ExtensionRequest,
    ExtensionStatus,
    Notification,
    NotificationKind,
    Occurrence,
    Task,
    TaskStatus,
    TaskUpdate,
)
from tasks.states import ProgressState
from tests.factories import TaskFactory
from tests.tasks.factories import pdf, report_complete

DUE = datetime.date(2024, 12, 31)
S = TaskStatus


def _state(task, on=datetime.date(2026, 1, 1)):
    return Task.objects.with_state(on).get(pk=task.pk).state


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (S.NOT_STARTED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.AWAITING_ACCEPTANCE),
        (S.RETURNED, S.IN_PROGRESS),
        (S.AWAITING_ACCEPTANCE, S.COMPLETED),
        (S.AWAITING_ACCEPTANCE, S.RETURNED),
    ],
)
def test_allowed_moves_pass(before, after):
    workflow.check_transition(before, after)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (S.COMPLETED, S.IN_PROGRESS),
        (S.NOT_STARTED, S.COMPLETED),
        (S.IN_PROGRESS, S.RETURNED),
        (S.AWAITING_ACCEPTANCE, S.IN_PROGRESS),
        (S.CANCELLED, S.IN_PROGRESS),
    ],
)
def test_bad_moves_raise_a_domain_error(before, after):
    with pytest.raises(workflow.InvalidTransition):
        workflow.check_transition(before, after)


@pytest.mark.django_db
def test_report_changes_the_task_and_writes_one_history_entry(task, lead_focal_point):
    update = workflow.report(
        task,
        author=lead_focal_point,
        version=task.version,
        status=S.IN_PROGRESS,
        progress=40,
        done="Đã xây dựng dự thảo",
        difficulties="Thiếu kinh phí",
        proposals="Bổ sung kinh phí",
    )

    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == (S.IN_PROGRESS, 40, 2)
    assert update.changes == {"status": ["not_started", "in_progress"], "progress": [0, 40]}
    assert (update.agency, update.difficulties, update.proposals) == (
        lead_focal_point.agency,
        "Thiếu kinh phí",
        "Bổ sung kinh phí",
    )


@pytest.mark.django_db
def test_stale_version_raises_and_writes_nothing(task, lead_focal_point):
    seen = task.version
    workflow.report(task, author=lead_focal_point, version=seen, status=S.IN_PROGRESS, progress=10, done="A")

    with pytest.raises(workflow.StaleVersion):
        workflow.report(
            task, author=lead_focal_point, version=seen, status=S.IN_PROGRESS, progress=90, done="B"
        )

    task.refresh_from_db()
    assert task.progress == 10
    assert list(TaskUpdate.objects.values_list("done", flat=True)) == ["A"]


@pytest.mark.django_db
def test_bad_move_changes_nothing(task, lead_focal_point):
    Task.objects.filter(pk=task.pk).update(status=S.COMPLETED)
    task.refresh_from_db()

    with pytest.raises(workflow.InvalidTransition):
        workflow.report(
            task, author=lead_focal_point, version=task.version, status=S.IN_PROGRESS, progress=10, done="x"
        )

    task.refresh_from_db()
    assert (task.status, task.version) == (S.COMPLETED, 1)
    assert not TaskUpdate.objects.exists()


@pytest.mark.django_db
def test_reporting_complete_waits_for_acceptance(task, lead_focal_point):
    report_complete(task, lead_focal_point)

    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_on) == (
        S.AWAITING_ACCEPTANCE,
        100,
        datetime.date(2024, 12, 20),
    )
    # not completed until accepted, nor overdue: it was reported complete by its due date
    assert _state(task) == ProgressState.IN_PROGRESS


@pytest.mark.django_db
def test_reporting_complete_notifies_the_provincial_admins(
    task, lead_focal_point, province_admin, other_admin
):
    report_complete(task, lead_focal_point)

    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (province_admin.pk, NotificationKind.SUBMITTED)
    ]


@pytest.mark.django_db
def test_report_stores_its_evidence(task, lead_focal_point, private_media):
    update = report_complete(
        task,
        lead_focal_point,
        evidence=[
            {
                "reference": "Quyết định số 123/QĐ-UBND ngày 12/6/2024",
                "file": pdf(),
                "content_type": "application/pdf",
            }
        ],
    )

    evidence = update.evidence.get()
    assert (evidence.reference, evidence.original_name, evidence.content_type) == (
        "Quyết định số 123/QĐ-UBND ngày 12/6/2024",
        "bao-cao.pdf",
        "application/pdf",
    )
    assert evidence.file.name.startswith("evidence/") and "bao-cao" not in evidence.file.name
    assert (private_media / evidence.file.name).read_bytes().startswith(b"%PDF-")


@pytest.mark.django_db
def test_acceptance_keeps_the_reported_completion_date_and_judges_on_time(
    task, lead_focal_point, province_admin
):
    report_complete(task, lead_focal_point, completed_on=DUE)
    task.refresh_from_db()

    workflow.review(task, author=province_admin, version=task.version, accept=True)

    task.refresh_from_db()
    assert (task.status, task.completed_on) == (S.COMPLETED, DUE)
    assert _state(task) == ProgressState.DONE_ON_TIME


@pytest.mark.django_db
def test_acceptance_of_late_work_is_completed_late(task, lead_focal_point, province_admin):
    report_complete(task, lead_focal_point, completed_on=DUE + datetime.timedelta(days=1))
    task.refresh_from_db()

    workflow.review(task, author=province_admin, version=task.version, accept=True)

    assert _state(task) == ProgressState.DONE_LATE


@pytest.mark.django_db
def test_acceptance_notifies_the_lead_focal_points(task, lead_focal_point, province_admin):
    report_complete(task, lead_focal_point)
    task.refresh_from_db()

    workflow.review(task, author=province_admin, version=task.version, accept=True)

    assert Notification.objects.filter(recipient=lead_focal_point, kind=NotificationKind.ACCEPTED).exists()


@pytest.mark.django_db
def test_return_sets_returned_and_tells_the_focal_points_why(task, lead_focal_point, province_admin):
    report_complete(task, lead_focal_point)
    task.refresh_from_db()

    workflow.review(task, author=province_admin, version=task.version, accept=False, note="Thiếu văn bản")

    task.refresh_from_db()
    assert task.status == S.RETURNED
    notification = Notification.objects.get(recipient=lead_focal_point)
    assert (notification.kind, notification.message) == (NotificationKind.RETURNED, "Thiếu văn bản")


@pytest.mark.django_db
def test_report_on_an_occurrence_updates_that_occurrence_only(plan, lead_focal_point, lead_agency):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    task.assignments.create(agency=lead_agency, role="lead", mention=lead_agency.name)
    occurrence = task.occurrences.order_by("due").first()

    update = workflow.report(
        task,
        author=lead_focal_point,
        version=task.version,
        occurrence=occurrence,
        status=S.AWAITING_ACCEPTANCE,
        progress=100,
        completed_on=occurrence.due,
        done="Báo cáo quý",
    )

    occurrence.refresh_from_db()
    task.refresh_from_db()
    assert (occurrence.status, occurrence.completed_on) == (S.AWAITING_ACCEPTANCE, occurrence.due)
    assert task.status == S.NOT_STARTED
    assert update.occurrence == occurrence


@pytest.mark.django_db
def test_contribution_leaves_the_status_and_version_alone(task, coordinator_focal_point, lead_focal_point):
    workflow.contribute(task, author=coordinator_focal_point, done="Đã cung cấp số liệu")

    task.refresh_from_db()
    assert (task.status, task.version) == (S.NOT_STARTED, 1)
    assert TaskUpdate.objects.get().kind == TaskUpdate.Kind.CONTRIBUTION


@pytest.mark.django_db
def test_contribution_notifies_the_lead_focal_points(task, coordinator_focal_point, lead_focal_point):
    workflow.contribute(task, author=coordinator_focal_point, done="Đã cung cấp số liệu")

    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (lead_focal_point.pk, NotificationKind.CONTRIBUTION)
    ]


def _extension(task, author, proposed=datetime.date(2025, 3, 31), **kwargs):
    return workflow.request_extension(
        task, author=author, proposed_due=proposed, reason="Chờ hướng dẫn", **kwargs
    )


@pytest.mark.django_db
def test_extension_request_keeps_the_date_it_extends(task, lead_focal_point, province_admin):
    extension = _extension(task, lead_focal_point)

    assert (extension.original_due, extension.status) == (DUE, ExtensionStatus.PENDING)
    assert Notification.objects.get().kind == NotificationKind.EXTENSION_REQUESTED


@pytest.mark.django_db
def test_only_one_extension_request_waits_at_a_time(task, lead_focal_point):
    _extension(task, lead_focal_point)

    with pytest.raises(workflow.WorkflowError):
        _extension(task, lead_focal_point, proposed=datetime.date(2025, 6, 30))

    assert ExtensionRequest.objects.count() == 1


@pytest.mark.django_db
def test_extension_must_move_the_date_later(task, lead_focal_point):
    with pytest.raises(workflow.WorkflowError):
        _extension(task, lead_focal_point, proposed=datetime.date(2024, 6, 30))


@pytest.mark.django_db
def test_approved_extension_judges_the_task_against_the_new_date(task, lead_focal_point, province_admin):
    extension = _extension(task, lead_focal_point)

    workflow.decide_extension(extension, author=province_admin, version=task.version, approve=True)

    annotated = Task.objects.with_state(datetime.date(2025, 2, 1)).get(pk=task.pk)
    assert (annotated.due_on, annotated.state) == (datetime.date(2025, 3, 31), ProgressState.NOT_STARTED)
    assert (annotated.deadline_due, annotated.due_override) == (DUE, None)


@pytest.mark.django_db
def test_approved_extension_stays_in_the_history_with_the_original_date(
    task, lead_focal_point, province_admin
):
    extension = _extension(task, lead_focal_point)

    update = workflow.decide_extension(extension, author=province_admin, version=task.version, approve=True)

    assert update.changes == {"extended_due": ["2024-12-31", "2025-03-31"]}
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by) == (ExtensionStatus.APPROVED, province_admin)


@pytest.mark.django_db
def test_extension_decision_notifies_the_requester(task, lead_focal_point, province_admin):
    extension = _extension(task, lead_focal_point)

    workflow.decide_extension(
        extension, author=province_admin, version=task.version, approve=False, note="Không"
    )

    assert Notification.objects.get(recipient=lead_focal_point).kind == NotificationKind.EXTENSION_REJECTED


@pytest.mark.django_db
def test_rejected_extension_keeps_the_due_date(task, lead_focal_point, province_admin):
    extension = _extension(task, lead_focal_point)

    workflow.decide_extension(extension, author=province_admin, version=task.version, approve=False)

    task.refresh_from_db()
    assert (task.extended_due, task.due) == (None, DUE)


@pytest.mark.django_db
def test_an_extension_is_decided_once(task, lead_focal_point, province_admin):
    extension = _extension(task, lead_focal_point)
    workflow.decide_extension(extension, author=province_admin, version=task.version, approve=False)
    task.refresh_from_db()

    with pytest.raises(workflow.WorkflowError):
        workflow.decide_extension(extension, author=province_admin, version=task.version, approve=True)

    task.refresh_from_db()
    assert task.extended_due is None


@pytest.mark.django_db
def test_extension_of_one_period_moves_that_period_only(plan, lead_focal_point, lead_agency, province_admin):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    first = task.occurrences.order_by("due").first()
    extension = _extension(task, lead_focal_point, proposed=datetime.date(2024, 7, 31), occurrence=first)

    workflow.decide_extension(extension, author=province_admin, version=task.version, approve=True)

    on = datetime.date(2024, 7, 15)
    assert Occurrence.objects.with_state(on).get(pk=first.pk).state == ProgressState.NOT_STARTED
    assert Task.objects.with_state(on).get(pk=task.pk).due_on == datetime.date(2024, 7, 31)


@pytest.mark.django_db
def test_a_recurring_task_is_extended_one_period_at_a_time(plan, lead_focal_point):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")

    with pytest.raises(workflow.WorkflowError):
        _extension(task, lead_focal_point, proposed=datetime.date(2030, 1, 1))

    assert not ExtensionRequest.objects.exists()


@pytest.mark.django_db
def test_quick_status_change_cannot_complete_work(task, lead_focal_point):
    with pytest.raises(workflow.InvalidTransition):
        workflow.set_status(task, author=lead_focal_point, version=task.version, status=S.AWAITING_ACCEPTANCE)
