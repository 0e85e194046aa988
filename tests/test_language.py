import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_portal_speaks_vietnamese_to_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Đăng nhập" in response.text


def test_user_can_switch_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("login"))

    assert "Log in" in response.text
    assert response.headers["Content-Language"] == "en"


def test_dates_are_written_day_first(client, province_admin, task):
    task.due_override = "2025-03-31"
    task.save()
    client.force_login(province_admin)

    response = client.get(reverse("tasks:detail", args=[task.pk]))

    assert "31/03/2025" in response.text
