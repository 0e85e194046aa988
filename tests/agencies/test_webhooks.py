"""Webhooks: signed deliveries to a real receiver on 127.0.0.1, retried with backoff and logged; the
events the workflow, the reminder scan and an import emit, to whom; the admin's pages."""

import datetime
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.contrib.testing.worker import start_worker
from celery.exceptions import Retry
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from agencies import webhooks
from agencies.api_keys import APIKey, KeyPrincipal, Scope
from agencies.jobs import deliver_webhook, resend_due_webhooks
from agencies.webhooks import DeliveryState, Webhook, WebhookDelivery
from config import celery_app
from plans.import_commit import commit_import
from plans.importing import build_import_preview
from tasks import workflow
from tasks.models import Task, TaskStatus
from tasks.reminder_scan import scan
from tests.factories import ProvinceFactory, WebhookFactory
from tests.plans.import_helpers import HEADER, xlsx_bytes

pytestmark = pytest.mark.django_db

S = TaskStatus


class Receiver:
    """An HTTP server on 127.0.0.1 answering each POST with the next of ``statuses`` (then the last
    one), keeping what it was sent."""

    def __init__(self, statuses, headers=None):
        self.statuses, self.headers, self.requests = list(statuses), headers or {}, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"try again later")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/portal-events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_of():
    started = []

    def start(*statuses, headers=None):
        receiver = Receiver(statuses or [200], headers)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.close()


@pytest.fixture
def eager(settings):
    """Jobs run at once in the test's process, retries too (their countdowns skipped). Not
    propagating: an eager job's retry would reach the caller as an exception instead of running."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    settings.CELERY_RESULT_BACKEND = "cache+memory://"


@pytest.fixture
def queued(monkeypatch):
    """The delivery jobs queued, not run: (delivery id, attempts) pairs."""
    calls = []
    monkeypatch.setattr(deliver_webhook, "delay", lambda *args: calls.append(args))
    return calls


def expected_signature(secret, headers, body):
    """The signature as a receiver checks it, written here from the README's recipe."""
    message = headers["X-Portal-Timestamp"].encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _emit_now(django_capture_on_commit_callbacks, event="task.reported", province_id=None, payload=None):
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit(event, province_id=province_id, payload=payload or {"task": {"id": 1}})


def _report_complete(task, author):
    return workflow.report(
        task, author=author, version=task.version, status=S.AWAITING_ACCEPTANCE, progress=100,
        completed_on=datetime.date(2024, 12, 20), done="Đã ban hành quyết định",
    )


# --- Delivering -------------------------------------------------------------------------------------


def test_a_delivery_carries_an_hmac_of_its_timestamp_and_body(
    province, receiver_of, eager, django_capture_on_commit_callbacks
):
    receiver = receiver_of(200)
    hook = WebhookFactory(province=province, url=receiver.url)

    _emit_now(django_capture_on_commit_callbacks, province_id=province.pk)

    [(headers, body)] = receiver.requests
    assert headers["X-Portal-Signature"] == expected_signature(hook.secret, headers, body)


def test_a_delivery_says_its_event_and_id_in_headers_and_body(
    province, receiver_of, eager, django_capture_on_commit_callbacks
):
    receiver = receiver_of(200)
    WebhookFactory(province=province, url=receiver.url)

    _emit_now(django_capture_on_commit_callbacks, province_id=province.pk)

    [(headers, body)] = receiver.requests
    payload = json.loads(body)
    delivery = WebhookDelivery.objects.get()
    assert (headers["X-Portal-Event"], headers["X-Portal-Delivery"]) == ("task.reported", str(delivery.uuid))
    assert (payload["event"], payload["delivery"], payload["province"]) == (
        "task.reported", str(delivery.uuid), province.pk,
    )


def test_a_failed_delivery_is_retried_until_the_receiver_takes_it(
    province, receiver_of, eager, django_capture_on_commit_callbacks
):
    receiver = receiver_of(500, 200)
    hook = WebhookFactory(province=province, url=receiver.url)

    _emit_now(django_capture_on_commit_callbacks, province_id=province.pk)

    assert len(receiver.requests) == 2
    assert all(headers["X-Portal-Signature"] == expected_signature(hook.secret, headers, body)
               for headers, body in receiver.requests)
    assert len({headers["X-Portal-Delivery"] for headers, _body in receiver.requests}) == 1


