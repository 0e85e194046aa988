"""Every URL of the project, for every role, GET and POST: exactly the roles in the matrix get in.

"Get in" means the view did its work (a page, a redirect after saving, a form with errors); "kept
out" means 403, 404, 405 or a redirect to a login page. POSTs carry no data and no CSRF token check
(the test client skips it): they are the forged requests of someone guessing URLs.

A URL pattern missing from MATRIX fails here: whoever adds a URL says who may use it.
"""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse

from plans.models import AppendixImport
from tasks import workflow
from tests.reports.factories import ReportFactory
from tests.tasks.factories import NotificationFactory, pdf

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "lead", "coordinator", "unrelated", "leader", "admin", "other_admin")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
PROVINCE = frozenset({"lead", "coordinator", "unrelated", "leader", "admin"})
ADMINS = frozenset({"admin", "other_admin"})
# Dashboards are for leaders and admins; another province's admin sees its own (empty) figures.
DASHBOARDS = frozenset({"leader", "admin", "other_admin"})
NOBODY = frozenset()


@dataclass(frozen=True)
class Rule:
    get: frozenset
    post: frozenset
    kwargs: object = field(default=lambda world: {})


def pk(name):
    return lambda world: {"pk": getattr(world, name).pk}


MATRIX = {
    "home": Rule(SIGNED_IN, SIGNED_IN),
    "healthz": Rule(EVERYONE, EVERYONE),
    "login": Rule(EVERYONE, EVERYONE),
    "logout": Rule(NOBODY, SIGNED_IN),
    "password_change": Rule(SIGNED_IN, SIGNED_IN),
    "password_change_done": Rule(SIGNED_IN, NOBODY),
    "password_reset": Rule(EVERYONE, EVERYONE),
    "password_reset_done": Rule(EVERYONE, NOBODY),
    "password_reset_confirm": Rule(EVERYONE, EVERYONE, lambda world: {"uidb64": "MQ", "token": "guess-ed"}),
    "password_reset_complete": Rule(EVERYONE, NOBODY),
    "set_language": Rule(EVERYONE, EVERYONE),
    "plans:list": Rule(SIGNED_IN, NOBODY),
    "plans:detail": Rule(PROVINCE, PROVINCE, pk("plan")),
    "plans:settings": Rule({"admin"}, {"admin"}, pk("plan")),
    "plans:horizon": Rule(NOBODY, {"admin"}, pk("plan")),
    "plans:export": Rule(PROVINCE, PROVINCE, lambda world: {"pk": world.plan.pk, "fmt": "csv"}),
    "plans:import_upload": Rule(ADMINS, ADMINS),
    "plans:import_detail": Rule({"admin"}, {"admin"}, pk("appendix_import")),
    "plans:import_progress": Rule({"admin"}, {"admin"}, pk("appendix_import")),
    "plans:import_confirm": Rule(NOBODY, {"admin"}, pk("appendix_import")),
    "tasks:list": Rule(SIGNED_IN, NOBODY),
    "tasks:mine": Rule(SIGNED_IN, NOBODY),
    "tasks:review_queue": Rule(ADMINS, NOBODY),
    # Without ?agency= an admin is sent to the agency list to choose one (tests/tasks/test_handover.py
    # walks the page itself).
    "tasks:handover": Rule(ADMINS, ADMINS),
    "tasks:detail": Rule(PROVINCE, NOBODY, pk("task")),
    "tasks:edit_deadline": Rule({"admin"}, {"admin"}, pk("task")),
    "tasks:report": Rule({"lead"}, {"lead"}, pk("task")),
    "tasks:contribute": Rule({"coordinator"}, {"coordinator"}, pk("task")),
    "tasks:set_status": Rule(NOBODY, {"lead"}, pk("task")),
    "tasks:review": Rule({"admin"}, {"admin"}, pk("task")),
    "tasks:request_extension": Rule({"lead"}, {"lead"}, pk("task")),
    "tasks:decide_extension": Rule({"admin"}, {"admin"}, pk("extension")),
    "tasks:evidence": Rule(PROVINCE, NOBODY, pk("evidence")),
    "tasks:notifications": Rule(SIGNED_IN, NOBODY),
    "tasks:notification_read": Rule(NOBODY, {"lead"}, pk("notification")),
    "tasks:notifications_read_all": Rule(NOBODY, SIGNED_IN),
    "agencies:list": Rule(SIGNED_IN, NOBODY),
    "agencies:detail": Rule(PROVINCE, PROVINCE, pk("agency")),
    "agencies:profile": Rule(SIGNED_IN, SIGNED_IN),
    "agencies:calendar_link": Rule(NOBODY, SIGNED_IN),
    "reports:overview": Rule(DASHBOARDS, DASHBOARDS),
    "reports:ranking": Rule(DASHBOARDS, DASHBOARDS),
    "reports:export": Rule(DASHBOARDS, DASHBOARDS, lambda world: {"fmt": "csv"}),
    "reports:plan": Rule({"leader", "admin"}, {"leader", "admin"}, pk("plan")),
    "reports:plan_export": Rule(
        {"leader", "admin"}, {"leader", "admin"}, lambda w: {"pk": w.plan.pk, "fmt": "csv"}
    ),
    "reports:documents": Rule(SIGNED_IN, SIGNED_IN),
    # A forged POST names no plan: nobody gets a report created (see tests/reports for real ones).
    "reports:document_create": Rule(NOBODY, NOBODY),
    "reports:document": Rule({"lead", "admin"}, {"lead"}, pk("report")),
    "reports:document_submit": Rule(NOBODY, {"lead"}, pk("report")),
    "reports:document_export": Rule(
        {"lead", "admin"}, {"lead", "admin"}, lambda w: {"pk": w.report.pk, "fmt": "csv"}
    ),
    # The secret link is the credential of a calendar program, which cannot log in.
    "agencies:calendar": Rule(EVERYONE, EVERYONE, lambda world: {"token": world.lead.calendar_token}),
}
# Django's admin is for staff only; none of the roles is staff. Its login page is open to all; its
# logout sends a signed-in non-staff user back to the admin index (which asks them to log in) and
# logs nobody out.
ADMIN_MATRIX = {"admin:login": Rule(EVERYONE, EVERYONE), "admin:logout": Rule(SIGNED_IN, SIGNED_IN)}
ADMIN_VALUES = {
    "app_label": "tasks",
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "url": "no-such-page/",
}


