"""Reads from a replica (config.db_router): only inside blocks and pages marked replica-safe, never a
write, never in a transaction, never right after a write, and never a replica that does not answer.

The replica here is a second connection to the test database under the alias ``replica``: it sees
what the primary has committed, as a streaming replica does, so the tests that read through it use
``transactional_db``. Queries are told apart by the connection that ran them."""

import copy
import logging
import socket
import time
import types

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.management import call_command
from django.db import connections, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Province
from config import db_router
from config.db_router import (
    REPLICA,
    STICKY_COOKIE,
    STICKY_SALT,
    ReplicaStickyMiddleware,
    reads_from_replica,
    replica_reads,
)
from tests.production import read_settings, run
from tests.reports.factories import ReportFactory

ROUTER = "config.db_router.ReplicaRouter"
STICKY_MIDDLEWARE = "config.db_router.ReplicaStickyMiddleware"
POSTGRES = "postgres://portal:secret@db:5432/portal"
REPLICA_URL = "postgres://portal:secret@db-replica:5432/portal"


@pytest.fixture(autouse=True)
def fresh_health():
    """Each test starts with the replica neither believed up nor marked down."""
    db_router._health.up_until = db_router._health.down_until = 0.0
    yield
    db_router._health.up_until = db_router._health.down_until = 0.0


@pytest.fixture
def router(settings):
    settings.DATABASE_ROUTERS = [ROUTER]  # resets django.db.router's routers
    settings.MIDDLEWARE = [STICKY_MIDDLEWARE, *settings.MIDDLEWARE]


def _add_alias(blocker, **changes):
    connections.settings[REPLICA] = {**copy.deepcopy(connections["default"].settings_dict), **changes}
    replica = connections[REPLICA]
    # Django's test cases refuse to connect an alias a test does not declare, and a test may declare
    # only aliases of the settings: this one connects with the method pytest-django keeps aside.
    replica.ensure_connection = types.MethodType(blocker._real_ensure_connection, replica)
    return replica


def _remove_alias():
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica(transactional_db, router, django_db_blocker):
    """The alias ``replica``: a second connection to the test database."""
    yield _add_alias(django_db_blocker)
    _remove_alias()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_replica(transactional_db, router, django_db_blocker):
    """The alias ``replica`` pointing at a port nobody listens on."""
    yield _add_alias(django_db_blocker, HOST="127.0.0.1", PORT=_free_port())
    _remove_alias()


def _routed(queryset):
    """(statements on the primary, statements on the replica) to evaluate ``queryset``."""
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as secondary:
        list(queryset)
    return len(primary), len(secondary)


# The router ---------------------------------------------------------------------------------------


def test_reads_outside_a_marked_block_go_to_the_primary(replica):
    assert _routed(Province.objects.all()) == (1, 0)


def test_reads_in_a_marked_block_go_to_the_replica(replica):
    with reads_from_replica():
        assert _routed(Province.objects.all()) == (0, 1)


def test_a_write_in_a_marked_block_goes_to_the_primary(replica):
    with reads_from_replica(), CaptureQueriesContext(connections["default"]) as primary:
        Province.objects.create(name="Gia Lai", slug="gia-lai")

    assert any(query["sql"].startswith("INSERT") for query in primary.captured_queries)


def test_reads_after_a_write_in_the_block_go_to_the_primary(replica):
    with reads_from_replica():
        Province.objects.create(name="Gia Lai", slug="gia-lai")

        assert _routed(Province.objects.all()) == (1, 0)


def test_reads_in_a_transaction_go_to_the_primary(replica):
    with reads_from_replica(), transaction.atomic():
        assert _routed(Province.objects.all()) == (1, 0)


def test_a_queryset_built_in_the_block_and_evaluated_after_it_reads_on_the_primary(replica):
    with reads_from_replica():
        provinces = Province.objects.all()

    assert _routed(provinces) == (1, 0)


def test_sessions_are_read_on_the_primary_in_a_marked_block(replica):
    with reads_from_replica():
        assert _routed(Session.objects.all()) == (1, 0)


def test_without_a_replica_a_marked_block_reads_on_the_primary(transactional_db, router):
    with reads_from_replica() as on_replica, CaptureQueriesContext(connections["default"]) as primary:
        list(Province.objects.all())

    assert (on_replica, len(primary)) == (False, 1)


def test_objects_read_from_the_replica_may_be_linked_to_objects_of_the_primary(replica, task):
    with reads_from_replica():
        plan = type(task.plan).objects.get(pk=task.plan_id)
    task.plan = plan  # read on the replica, the task on the primary

    task.save()


# A replica that does not answer --------------------------------------------------------------------


def test_an_unreachable_replica_sends_the_blocks_reads_to_the_primary(dead_replica, caplog):
    with caplog.at_level(logging.WARNING, logger="config.db_router"), reads_from_replica() as on_replica:
        list(Province.objects.all())

    assert on_replica is False
    assert "Replica database unavailable" in caplog.text