def test_every_attempt_is_logged_with_its_status_code(
    province, receiver_of, eager, django_capture_on_commit_callbacks
):
    receiver = receiver_of(500, 502, 200)
    WebhookFactory(province=province, url=receiver.url)

    _emit_now(django_capture_on_commit_callbacks, province_id=province.pk)

    delivery = WebhookDelivery.objects.get()
    assert [entry["status"] for entry in delivery.log] == [500, 502, 200]
    assert (delivery.state, delivery.attempts, delivery.status_code) == (DeliveryState.DELIVERED, 3, 200)


def test_each_failed_attempt_waits_four_times_longer(province, receiver_of):
    receiver = receiver_of(500)
    delivery = _delivery(WebhookFactory(province=province, url=receiver.url))
    waits = []

    for attempts in range(3):
        before = timezone.now()
        with pytest.raises(Retry):
            deliver_webhook(delivery.pk, attempts)
        delivery.refresh_from_db()
        waits.append(round((delivery.next_attempt_at - before).total_seconds()))

    assert waits == [30, 120, 480]


def test_after_the_last_attempt_the_delivery_has_failed(
    province, receiver_of, eager, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver = receiver_of(503)
    WebhookFactory(province=province, url=receiver.url)

    _emit_now(django_capture_on_commit_callbacks, province_id=province.pk)

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 3
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == (DeliveryState.FAILED, 3, None)


def test_a_receiver_that_cannot_be_reached_is_logged_and_retried(province, receiver_of):
    receiver = receiver_of(200)
    receiver.close()  # nobody listens on its port any more
    delivery = _delivery(WebhookFactory(province=province, url=receiver.url))

    with pytest.raises(Retry):
        deliver_webhook(delivery.pk, 0)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.status_code, delivery.attempts) == (DeliveryState.PENDING, None, 1)
    assert "Connection" in delivery.last_error


def test_a_redirect_is_not_followed(province, receiver_of):
    elsewhere = receiver_of(200)
    receiver = receiver_of(302, headers={"Location": elsewhere.url})
    delivery = _delivery(WebhookFactory(province=province, url=receiver.url))

    with pytest.raises(Retry):
        deliver_webhook(delivery.pk, 0)

    delivery.refresh_from_db()
    assert (len(receiver.requests), len(elsewhere.requests), delivery.status_code) == (1, 0, 302)


def test_an_attempt_already_taken_is_not_sent_again(province, receiver_of):
    receiver = receiver_of(200)
    delivery = _delivery(WebhookFactory(province=province, url=receiver.url))
    deliver_webhook(delivery.pk, 0)

    deliver_webhook(delivery.pk, 0)  # a duplicate job: the sweep's, or a message delivered twice

    assert len(receiver.requests) == 1


def test_a_paused_hook_is_sent_nothing(province, receiver_of):
    receiver = receiver_of(200)
    hook = WebhookFactory(province=province, url=receiver.url)
    delivery = _delivery(hook)
    Webhook.objects.filter(pk=hook.pk).update(active=False)

    deliver_webhook(delivery.pk, 0)

    assert receiver.requests == []


def test_with_the_broker_down_the_change_is_saved_and_the_sweep_queues_the_delivery(
    task, lead_focal_point, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    WebhookFactory(province=task.plan.province)
    with django_capture_on_commit_callbacks(execute=True):
        _report_complete(task, lead_focal_point)
    task.refresh_from_db()
    delivery = WebhookDelivery.objects.get()
    queued = []
    monkeypatch.setattr(deliver_webhook, "delay", lambda *args: queued.append(args))
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=2))

    resend_due_webhooks()

    assert (task.status, delivery.state) == (S.AWAITING_ACCEPTANCE, DeliveryState.PENDING)
    assert queued == [(delivery.pk, 0)]


