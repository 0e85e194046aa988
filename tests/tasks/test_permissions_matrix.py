"""Every URL of the project, for every role, GET and POST: exactly the roles in the matrix get in.

"Get in" means the view did its work (a page, a redirect after saving, a form with errors); "kept
out" means 403, 404, 405 or a redirect to a login page. POSTs carry no data and no CSRF token check
(the test client skips it): they are the forged requests of someone guessing URLs.

A URL pattern missing from MATRIX fails here: whoever adds a URL says who may use it. The REST API's
endpoints have their own matrix, per role, token and key scope (tests/api/test_permission_matrix.py).
"""

from dataclasses import dataclass, field

import pytest
from django.urls import resolve, reverse

from tasks import workflow
from tests.factories import WebhookFactory
from tests.reports.pdf_factories import PdfExportFactory
from tests.tasks.factories import UrgingNoticeFactory
from tests.url_patterns import ADMIN_PATTERNS, APP_PATTERNS, fill

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


def lead_comment(world):
    """A comment of the lead's focal point: the lead (its author) and the admin may withdraw it."""
    return {"pk": workflow.comment(world.task, author=world.lead, text="Ý kiến").pk}


def webhook(world):
    """A webhook of the province, its admin's to manage."""
    return {"pk": WebhookFactory(province=world.plan.province).pk}


