"""The 403/404/500 pages: in the portal's layout and language, never Django's bare English ones.

Tests run with DEBUG off, so Django renders the project's templates here as it does in production.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from tests.factories import AgencyFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db

BOOTSTRAP = "vendor/bootstrap/bootstrap.min.css"


def _template_names(response):
    return [template.name for template in response.templates]


def _uses_portal_layout(response):
    """Rendered through base.html: the site's navigation bar and a link home."""
    html = response.text
    return "base.html" in _template_names(response) and "navbar" in html and 'href="/"' in html


def test_focal_point_of_another_agency_gets_the_portals_403_on_a_report_form(client, province, task):
    # Sở Y tế has no part in the task: the link to its report form was forwarded to them.
    outsider = UserFactory(province=province, agency=AgencyFactory(province=province, name="Sở Y tế"))
    client.force_login(outsider)

    response = client.get(reverse("tasks:report", args=[task.pk]))

    assert response.status_code == 403
    assert "403.html" in _template_names(response)
    assert _uses_portal_layout(response)
    assert f'href="{reverse("tasks:mine")}"' in response.text  # the signed-in menu is there
    assert "Về trang chủ" in response.text  # "Back to the home page", in Vietnamese by default
    assert "403 Forbidden" not in response.text


def test_403_page_says_why_in_english_when_chosen(client, lead_focal_point, task):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.force_login(lead_focal_point)

    response = client.get(reverse("tasks:edit_deadline", args=[task.pk]))

    assert response.status_code == 403
    assert "You do not have access to this page." in response.text
    assert "Back to the home page" in response.text


def test_user_of_another_province_gets_the_portals_404_on_a_plan_of_dong_thap(client, other_admin, plan):
    client.force_login(other_admin)

    response = client.get(reverse("plans:detail", args=[plan.pk]))

    assert response.status_code == 404
    assert "404.html" in _template_names(response)
    assert _uses_portal_layout(response)
    assert "Về trang chủ" in response.text
    assert plan.number not in response.text  # nothing of the other province leaks into the page
    assert "Not Found" not in response.text


def test_404_page_explains_in_english_when_chosen(client, other_admin, plan):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.force_login(other_admin)

    response = client.get(reverse("plans:detail", args=[plan.pk]))

    assert "This page cannot be found." in response.text
    assert "another province" in response.text


def test_anonymous_visitor_of_a_mistyped_address_gets_the_portals_404(client):
    response = client.get("/ke-hoach/115/")

    assert response.status_code == 404
    assert _uses_portal_layout(response)
    assert f'href="{reverse("tasks:mine")}"' not in response.text  # no menu for visitors


def _error_handler(status):
    """The view Django calls for this status, whatever config.urls sets it to."""
    return get_resolver().resolve_error_handler(status)


def _bare_request(path="/plans/1/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_handler500_renders_the_standalone_500_page():
    response = _error_handler(500)(_bare_request())
    html = response.content.decode()

    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in html
    assert "Something went wrong" in html
    assert f'href="{static(BOOTSTRAP)}"' in html
    assert 'href="/"' in html
    assert "{%" not in html and "{{" not in html


def test_a_request_for_another_host_stays_a_plain_400(client):
    # No 400.html on purpose: Django renders it with the request's context processors, and a bad Host
    # is refused before AuthenticationMiddleware, so the notifications processor (request.user) would
    # turn every such 400 into a 500.
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400


def test_standalone_error_pages_link_a_stylesheet_that_exists():
    # 500.html cannot use {% static %}: the path it writes by hand must stay right.
    assert finders.find(BOOTSTRAP)
    assert static(BOOTSTRAP) == "/static/" + BOOTSTRAP


def test_500_page_reads_nothing_from_the_database(django_assert_num_queries):
    PlanFactory()

    with django_assert_num_queries(0):
        response = _error_handler(500)(_bare_request())

    assert response.status_code == 500


def test_a_number_too_large_for_the_database_answers_400_with_a_page(rf):
    from config.middleware import OversizedNumberMiddleware

    request = rf.get("/tasks/handover/?agency=99999999999999999999")
    request.user = AnonymousUser()

    response = OversizedNumberMiddleware(lambda r: None).process_exception(
        request, OverflowError("Python int too large to convert to SQLite INTEGER")
    )

    assert response.status_code == 400
    assert "Không đọc được yêu cầu này." in response.content.decode()