def _walk(patterns, route="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, route + str(pattern.pattern), inner or namespace)
        else:
            name = pattern.name and ":".join(filter(None, [namespace, pattern.name]))
            yield name, route + str(pattern.pattern), namespace


PATTERNS = list(_walk(get_resolver().url_patterns))
APP_PATTERNS = [(name, route) for name, route, namespace in PATTERNS if namespace != "admin"]
ADMIN_PATTERNS = [(name, route) for name, route, namespace in PATTERNS if namespace == "admin"]


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
    )


def _kept_out(response):
    if response.status_code in (403, 404, 405):
        return True
    login_redirect = response.status_code == 302 and "next=" in response.url
    return login_redirect and response.url.startswith((reverse("login"), reverse("admin:login")))


def _who_gets_in(clients, url, method):
    return {role for role, client in clients.items() if not _kept_out(getattr(client, method)(url))}


def _url(route, values):
    """The URL of a route (path converters or a regular expression) with ``values`` filled in."""
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), url)
    return "/" + url.replace("^", "").replace("$", "")


def test_every_matrix_entry_is_a_url_of_the_project():
    assert set(MATRIX) - {name for name, _ in APP_PATTERNS} == set()


@pytest.mark.parametrize(("name", "route"), APP_PATTERNS, ids=[name or route for name, route in APP_PATTERNS])
def test_exactly_the_allowed_roles_get_in(name, route, world, clients):
    rule = MATRIX.get(name)
    if rule is None:
        pytest.fail(
            f"URL pattern {name or route!r} is not in the permission matrix: add it to MATRIX in "
            f"{__file__} with the roles allowed to GET and POST it."
        )
    url = _url(route, rule.kwargs(world))
    assert resolve(url).route == route.replace("^", "")

    assert (_who_gets_in(clients, url, "get"), _who_gets_in(clients, url, "post")) == (
        set(rule.get),
        set(rule.post),
    )


def test_the_admin_site_keeps_every_role_out(world, clients):
    outcomes = {}
    for name, route in ADMIN_PATTERNS:
        url = _url(route, ADMIN_VALUES)
        assert resolve(url).route == route.replace("^", "")
        rule = ADMIN_MATRIX.get(name, Rule(NOBODY, NOBODY))
        got = (_who_gets_in(clients, url, "get"), _who_gets_in(clients, url, "post"))
        if got != (set(rule.get), set(rule.post)):
            outcomes[name or route] = got

    assert outcomes == {}