def _delivery(hook, event="task.reported"):
    return WebhookDelivery.objects.create(
        hook=hook, event=event, payload={"event": event}, next_attempt_at=timezone.now()
    )


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (scripts/with-services.sh)")
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_on_redis_retries_after_the_backoff(province, receiver_of, settings):
    settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = django_settings.REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_WORKER_HIJACK_ROOT_LOGGER = False
    settings.WEBHOOK_RETRY_SECONDS = 1
    receiver = receiver_of(500, 200)
    hook = WebhookFactory(province=province, url=receiver.url)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        webhooks.emit("task.reported", province_id=province.pk, payload={"task": {"id": 1}})  # autocommit
        assert _wait_until(lambda: WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).exists())

    delivery = WebhookDelivery.objects.get()
    first, second = (datetime.datetime.fromisoformat(entry["at"]) for entry in delivery.log)
    assert [entry["status"] for entry in delivery.log] == [500, 200]
    assert (second - first).total_seconds() >= 1
    assert all(headers["X-Portal-Signature"] == expected_signature(hook.secret, headers, body)
               for headers, body in receiver.requests)


def _wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# --- What is emitted, to whom -----------------------------------------------------------------------


def _events(hook=None):
    deliveries = WebhookDelivery.objects.filter(hook=hook) if hook else WebhookDelivery.objects.all()
    return [(delivery.event, delivery.payload.get("task", {}).get("id")) for delivery in deliveries]


def test_reporting_the_work_complete_emits_task_reported(
    task, lead_focal_point, queued, django_capture_on_commit_callbacks
):
    hook = WebhookFactory(province=task.plan.province, events=["task.reported"])

    with django_capture_on_commit_callbacks(execute=True):
        _report_complete(task, lead_focal_point)

    delivery = WebhookDelivery.objects.get(hook=hook)
    assert (delivery.event, delivery.payload["task"]["id"], delivery.payload["task"]["status"]) == (
        "task.reported", task.pk, S.AWAITING_ACCEPTANCE,
    )
    assert delivery.payload["task"]["api_url"].endswith(f"/api/v1/tasks/{task.pk}/")
    assert queued == [(delivery.pk, 0)]


def test_a_progress_report_emits_nothing(task, lead_focal_point, queued, django_capture_on_commit_callbacks):
    WebhookFactory(province=task.plan.province, events=["task.reported"])

    with django_capture_on_commit_callbacks(execute=True):
        workflow.report(
            task, author=lead_focal_point, version=task.version, status=S.IN_PROGRESS, progress=40
        )

    assert _events() == []


@pytest.mark.parametrize(("accept", "event"), [(True, "task.accepted"), (False, "task.returned")])
def test_a_review_emits_its_outcome(
    task, lead_focal_point, province_admin, queued, django_capture_on_commit_callbacks, accept, event
):
    _report_complete(task, lead_focal_point)
    hook = WebhookFactory(province=task.plan.province, events=["task.accepted", "task.returned"])

    with django_capture_on_commit_callbacks(execute=True):
        workflow.review(task, author=province_admin, version=task.version, accept=accept, note="Bổ sung")

    assert _events(hook) == [(event, task.pk)]


@pytest.mark.parametrize("approve", [True, False])
def test_an_extension_decision_emits_whether_it_was_approved(
    task, lead_focal_point, province_admin, queued, django_capture_on_commit_callbacks, approve
):
    extension = workflow.request_extension(
        task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ kinh phí"
    )
    task.refresh_from_db()
    hook = WebhookFactory(province=task.plan.province, events=["extension.decided"])

    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide_extension(extension, author=province_admin, version=task.version, approve=approve)

    delivery = WebhookDelivery.objects.get(hook=hook)
    told = delivery.payload["extension"]
    assert (delivery.event, told["id"], told["approved"]) == ("extension.decided", extension.pk, approve)


def test_an_import_emits_plan_imported(plan, lead_agency, queued, django_capture_on_commit_callbacks):
    hook = WebhookFactory(province=plan.province, events=["plan.imported"])
    rows = [HEADER, ["I", "CÔNG TÁC"], ["1", "Rà soát quy chế", "Sở Nội vụ", "", "Năm 2025", "Quyết định"]]
    preview = build_import_preview(plan.province, xlsx_bytes(rows), "phu-luc.xlsx", plan.reference_date)

    with django_capture_on_commit_callbacks(execute=True):
        commit_import(plan.province, preview, plan=plan, source="phu-luc.xlsx")

    delivery = WebhookDelivery.objects.get(hook=hook)
    assert (delivery.event, delivery.payload["plan"]["id"], delivery.payload["import"]["created"]) == (
        "plan.imported", plan.pk, 1,
    )


