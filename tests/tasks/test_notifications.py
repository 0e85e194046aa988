"""In-portal notifications: who gets them, the list, marking read, the navbar counter."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from agencies.models import AgencyKind
from tasks import workflow
from tasks.auth import PortalBackend
from tasks.context_processors import notifications
from tasks.models import Notification, NotificationKind
from tasks.notifications import notify_assignments
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory, UserFactory
from tests.tasks.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_assignment_notifies_the_agencys_focal_points(task, lead_focal_point, leader):
    notify_assignments(task.assignments.all())

    assert list(Notification.objects.values_list("recipient", "kind", "task")) == [
        (lead_focal_point.pk, NotificationKind.ASSIGNED, task.pk)
    ]


def test_assignment_to_a_group_notifies_its_members_focal_points(plan, lead_agency, lead_focal_point):
    group = AgencyFactory(province=plan.province, kind=AgencyKind.GROUP)
    group.members.add(lead_agency)
    assignment = AssignmentFactory(task=TaskFactory(plan=plan), agency=group)

    notify_assignments([assignment])

    assert list(Notification.objects.values_list("recipient", flat=True)) == [lead_focal_point.pk]


def test_an_agency_named_twice_is_notified_once(task, lead_agency, lead_focal_point):
    AssignmentFactory(task=task, agency=lead_agency, role="coordinator")

    notify_assignments(task.assignments.all())

    assert Notification.objects.count() == 1


def test_assignment_notifications_take_three_queries(
    plan, lead_agency, lead_focal_point, django_assert_num_queries
):
    assignments = [AssignmentFactory(task=TaskFactory(plan=plan), agency=lead_agency) for _ in range(5)]

    with django_assert_num_queries(3):
        notify_assignments(assignments)

    assert Notification.objects.count() == 5


def test_list_shows_only_the_users_notifications(client, lead_focal_point, leader, task):
    mine = NotificationFactory(recipient=lead_focal_point, task=task, message="Của tôi")
    NotificationFactory(recipient=leader, task=task, message="Của người khác")
    client.force_login(lead_focal_point)

    response = client.get(reverse("tasks:notifications"))

    assert list(response.context["page"]) == [mine]
    assert "Của người khác" not in response.text


def test_marking_one_read(client, lead_focal_point, task):
    notification = NotificationFactory(recipient=lead_focal_point, task=task)
    client.force_login(lead_focal_point)

    response = client.post(reverse("tasks:notification_read", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.url == reverse("tasks:notifications")
    assert notification.read_at is not None


def test_opening_a_notification_marks_it_read_and_goes_to_the_task(client, lead_focal_point, task):
    notification = NotificationFactory(recipient=lead_focal_point, task=task)
    client.force_login(lead_focal_point)

    response = client.post(reverse("tasks:notification_read", args=[notification.pk]), {"open": "1"})

    notification.refresh_from_db()
    assert response.url == task.get_absolute_url()
    assert notification.read_at is not None


def test_marking_one_read_with_htmx_returns_the_row(client, lead_focal_point, task):
    notification = NotificationFactory(recipient=lead_focal_point, task=task)
    client.force_login(lead_focal_point)

    response = client.post(reverse("tasks:notification_read", args=[notification.pk]), HTTP_HX_REQUEST="true")

    assert response.text.startswith(f'<li class="list-group-item" id="notification-{notification.pk}">')


def test_marking_all_read(client, lead_focal_point, leader, task):
    NotificationFactory.create_batch(3, recipient=lead_focal_point, task=task)
    others = NotificationFactory(recipient=leader, task=task)
    client.force_login(lead_focal_point)

    client.post(reverse("tasks:notifications_read_all"))

    assert not Notification.objects.filter(recipient=lead_focal_point).unread().exists()
    assert Notification.objects.get(pk=others.pk).read_at is None


def test_another_users_notification_is_404(client, lead_focal_point, leader, task):
    notification = NotificationFactory(recipient=leader, task=task)
    client.force_login(lead_focal_point)

    response = client.post(reverse("tasks:notification_read", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.status_code == 404
    assert notification.read_at is None


def test_backend_loads_the_unread_count_with_the_user(lead_focal_point, task, django_assert_num_queries):
    NotificationFactory.create_batch(2, recipient=lead_focal_point, task=task)
    NotificationFactory(recipient=lead_focal_point, task=task, read_at="2025-01-01T00:00Z")

    with django_assert_num_queries(1):
        user = PortalBackend().get_user(lead_focal_point.pk)
        assert user.unread_notification_count == 2


def test_context_processor_counts_unread_without_the_backend(lead_focal_point, task):
    NotificationFactory(recipient=lead_focal_point, task=task)
    request = RequestFactory().get("/")
    request.user = lead_focal_point

    assert notifications(request)["unread_notification_count"] == 1


def test_context_processor_gives_nothing_to_anonymous_users():
    request = RequestFactory().get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()

    assert notifications(request) == {}


def test_every_page_shows_the_unread_count(client, lead_focal_point, task):
    NotificationFactory.create_batch(2, recipient=lead_focal_point, task=task)
    client.force_login(lead_focal_point)

    response = client.get(reverse("home"))

    assert response.context["unread_notification_count"] == 2


def test_inactive_focal_points_are_not_notified(task, lead_agency, lead_focal_point):
    UserFactory(province=task.plan.province, agency=lead_agency, is_active=False)

    notify_assignments(task.assignments.all())

    assert list(Notification.objects.values_list("recipient", flat=True)) == [lead_focal_point.pk]


@pytest.mark.parametrize("count", [2, 40])
def test_notification_list_query_count_does_not_grow(
    client, lead_focal_point, task, count, django_assert_num_queries
):
    NotificationFactory.create_batch(count, recipient=lead_focal_point, task=task)
    client.force_login(lead_focal_point)

    # session, user, count, page with tasks and plans, the user's agency and province (menu)
    with django_assert_num_queries(6):
        response = client.get(reverse("tasks:notifications"))

    assert response.status_code == 200


@pytest.fixture
def merged(plan):
    """Sở TT&TT, merged into Sở KH&CN on 01/03/2025, and a focal point of Sở KH&CN."""
    science = AgencyFactory(province=plan.province, name="Sở Khoa học và Công nghệ")
    ict = AgencyFactory(province=plan.province, name="Sở Thông tin và Truyền thông",
                        active_until=datetime.date(2025, 2, 28), successor=science)
    return ict, UserFactory(province=plan.province, agency=science, username="dt.khcn")


def test_the_successors_focal_point_is_told_of_a_task_named_for_a_merged_agency(plan, merged):
    ict, science_focal_point = merged
    assignment = AssignmentFactory(task=TaskFactory(plan=plan), agency=ict)

    notify_assignments([assignment])

    assert list(Notification.objects.values_list("recipient", flat=True)) == [science_focal_point.pk]


def test_the_successors_focal_point_is_told_when_the_work_is_returned(plan, merged, province_admin):
    ict, science_focal_point = merged
    task = TaskFactory(plan=plan, status="awaiting_acceptance", completed_on=datetime.date(2024, 12, 1))
    AssignmentFactory(task=task, agency=ict)

    workflow.review(task, author=province_admin, version=task.version, accept=False, note="Bổ sung")

    returned = Notification.objects.filter(kind=NotificationKind.RETURNED)
    assert list(returned.values_list("recipient", flat=True)) == [science_focal_point.pk]
