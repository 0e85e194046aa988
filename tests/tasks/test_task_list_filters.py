"""The filters of the task list: "All" as every select's empty choice, Bootstrap widgets in a row
that wraps on phones, the table in a scrolling container, and a query count that does not grow."""

import re

import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _selects(html):
    """Each <select> of the page: its name, its class and the label of its first option."""
    pattern = r'<select name="(\w+)" class="([^"]*)"[^>]*>\s*<option value="" selected>([^<]*)</option>'
    return {name: (css, first) for name, css, first in re.findall(pattern, html)}


def test_every_filter_select_offers_all_instead_of_dashes(client, province_admin, task):
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"))

    selects = _selects(response.text)
    assert set(selects) == {"plan", "agency", "role", "state", "deadline_kind"}
    assert {first for _css, first in selects.values()} == {"Tất cả"}
    assert "---------" not in response.text


def test_filter_widgets_carry_bootstrap_classes(client, province_admin, task):
    client.force_login(province_admin)

    form = client.get(reverse("tasks:list")).context["filter"].form

    classes = {name: field.widget.attrs.get("class") for name, field in form.fields.items()}
    assert classes == {
        "q": "form-control",
        "plan": "form-select",
        "agency": "form-select",
        "role": "form-select",
        "state": "form-select",
        "due_within": "form-control",
        "deadline_kind": "form-select",
        "needs_date": "form-check-input",
        "orphaned": "form-check-input",
    }


def test_filters_wrap_on_small_screens_and_the_table_scrolls_in_its_box(client, province_admin, task):
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"))

    assert re.search(r'<form method="get" class="row g-2[^"]*" role="search">', response.text)
    assert response.text.count('<div class="col-12 col-sm-6 col-lg-3">') == 9  # one box per filter
    # A wide table scrolls inside .table-responsive instead of widening the page.
    assert re.search(r'<div class="[^"]*\btable-responsive\b[^"]*">\s*<table', response.text)


def test_choosing_all_leaves_the_list_unfiltered(client, province_admin, plan, task):
    other = TaskFactory(plan=plan, code="I.2", title="Một nhiệm vụ khác")
    client.force_login(province_admin)

    response = client.get(
        reverse("tasks:list"),
        {"q": "", "plan": "", "agency": "", "role": "", "state": "", "due_within": "", "deadline_kind": ""},
    )

    assert task.title in response.text
    assert other.title in response.text


def test_filter_errors_are_shown_beside_the_field(client, province_admin, task):
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"), {"due_within": "-3"})

    assert response.context["filter"].form.errors["due_within"]
    assert 'class="small text-danger"' in response.text


@pytest.mark.parametrize("days", ["3651", "99999999999999999999", "1.5", "NaN", "1e999"])
def test_due_within_is_a_whole_number_of_days_up_to_ten_years(client, province_admin, task, days):
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"), {"due_within": days})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["due_within"]


def test_due_within_ten_years_lists_the_tasks_due_then(client, province_admin, plan):
    due = TaskFactory(plan=plan, deadline_text="Năm 2030", title="Việc của năm 2030")
    client.force_login(province_admin)

    response = client.get(reverse("tasks:list"), {"due_within": "3650"})

    assert due.title in response.text


@pytest.mark.parametrize("count", [5, 40])
def test_task_list_query_count_does_not_grow_with_tasks(
    client, province_admin, plan, lead_agency, count, django_assert_num_queries
):
    for _ in range(count):
        task = TaskFactory(plan=plan)
        AssignmentFactory(task=task, agency=lead_agency)
        AssignmentFactory(task=task, role="coordinator")
    client.force_login(province_admin)

    # session, user, the user's agency and province (menu); the filter's plans and agencies;
    # the task count (once: the table's; ListView's own paginator, which counted again, is off), the
    # page of tasks, their assignments; the provinces the admin holds (which tasks get a box to urge them)
    with django_assert_num_queries(10):
        response = client.get(reverse("tasks:list"))

    assert response.status_code == 200


def _found(client, words):
    return {row.record.title for row in client.get(reverse("tasks:list"), {"q": words}).context["table"].rows}


def test_the_search_finds_the_users_tasks_by_title_deliverable_or_code(client, province_admin, plan):
    TaskFactory(plan=plan, title="Báo cáo chuyển đổi số", code="I.1")
    TaskFactory(plan=plan, title="Hạ tầng", deliverable="Báo cáo quý", code="I.2")
    TaskFactory(plan=plan, title="Đào tạo", code="BC-1")
    TaskFactory(plan=plan, title="Khác", code="I.4")
    client.force_login(province_admin)

    assert _found(client, "báo cáo") == {"Báo cáo chuyển đổi số", "Hạ tầng"}
    assert _found(client, "bc-1") == {"Đào tạo"}


def test_the_search_finds_no_task_of_another_province(client, province_admin, plan, other_province):
    TaskFactory(plan=plan, title="Báo cáo của tỉnh")
    TaskFactory(plan__province=other_province, title="Báo cáo tỉnh khác")
    client.force_login(province_admin)

    assert _found(client, "báo cáo") == {"Báo cáo của tỉnh"}
