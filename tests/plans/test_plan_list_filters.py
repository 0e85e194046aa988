"""The filters of the plan list: "All" as every select's empty choice (the year included, which had
none and narrowed every search to the latest year), Bootstrap widgets in a row that wraps."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def _first_options(html):
    """The label of each <select>'s first option, by the select's name."""
    return dict(re.findall(r'<select name="(\w+)"[^>]*>\s*<option value="[^"]*"[^>]*>([^<]*)</option>', html))


def test_year_and_status_selects_start_with_all(client, province_admin, plan):
    client.force_login(province_admin)

    response = client.get(reverse("plans:list"))

    assert _first_options(response.text) == {"year": "Tất cả", "status": "Tất cả"}
    assert "---------" not in response.text


def test_superusers_province_select_starts_with_all(admin_client, plan):
    response = admin_client.get(reverse("plans:list"))

    assert _first_options(response.text)["province"] == "Tất cả"


def test_searching_with_the_year_left_at_all_keeps_every_year(client, province_admin, plan, province):
    older = PlanFactory(
        province=province, number="12/KH-UBND", title="Về du lịch", issued_on=datetime.date(2021, 3, 1)
    )
    newer = PlanFactory(
        province=province, number="30/KH-UBND", title="Du lịch mới", issued_on=datetime.date(2025, 1, 6)
    )
    client.force_login(province_admin)

    # What the browser submits when only the search box was filled in.
    response = client.get(reverse("plans:list"), {"q": "du lịch", "year": "", "status": ""})

    assert older.number in response.text
    assert newer.number in response.text
    assert plan.number not in response.text


def test_choosing_a_year_still_filters(client, province_admin, plan, province):
    newer = PlanFactory(province=province, number="30/KH-UBND", issued_on=datetime.date(2025, 1, 6))
    client.force_login(province_admin)

    response = client.get(reverse("plans:list"), {"year": "2025"})

    assert newer.number in response.text
    assert plan.number not in response.text


def test_filter_widgets_carry_bootstrap_classes_in_a_wrapping_row(client, province_admin, plan):
    client.force_login(province_admin)

    response = client.get(reverse("plans:list"))

    form = response.context["filter"].form
    assert {name: field.widget.attrs.get("class") for name, field in form.fields.items()} == {
        "q": "form-control",
        "year": "form-select",
        "status": "form-select",
    }
    assert re.search(r'<form method="get" class="row g-2[^"]*" role="search">', response.text)
    assert re.search(r'<div class="[^"]*\btable-responsive\b[^"]*">\s*<table', response.text)
