"""Factories of the reports app's own models."""

import factory

from reports.models import Report
from tests.factories import AgencyFactory, PlanFactory, UserFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = Report.Kind.AGENCY
    plan = factory.SubFactory(PlanFactory)
    agency = factory.SubFactory(AgencyFactory, province=factory.SelfAttribute("..plan.province"))
    period = "2024"
    report_date = factory.LazyAttribute(lambda r: r.plan.issued_on)
    created_by = factory.SubFactory(UserFactory, province=factory.SelfAttribute("..plan.province"))