def urging_notice(world):
    """A notice the province's admin sent."""
    return {"pk": UrgingNoticeFactory(province=world.plan.province).pk}


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
    # Single sign-on is off in the tests' settings: both pages are not found (tests/agencies/test_sso.py
    # signs on with it on).
    "sso_start": Rule(NOBODY, NOBODY),
    "sso_return": Rule(NOBODY, NOBODY),
    "plans:list": Rule(SIGNED_IN, NOBODY),
    "plans:detail": Rule(PROVINCE, PROVINCE, pk("plan")),
    "plans:settings": Rule({"admin"}, {"admin"}, pk("plan")),
    "plans:horizon": Rule(NOBODY, {"admin"}, pk("plan")),
    "plans:export": Rule(PROVINCE, PROVINCE, lambda world: {"pk": world.plan.pk, "fmt": "csv"}),
    "plans:import_upload": Rule(ADMINS, ADMINS),
    "plans:import_detail": Rule({"admin"}, {"admin"}, pk("appendix_import")),
    "plans:import_progress": Rule({"admin"}, {"admin"}, pk("appendix_import")),
    "plans:import_confirm": Rule(NOBODY, {"admin"}, pk("appendix_import")),
    "plans:import_retry": Rule(NOBODY, {"admin"}, pk("appendix_import")),
    "plans:import_source": Rule(NOBODY, {"admin"}, pk("appendix_import")),
    "tasks:list": Rule(SIGNED_IN, NOBODY),
    "tasks:mine": Rule(SIGNED_IN, NOBODY),
    "tasks:review_queue": Rule(ADMINS, NOBODY),
    # A forged POST names no item: the admin is sent back to the queue with the error; another
    # province's admin gets in to their own queue (tests/tasks/test_review_queue.py decides real items).
    "tasks:review_decide": Rule(NOBODY, ADMINS),
    "tasks:review_decide_many": Rule(NOBODY, ADMINS),
    # Without ?agency= an admin is sent to the agency list to choose one (tests/tasks/test_handover.py
    # walks the page itself).
    "tasks:handover": Rule(ADMINS, ADMINS),
    # Urging: the page (a forged POST ticks nothing: the form answers with its errors) and the list
    # are every admin's, of their own province; a notice is read by its province (its history
    # entries and notifications point to it), its letter by the province's admin.
    "tasks:urge": Rule(ADMINS, ADMINS),
    "tasks:urging_list": Rule(ADMINS, NOBODY),
    "tasks:urging_notice": Rule(PROVINCE, NOBODY, urging_notice),
    "tasks:urging_letter": Rule({"admin"}, NOBODY, urging_notice),
    "tasks:detail": Rule(PROVINCE, NOBODY, pk("task")),
    "tasks:edit_deadline": Rule({"admin"}, {"admin"}, pk("task")),
    "tasks:report": Rule({"lead"}, {"lead"}, pk("task")),
    "tasks:contribute": Rule({"coordinator"}, {"coordinator"}, pk("task")),
    "tasks:set_status": Rule(NOBODY, {"lead"}, pk("task")),
    "tasks:review": Rule({"admin"}, {"admin"}, pk("task")),
    "tasks:request_extension": Rule({"lead"}, {"lead"}, pk("task")),
    "tasks:decide_extension": Rule({"admin"}, {"admin"}, pk("extension")),
    "tasks:comment": Rule(PROVINCE - {"unrelated"}, PROVINCE - {"unrelated"}, pk("task")),
    "tasks:withdraw_comment": Rule({"lead", "admin"}, {"lead", "admin"}, lead_comment),
    "tasks:evidence": Rule(PROVINCE, NOBODY, pk("evidence")),
    "tasks:edit_indicators": Rule({"admin"}, {"admin"}, pk("task")),
    "tasks:target": Rule(PROVINCE, NOBODY, pk("target")),
    "tasks:target_edit": Rule({"admin"}, {"admin"}, pk("target")),
    "tasks:target_create": Rule({"admin"}, {"admin"}, lambda world: {"plan_pk": world.plan.pk}),
    # The target names the lead's agency: its focal points report the value, the admin reviews it.
    "tasks:target_report": Rule(NOBODY, {"lead"}, pk("target")),
    "tasks:target_review": Rule(NOBODY, {"admin"}, pk("target_report")),
    "tasks:target_evidence": Rule(PROVINCE, NOBODY, pk("target_report")),
    "tasks:notifications": Rule(SIGNED_IN, NOBODY),
    "tasks:notification_read": Rule(NOBODY, {"lead"}, pk("notification")),
    "tasks:notifications_read_all": Rule(NOBODY, SIGNED_IN),
    "agencies:list": Rule(SIGNED_IN, NOBODY),
    "agencies:detail": Rule(PROVINCE, PROVINCE, pk("agency")),
    "agencies:profile": Rule(SIGNED_IN, SIGNED_IN),
    "agencies:calendar_link": Rule(NOBODY, SIGNED_IN),
    "agencies:create_token": Rule(NOBODY, SIGNED_IN),
    # Each user revokes their own tokens (here the lead's); the province's admins, its API keys.
    "agencies:revoke_token": Rule(NOBODY, {"lead"}, pk("token")),
    "agencies:api_keys": Rule(ADMINS, ADMINS),
    "agencies:revoke_api_key": Rule(NOBODY, {"admin"}, pk("api_key")),
    # Webhooks: each admin lists and adds their own province's (a forged POST gets the form's errors);
    # a hook is its province's admin's only.
    "agencies:webhooks": Rule(ADMINS, ADMINS),
    "agencies:webhook": Rule({"admin"}, NOBODY, webhook),
    "agencies:webhook_toggle": Rule(NOBODY, {"admin"}, webhook),
    "agencies:webhook_delete": Rule(NOBODY, {"admin"}, webhook),
    "agencies:webhook_ping": Rule(NOBODY, {"admin"}, webhook),
    "reports:overview": Rule(DASHBOARDS, DASHBOARDS),
    "reports:ranking": Rule(DASHBOARDS, DASHBOARDS),
    "reports:late_tasks": Rule(DASHBOARDS, NOBODY),
    "reports:export": Rule(DASHBOARDS, DASHBOARDS, lambda world: {"fmt": "csv"}),
    "reports:plan": Rule({"leader", "admin"}, {"leader", "admin"}, pk("plan")),
    "reports:plan_export": Rule(
        {"leader", "admin"}, {"leader", "admin"}, lambda w: {"pk": w.plan.pk, "fmt": "csv"}
    ),
    "reports:documents": Rule(SIGNED_IN, SIGNED_IN),
    # A forged POST names no plan: nobody gets a report created (see tests/reports for real ones).
    "reports:document_create": Rule(NOBODY, NOBODY),
    "reports:document": Rule({"lead", "admin"}, {"lead"}, pk("report")),
    "reports:document_submit": Rule({"lead"}, {"lead"}, pk("report")),
    "reports:document_export": Rule(
        {"lead", "admin"}, {"lead", "admin"}, lambda w: {"pk": w.report.pk, "fmt": "csv"}
    ),
    # A PDF export is its requester's only (here the lead's): its page and its files, read-only.
    "reports:pdf_export": Rule({"lead"}, NOBODY, lambda w: {"pk": PdfExportFactory(requested_by=w.lead).pk}),
    "reports:pdf_export_file": Rule(
        {"lead"}, NOBODY, lambda w: {"pk": PdfExportFactory(requested_by=w.lead).pk, "fmt": "pdf"}
    ),
    # The secret link is the credential of a calendar program, which cannot log in.
    "agencies:calendar": Rule(EVERYONE, EVERYONE, lambda world: {"token": world.lead.renew_calendar_token()}),
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


def _kept_out(response):
    if response.status_code in (403, 404, 405):
        return True
    login_redirect = response.status_code == 302 and "next=" in response.url
    return login_redirect and response.url.startswith((reverse("login"), reverse("admin:login")))


def _who_gets_in(clients, url, method):
    return {role for role, client in clients.items() if not _kept_out(getattr(client, method)(url))}


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
    url = fill(route, rule.kwargs(world))
    assert resolve(url).route == route.replace("^", "")

    assert (_who_gets_in(clients, url, "get"), _who_gets_in(clients, url, "post")) == (
        set(rule.get),
        set(rule.post),
    )


def test_the_admin_site_keeps_every_role_out(world, clients):
    outcomes = {}
    for name, route in ADMIN_PATTERNS:
        url = fill(route, ADMIN_VALUES)
        assert resolve(url).route == route.replace("^", "")
        rule = ADMIN_MATRIX.get(name, Rule(NOBODY, NOBODY))
        got = (_who_gets_in(clients, url, "get"), _who_gets_in(clients, url, "post"))
        if got != (set(rule.get), set(rule.post)):
            outcomes[name or route] = got

    assert outcomes == {}