def test_work_fallen_overdue_emits_task_overdue_once_per_due_date(
    task, queued, django_capture_on_commit_callbacks
):
    hook = WebhookFactory(province=task.plan.province, events=["task.overdue"])
    day = task.due + datetime.timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        scan(day)
    with django_capture_on_commit_callbacks(execute=True):
        scan(day + datetime.timedelta(days=1))  # the next morning: still overdue, already told

    delivery = WebhookDelivery.objects.get(hook=hook)
    assert (delivery.event, delivery.payload["task"]["id"], delivery.payload["overdue_since"]) == (
        "task.overdue", task.pk, (task.due + datetime.timedelta(days=1)).isoformat(),
    )


def test_only_the_provinces_own_hooks_hear_of_its_events(
    task, lead_focal_point, other_province, queued, django_capture_on_commit_callbacks
):
    own = WebhookFactory(province=task.plan.province)
    WebhookFactory(province=other_province)

    with django_capture_on_commit_callbacks(execute=True):
        _report_complete(task, lead_focal_point)

    assert list(WebhookDelivery.objects.values_list("hook", flat=True)) == [own.pk]


def test_a_hook_hears_only_of_the_events_it_subscribes_to(
    task, lead_focal_point, queued, django_capture_on_commit_callbacks
):
    WebhookFactory(province=task.plan.province, events=["task.accepted", "plan.imported"])

    with django_capture_on_commit_callbacks(execute=True):
        _report_complete(task, lead_focal_point)

    assert _events() == []


def test_a_paused_hook_hears_of_nothing(task, lead_focal_point, queued, django_capture_on_commit_callbacks):
    WebhookFactory(province=task.plan.province, active=False)

    with django_capture_on_commit_callbacks(execute=True):
        _report_complete(task, lead_focal_point)

    assert _events() == []


def test_the_merged_provinces_hooks_hear_of_the_plans_it_inherited(
    task, lead_focal_point, queued, django_capture_on_commit_callbacks
):
    old = task.plan.province
    merged = ProvinceFactory(name="Đà Nẵng", slug="da-nang")
    old.active_until, old.successor = datetime.date(2025, 6, 30), merged
    old.save()
    hook = WebhookFactory(province=merged)

    with django_capture_on_commit_callbacks(execute=True):
        _report_complete(task, lead_focal_point)

    assert _events(hook) == [("task.reported", task.pk)]


def test_an_event_no_hook_subscribes_to_costs_one_query(
    task, lead_focal_point, queued, django_capture_on_commit_callbacks, django_assert_num_queries
):
    WebhookFactory(province=task.plan.province, events=["plan.imported"])
    task = Task.objects.get(pk=task.pk)  # its plan not read yet
    with django_capture_on_commit_callbacks() as callbacks:
        _report_complete(task, lead_focal_point)

    with django_assert_num_queries(1):  # the active hooks; no plan, province or payload read
        for callback in callbacks:
            callback()


def test_nothing_is_emitted_when_the_transaction_rolls_back(
    task, lead_focal_point, queued, django_capture_on_commit_callbacks
):
    WebhookFactory(province=task.plan.province)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _report_complete(task, lead_focal_point)
        raise RuntimeError("a later step of the same request failed")

    assert (WebhookDelivery.objects.count(), queued) == (0, [])


# --- The admin's pages ------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _add(client, **data):
    fields = {"name": "Một cửa", "url": "https://motcua.dongthap.gov.vn/hooks", "events": ["task.reported"]}
    return client.post("/agencies/webhooks/", {**fields, **data}, follow=True)


