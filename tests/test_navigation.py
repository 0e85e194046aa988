"""The menu leads every role to its pages, and only to pages the role may open."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu_links(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    return response.text.split('id="mainnav"', 1)[1].split("</ul>", 1)[0]


def test_leader_finds_the_dashboards_in_the_menu(client, leader):
    menu = _menu_links(client, leader)

    assert f'href="{reverse("reports:overview")}"' in menu
    assert f'href="{reverse("reports:documents")}"' not in menu


def test_focal_point_finds_the_report_documents_in_the_menu(client, lead_focal_point):
    menu = _menu_links(client, lead_focal_point)

    assert f'href="{reverse("reports:documents")}"' in menu
    assert f'href="{reverse("reports:overview")}"' not in menu


def test_provincial_admin_finds_both(client, province_admin):
    menu = _menu_links(client, province_admin)

    assert f'href="{reverse("reports:overview")}"' in menu
    assert f'href="{reverse("reports:documents")}"' in menu


def test_every_page_names_the_portals_icon_which_is_served(client, leader):
    client.force_login(leader)
    page = client.get(reverse("login")).text

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")