def test_an_unreachable_replica_is_not_tried_again_for_a_while(dead_replica, caplog):
    with caplog.at_level(logging.WARNING, logger="config.db_router"):
        for _ in range(3):
            with reads_from_replica():
                list(Province.objects.all())

    assert len(caplog.records) == 1


def test_an_unreachable_replica_is_tried_again_after_the_retry_delay(dead_replica, caplog):
    with reads_from_replica():
        pass
    db_router._health.down_until = time.monotonic() - 1  # REPLICA_RETRY_SECONDS have passed
    caplog.clear()

    with caplog.at_level(logging.WARNING, logger="config.db_router"), reads_from_replica():
        pass

    assert len(caplog.records) == 1


def test_a_page_whose_replica_fails_midway_is_served_from_the_primary(dead_replica, client, leader, task):
    db_router._health.up_until = time.monotonic() + 60  # believed up: its connection fails in the view
    client.force_login(leader)

    response = client.get(reverse("reports:overview"), {"period": "2024"})

    assert response.status_code == 200
    assert response.context["summary"]["totals"]["total"] == 1


def test_a_database_error_of_the_primary_is_not_retried(replica, rf, leader):
    calls = []

    @replica_reads
    def failing(request):
        calls.append(1)
        raise db_router.OperationalError("the primary's error")

    request = rf.get("/")
    request.user = leader
    with pytest.raises(db_router.OperationalError):
        failing(request)

    assert len(calls) == 1


# Read-your-writes across requests -------------------------------------------------------------------


def _through_middleware(request, view):
    return ReplicaStickyMiddleware(view)(request)


def test_a_request_that_wrote_pins_its_browser_to_the_primary(router, db, rf):
    def writes(request):
        Province.objects.create(name="Gia Lai", slug="gia-lai")
        return HttpResponse()

    assert STICKY_COOKIE in _through_middleware(rf.get("/"), writes).cookies


def test_a_successful_post_pins_its_browser_to_the_primary(router, rf):
    assert STICKY_COOKIE in _through_middleware(rf.post("/"), lambda request: HttpResponse()).cookies


def test_a_refused_post_does_not_pin_its_browser(router, rf):
    response = _through_middleware(rf.post("/"), lambda request: HttpResponse(status=403))

    assert STICKY_COOKIE not in response.cookies


def test_a_page_that_only_read_does_not_pin_its_browser(router, db, rf):
    def reads(request):
        list(Province.objects.all())
        return HttpResponse()

    assert STICKY_COOKIE not in _through_middleware(rf.get("/"), reads).cookies


def test_refreshing_the_session_does_not_pin_its_browser(router, db, rf):
    def refreshes(request):
        Session.objects.create(session_key="k" * 32, session_data="", expire_date="2030-01-01T00:00Z")
        return HttpResponse()

    assert STICKY_COOKIE not in _through_middleware(rf.get("/"), refreshes).cookies


def test_the_pin_lasts_replica_sticky_seconds(router, settings, rf):
    settings.REPLICA_STICKY_SECONDS = 7

    response = _through_middleware(rf.post("/"), lambda request: HttpResponse())

    assert response.cookies[STICKY_COOKIE]["max-age"] == 7


def _sticky_cookie(age):
    """The cookie of a write ``age`` seconds ago."""
    signer = signing.get_cookie_signer(salt=STICKY_COOKIE + STICKY_SALT)
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - age)
    return signer.sign("1")


def test_a_browser_that_wrote_a_moment_ago_reads_reports_on_the_primary(replica, client, leader, task):
    client.force_login(leader)
    client.cookies[STICKY_COOKIE] = _sticky_cookie(age=2)

    with CaptureQueriesContext(connections[REPLICA]) as secondary:
        response = client.get(reverse("reports:overview"), {"period": "2024"})

    assert response.status_code == 200
    assert len(secondary) == 0


def test_a_browser_that_wrote_long_ago_reads_reports_on_the_replica(replica, client, leader, task):
    client.force_login(leader)
    client.cookies[STICKY_COOKIE] = _sticky_cookie(age=60)

    with CaptureQueriesContext(connections[REPLICA]) as secondary:
        client.get(reverse("reports:overview"), {"period": "2024"})

    assert len(secondary) > 0


def test_a_forged_sticky_cookie_does_not_pin(replica, client, leader, task):
    client.force_login(leader)
    client.cookies[STICKY_COOKIE] = "1"

    with CaptureQueriesContext(connections[REPLICA]) as secondary:
        client.get(reverse("reports:overview"), {"period": "2024"})

    assert len(secondary) > 0


# The pages, exports and the command marked replica-safe --------------------------------------------