def test_an_admin_adds_a_hook_and_is_shown_its_secret_once(province, province_admin):
    client = _client(province_admin)

    html = _add(client).content.decode()

    hook = Webhook.objects.get()
    assert (hook.province, hook.created_by, hook.events) == (province, province_admin, ["task.reported"])
    assert hook.secret in html
    assert hook.secret not in client.get(f"/agencies/webhooks/{hook.pk}/").content.decode()
    assert hook.secret not in client.get("/agencies/webhooks/").content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"url": "khong-phai-url"}, "Nhập một URL hợp lệ."),
        ({"url": "ftp://motcua.dongthap.gov.vn/hooks"}, "Nhập một URL hợp lệ."),
        ({"events": []}, "Trường này là bắt buộc."),
    ],
    ids=["not-a-url", "not-http", "no-event"],
)
def test_a_bad_hook_is_refused_in_vietnamese(province_admin, data, error):
    response = _add(_client(province_admin), **data)

    assert error in response.content.decode()
    assert not Webhook.objects.exists()


def test_an_admin_sees_only_the_provinces_hooks(province, other_province, province_admin):
    WebhookFactory(province=province, name="Hệ thống một cửa")
    WebhookFactory(province=other_province, name="Trung tâm IOC Quảng Nam")

    html = _client(province_admin).get("/agencies/webhooks/").content.decode()

    assert "Hệ thống một cửa" in html and "Trung tâm IOC Quảng Nam" not in html


@pytest.mark.parametrize("action", ["", "toggle/", "delete/", "ping/"])
def test_another_provinces_admin_gets_a_404(province, other_admin, action):
    hook = WebhookFactory(province=province)
    client = _client(other_admin)

    response = client.post(f"/agencies/webhooks/{hook.pk}/{action}") if action else client.get(
        f"/agencies/webhooks/{hook.pk}/"
    )

    assert response.status_code == 404
    assert Webhook.objects.filter(pk=hook.pk, active=True).exists()


@pytest.mark.parametrize("role", ["lead_focal_point", "leader"])
def test_others_of_the_province_get_a_403(request, province, role):
    user = request.getfixturevalue(role)
    hook = WebhookFactory(province=province)

    assert _client(user).get("/agencies/webhooks/").status_code == 403
    assert _client(user).post(f"/agencies/webhooks/{hook.pk}/delete/").status_code == 403
    assert Webhook.objects.filter(pk=hook.pk).exists()


def test_an_admin_pauses_and_activates_a_hook(province, province_admin):
    hook = WebhookFactory(province=province)
    client = _client(province_admin)

    client.post(f"/agencies/webhooks/{hook.pk}/toggle/")
    paused = Webhook.objects.get(pk=hook.pk).active
    client.post(f"/agencies/webhooks/{hook.pk}/toggle/")

    assert (paused, Webhook.objects.get(pk=hook.pk).active) == (False, True)


def test_an_admin_deletes_a_hook(province, province_admin):
    hook = WebhookFactory(province=province)

    _client(province_admin).post(f"/agencies/webhooks/{hook.pk}/delete/")

    assert not Webhook.objects.exists()


def test_the_test_button_sends_a_ping_whatever_the_hook_subscribes_to(
    province, province_admin, receiver_of, eager, django_capture_on_commit_callbacks
):
    receiver = receiver_of(200)
    hook = WebhookFactory(province=province, url=receiver.url, events=["plan.imported"])

    with django_capture_on_commit_callbacks(execute=True):
        _client(province_admin).post(f"/agencies/webhooks/{hook.pk}/ping/")

    [(headers, body)] = receiver.requests
    assert (headers["X-Portal-Event"], json.loads(body)["webhook"]["id"]) == ("ping", hook.pk)


def test_the_hooks_page_lists_its_deliveries_with_their_status_codes(province, province_admin):
    hook = WebhookFactory(province=province)
    WebhookDelivery.objects.create(
        hook=hook, event="task.returned", payload={}, state=DeliveryState.FAILED, attempts=6, status_code=418,
    )

    html = _client(province_admin).get(f"/agencies/webhooks/{hook.pk}/").content.decode()

    assert "task.returned" in html and "418" in html


def test_a_read_write_key_acting_as_admin_manages_no_hooks(province):
    principal = KeyPrincipal(APIKey(province=province, scope=Scope.READ_WRITE, name="IOC"))

    assert principal.is_province_admin and not webhooks.can_manage_webhooks(principal)
