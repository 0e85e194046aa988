"""The task page: its full history, the actions each role is offered, and its query count."""

import datetime

import pytest
from django.urls import reverse

from tasks import workflow
from tests.tasks.factories import pdf, report_complete

pytestmark = pytest.mark.django_db


def _page(client, user, task):
    client.force_login(user)
    return client.get(reverse("tasks:detail", args=[task.pk]))


def _report(task, author):
    report_complete(
        task,
        author,
        done="Đã ban hành kế hoạch",
        difficulties="Thiếu nhân lực",
        proposals="Bổ sung biên chế",
        evidence=[
            {
                "reference": "Quyết định số 123/QĐ-UBND ngày 12/6/2024",
                "file": pdf(),
                "content_type": "application/pdf",
            }
        ],
    )


def test_history_shows_who_when_what_changed_and_the_evidence(client, leader, lead_focal_point, task):
    lead_focal_point.first_name, lead_focal_point.last_name = "Trần Thị", "Bình"
    lead_focal_point.save()
    _report(task, lead_focal_point)

    response = _page(client, leader, task)

    history = response.text[response.text.index('id="history"') :]
    evidence = task.updates.get().evidence.get()
    assert "Trần Thị Bình · Sở Nội vụ" in history
    assert "Bổ sung biên chế" in history and "Thiếu nhân lực" in history
    assert "20/12/2024" in history
    assert f'href="{reverse("tasks:evidence", args=[evidence.pk])}"' in history
    assert "Quyết định số 123/QĐ-UBND ngày 12/6/2024" in history


def test_lead_focal_point_is_offered_the_report_and_the_extension(client, lead_focal_point, task):
    response = _page(client, lead_focal_point, task)

    assert reverse("tasks:report", args=[task.pk]) in response.text
    assert reverse("tasks:request_extension", args=[task.pk]) in response.text
    assert reverse("tasks:contribute", args=[task.pk]) not in response.text


def test_coordinator_is_offered_the_contribution_only(client, coordinator_focal_point, task):
    response = _page(client, coordinator_focal_point, task)

    assert reverse("tasks:contribute", args=[task.pk]) in response.text
    assert reverse("tasks:report", args=[task.pk]) not in response.text


def test_admin_reviews_work_awaiting_acceptance_from_the_page(client, province_admin, lead_focal_point, task):
    _report(task, lead_focal_point)

    response = _page(client, province_admin, task)

    assert f'action="{reverse("tasks:review", args=[task.pk])}"' in response.text
    assert f'name="version" value="{task.version}"' in response.text


def test_leader_is_offered_nothing_to_change(client, leader, lead_focal_point, task):
    _report(task, lead_focal_point)

    response = _page(client, leader, task)

    assert reverse("tasks:review", args=[task.pk]) not in response.text
    assert reverse("tasks:report", args=[task.pk]) not in response.text


def test_pending_extension_is_shown_to_the_admin_with_its_decision(
    client, province_admin, lead_focal_point, task
):
    extension = workflow.request_extension(
        task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ hướng dẫn của Bộ"
    )

    response = _page(client, province_admin, task)

    assert "Chờ hướng dẫn của Bộ" in response.text
    assert reverse("tasks:decide_extension", args=[extension.pk]) in response.text


def test_extended_due_date_is_shown_with_the_original(client, leader, province_admin, lead_focal_point, task):
    extension = workflow.request_extension(
        task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ"
    )
    workflow.decide_extension(extension, author=province_admin, version=task.version, approve=True)

    response = _page(client, leader, task)

    assert "31/03/2025" in response.text and "31/12/2024" in response.text


@pytest.mark.parametrize("reports", [1, 25])
def test_query_count_does_not_grow_with_the_history(
    client, leader, lead_focal_point, coordinator_focal_point, task, reports, django_assert_num_queries
):
    for _ in range(reports):
        workflow.contribute(
            task,
            author=coordinator_focal_point,
            done="Số liệu",
            evidence=[{"reference": "CV 1", "file": pdf(), "content_type": "application/pdf"}],
        )
        workflow.report(
            task,
            author=lead_focal_point,
            version=task.version,
            status="in_progress",
            progress=50,
            done="Tiếp tục",
        )
    client.force_login(leader)

    # session, user, task (with states and roles), its assignments, its periods, pending extension,
    # the deliverable's product indicators, history with authors and agencies, their evidence, the
    # user's agency and province (menu); the comment form's agencies and their aliases, the provinces
    # the leader holds (tests/tasks/test_comments.py)
    with django_assert_num_queries(14):
        response = client.get(reverse("tasks:detail", args=[task.pk]))

    assert response.status_code == 200
