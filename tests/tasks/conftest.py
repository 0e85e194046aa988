"""Who works on the ``task`` fixture besides its lead: a coordinating agency, an agency with no part
in it, an agency merged into the lead; a private MEDIA_ROOT so uploaded evidence never lands in var/;
and the world every URL of the project is tried in, with a client per role."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from plans.models import AppendixImport
from tasks import workflow
from tests.api.conftest import issue_key, issue_token
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    TargetFactory,
    TargetReportFactory,
    TaskFactory,
    UserFactory,
)
from tests.reports.factories import ReportFactory
from tests.tasks.factories import NotificationFactory, pdf


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def coordinating_agency(province, task):
    agency = AgencyFactory(province=province, name="Văn phòng UBND tỉnh")
    AssignmentFactory(task=task, agency=agency, role="coordinator")
    return agency


@pytest.fixture
def coordinator_focal_point(province, coordinating_agency):
    return UserFactory(province=province, agency=coordinating_agency, username="dt.vpubnd")


@pytest.fixture
def unrelated_focal_point(province):
    return UserFactory(province=province, agency=AgencyFactory(province=province, name="Sở Y tế"))


@pytest.fixture
def reachable_focal_point(lead_focal_point):
    """The lead's focal point, with an e-mail address to be reminded at."""
    lead_focal_point.email = "noivu@example.vn"
    lead_focal_point.save()
    return lead_focal_point


@pytest.fixture
def merged_agency(province, lead_agency):
    """Sở Lao động - Thương binh và Xã hội, merged into the lead agency (Sở Nội vụ) on 01/03/2025."""
    return AgencyFactory(
        province=province,
        name="Sở Lao động - Thương binh và Xã hội",
        active_until=datetime.date(2025, 2, 28),
        successor=lead_agency,
    )


@pytest.fixture
def merged_agency_task(plan, merged_agency):
    """A task of the merged agency, due at the end of the first quarter of 2025."""
    task = TaskFactory(plan=plan, code="II.4", deadline_text="Quý I năm 2025")
    AssignmentFactory(task=task, agency=merged_agency)
    return task


@dataclass
class World:
    plan: object
    task: object
    agency: object
    lead: object
    evidence: object
    extension: object
    notification: object
    appendix_import: object
    report: object
    target: object
    target_report: object
    token: object
    api_key: object


@pytest.fixture
def clients(
    lead_focal_point, coordinator_focal_point, unrelated_focal_point, leader, province_admin, other_admin
):
    """A client per role, signed in (but the anonymous one)."""
    users = {
        "anonymous": None,
        "lead": lead_focal_point,
        "coordinator": coordinator_focal_point,
        "unrelated": unrelated_focal_point,
        "leader": leader,
        "admin": province_admin,
        "other_admin": other_admin,
    }
    clients = {role: Client() for role in users}
    for role, user in users.items():
        if user is not None:
            clients[role].force_login(user)
    return clients


@pytest.fixture
def world(task, plan, lead_agency, lead_focal_point, province_admin, coordinator_focal_point):
    update = workflow.contribute(
        task,
        author=lead_focal_point,
        done="x",
        evidence=[{"reference": "", "file": pdf(), "content_type": "application/pdf"}],
    )
    extension = workflow.request_extension(
        task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ"
    )
    lead_focal_point.renew_calendar_token()
    target = TargetFactory(plan=plan, reporting_agency=lead_agency)
    appendix_import = AppendixImport.objects.create(
        province=plan.province,
        plan=plan,
        reference_date=plan.reference_date,
        file="imports/phu-luc.xlsx",
        original_name="phu-luc.xlsx",
        created_by=province_admin,
    )
    return World(
        plan=plan,
        task=task,
        agency=lead_agency,
        lead=lead_focal_point,
        evidence=update.evidence.get(),
        extension=extension,
        notification=NotificationFactory(recipient=lead_focal_point, task=task),
        appendix_import=appendix_import,
        report=ReportFactory(plan=plan, agency=lead_agency, created_by=lead_focal_point),
        target=target,
        target_report=TargetReportFactory(
            target=target, agency=lead_agency, author=lead_focal_point, evidence_file=pdf(),
            evidence_name="a.pdf",
        ),
        token=issue_token(lead_focal_point)[0],
        api_key=issue_key(plan.province)[0],
    )
