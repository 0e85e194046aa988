"""Schemathesis over the schema: every operation called with generated parameters (bounded: a few
examples each) by a reader of the province, its answers checked against the schema: no 500, only
documented statuses and content types, bodies of the documented shape.

Not checked: that every schema-valid request is accepted. A cursor is opaque (only those the pages
link to are valid), a plan's ``year`` must be a year the caller has plans in and ``?on=`` a day from
2000 to 2100: none of it is said in OpenAPI's terms, and those requests rightly answer 400.

In CI the examples are the same on every run (``derandomize``); ``API_FUZZ_EXAMPLES=200`` explores
that many fresh ones per operation."""

import json
import os

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from config.wsgi import application
from tasks.models import Evidence, TaskUpdate
from tests.api.conftest import issue_key
from tests.factories import AssignmentFactory, PlanSectionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _schema():
    """The schema the API serves, generated here: Schemathesis's loader from a running app is
    lazy through a pytest fixture that pytest 9 no longer supports."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(generated, cls=DjangoJSONEncoder)))
    loaded.app = application  # calls go to the WSGI application, in this process
    # Its coverage phase tries every boundary of every parameter: minutes on two shared cores.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """As Django's test client does: the calls run inside the test's transaction, which closing
    the connection at each request's start and end would end."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def key_header(province, plan, lead_agency):
    task = TaskFactory(plan=plan, deadline_text="Hằng quý", section=PlanSectionFactory(plan=plan))
    AssignmentFactory(task=task, agency=lead_agency)
    entry = TaskUpdate.objects.create(task=task, kind=TaskUpdate.Kind.COMMENT, note="Đề nghị bổ sung")
    Evidence.objects.create(update=entry, reference="Quyết định số 12/QĐ-UBND")
    return {"Authorization": f"Bearer {issue_key(province, requests_per_minute=100_000)[1]}"}


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", 10)),
    deadline=None,
    derandomize=not os.environ.get("API_FUZZ_EXAMPLES"),
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_the_schema(case, key_header):
    # The credentials are set here, so a case generated to break the schema through its
    # Authorization header or cookie reaches the API valid: malformed parameters are refused
    # in the endpoints' own tests instead (tests/api/test_*_api.py).
    case.call_and_validate(
        headers=key_header, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
