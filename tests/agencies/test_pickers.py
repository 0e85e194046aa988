"""Agency pickers offer the agencies in force, mark an ended one and show it only when the form holds it."""

import datetime

import pytest
from django.urls import reverse

from agencies.fields import agency_label, offered_agencies
from agencies.models import Agency
from plans.forms import PlanSettingsForm
from tests.factories import AgencyFactory, PlanFactory

pytestmark = pytest.mark.django_db

ENDED = datetime.date(2025, 2, 28)
TODAY = datetime.date(2026, 1, 15)


@pytest.fixture
def science(province):
    return AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")


@pytest.fixture
def ict(province, science):
    return AgencyFactory(
        province=province, name="Sở Thông tin và Truyền thông", active_until=ENDED, successor=science
    )


def test_ended_agencies_are_not_offered(province, ict, science):
    assert list(offered_agencies(Agency.objects.filter(province=province), TODAY)) == [science]


def test_an_agency_ended_later_than_the_day_is_offered(province, ict, science):
    offered = offered_agencies(Agency.objects.filter(province=province), ENDED)

    assert set(offered) == {ict, science}


def test_the_agency_the_form_holds_is_offered_though_ended(province, ict, science):
    offered = offered_agencies(Agency.objects.filter(province=province), TODAY, keep=[ict.pk])

    assert set(offered) == {ict, science}


def test_an_ended_agency_is_labelled_with_its_last_day(ict, science):
    assert agency_label(ict, TODAY) == "Sở Thông tin và Truyền thông (đã kết thúc 28/02/2025)"
    assert agency_label(ict, ENDED) == "Sở Thông tin và Truyền thông"
    assert agency_label(science, TODAY) == "Sở Khoa học và Công nghệ"


def recipient_choices(plan):
    field = PlanSettingsForm(instance=plan).fields["report_recipient"]
    return [label for value, label in field.choices if value]


def test_report_recipient_picker_hides_ended_agencies(province, ict, science):
    assert recipient_choices(PlanFactory(province=province)) == ["Sở Khoa học và Công nghệ"]


def test_report_recipient_picker_keeps_the_saved_ended_agency_marked(province, ict, science):
    plan = PlanFactory(province=province, report_recipient=ict)

    assert recipient_choices(plan) == [
        "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông (đã kết thúc 28/02/2025)",
    ]


def test_an_ended_agency_is_refused_as_a_new_report_recipient(province, ict, science):
    plan = PlanFactory(province=province)
    data = {
        "status": "active", "reporting_deadline_text": plan.reporting_deadline_text, "reminder_days": "7,3,1",
        "escalate_after": "14", "escalate_admin_after": "30", "report_recipient": str(ict.pk),
    }

    form = PlanSettingsForm(data, instance=plan)

    assert not form.is_valid() and "report_recipient" in form.errors


def agency_filter_options(client, **query):
    response = client.get(reverse("tasks:list"), query)
    return [str(agency) for agency in response.context["filter"].form.fields["agency"].queryset]


def test_task_list_agency_filter_hides_ended_agencies(client, province_admin, ict, science, lead_agency):
    client.force_login(province_admin)

    assert "Sở Thông tin và Truyền thông" not in agency_filter_options(client)


def test_task_list_agency_filter_keeps_the_chosen_ended_agency(client, province_admin, ict, science):
    client.force_login(province_admin)

    assert "Sở Thông tin và Truyền thông" in agency_filter_options(client, agency=ict.pk)