def _report_urls(plan, report):
    return {
        "overview": reverse("reports:overview"),
        "ranking": reverse("reports:ranking"),
        "plan report": reverse("reports:plan", args=[plan.pk]),
        "plan report .xlsx": reverse("reports:plan_export", args=[plan.pk, "xlsx"]),
        "province report .csv": reverse("reports:export", args=["csv"]),
        "report documents": reverse("reports:documents"),
        "report document": reverse("reports:document", args=[report.pk]),
        "report document .docx": reverse("reports:document_export", args=[report.pk, "docx"]),
        "plan tasks .csv": reverse("plans:export", args=[plan.pk, "csv"]),
    }


@pytest.mark.parametrize("name", ["overview", "ranking", "plan report", "plan report .xlsx",
                                  "province report .csv", "report documents", "report document",
                                  "report document .docx", "plan tasks .csv"])
def test_report_pages_and_exports_read_from_the_replica(replica, client, province_admin, task, name):
    report = ReportFactory(plan=task.plan)
    url = _report_urls(task.plan, report)[name]
    client.force_login(province_admin)

    with CaptureQueriesContext(connections[REPLICA]) as secondary:
        response = client.get(url, {"period": "2024"})

    assert response.status_code == 200
    assert len(secondary) > 0


@pytest.mark.parametrize("name", ["overview", "ranking", "plan report", "plan report .xlsx",
                                  "province report .csv", "report documents", "report document",
                                  "report document .docx", "plan tasks .csv"])
def test_report_pages_and_exports_read_only_the_session_and_user_on_the_primary(
        replica, client, province_admin, task, name):
    report = ReportFactory(plan=task.plan)
    url = _report_urls(task.plan, report)[name]
    client.force_login(province_admin)

    with CaptureQueriesContext(connections["default"]) as primary:
        client.get(url, {"period": "2024"})

    # The session, then the user (with its unread notifications): read by the middleware, before the view.
    assert [query["sql"].split(".", 1)[0] for query in primary.captured_queries] == [
        'SELECT "django_session"', 'SELECT "agencies_user"']


def test_other_pages_read_from_the_primary_only(replica, client, province_admin, task):
    client.force_login(province_admin)

    with CaptureQueriesContext(connections[REPLICA]) as secondary:
        response = client.get(reverse("plans:detail", args=[task.plan.pk]))

    assert response.status_code == 200
    assert len(secondary) == 0


def test_saving_a_report_draft_reads_from_the_primary(replica, client, lead_focal_point, plan):
    report = ReportFactory(plan=plan, agency=lead_focal_point.agency)
    client.force_login(lead_focal_point)

    with CaptureQueriesContext(connections[REPLICA]) as secondary:
        response = client.post(reverse("reports:document", args=[report.pk]),
                               {"number": "7/BC", "report_date": "10/12/2024"})

    assert response.status_code == 302
    assert len(secondary) == 0


def test_build_report_reads_from_the_replica(replica, task, capsys):
    with CaptureQueriesContext(connections[REPLICA]) as secondary:
        call_command("build_report", "--province", task.plan.province.slug, "--period", "2024")

    assert '"totals"' in capsys.readouterr().out
    assert len(secondary) > 0


# Settings ---------------------------------------------------------------------------------------------


def _settings(tmp_path, **env):
    names = ["DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE"]
    return read_settings(names, {"DEBUG": "true", "DATABASE_URL": POSTGRES, **env}, tmp_path)


def test_a_replica_url_adds_the_replica_with_the_primarys_options(tmp_path):
    replica = _settings(tmp_path, DATABASE_REPLICA_URL=REPLICA_URL)["DATABASES"]["replica"]

    assert (replica["HOST"], replica["OPTIONS"]) == ("db-replica", {"options": "-c jit=off",
                                                                     "connect_timeout": 2})


def test_the_replica_mirrors_the_primary_in_tests(tmp_path):
    replica = _settings(tmp_path, DATABASE_REPLICA_URL=REPLICA_URL)["DATABASES"]["replica"]

    assert replica["TEST"]["MIRROR"] == "default"


def test_a_replica_url_installs_the_router_and_the_middleware(tmp_path):
    values = _settings(tmp_path, DATABASE_REPLICA_URL=REPLICA_URL)

    assert values["DATABASE_ROUTERS"] == [ROUTER]
    assert STICKY_MIDDLEWARE in values["MIDDLEWARE"]


def test_without_a_replica_url_there_is_one_database_no_router_and_no_middleware(tmp_path):
    values = _settings(tmp_path)

    assert (list(values["DATABASES"]), values["DATABASE_ROUTERS"]) == (["default"], [])
    assert STICKY_MIDDLEWARE not in values["MIDDLEWARE"]


def test_a_replica_beside_sqlite_is_refused(tmp_path):
    finished = run("import config.wsgi", {"DEBUG": "true", "DATABASE_REPLICA_URL": REPLICA_URL}, tmp_path)

    assert finished.returncode != 0
    assert "DATABASE_REPLICA_URL needs PostgreSQL" in finished.stderr
