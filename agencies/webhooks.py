"""Webhooks: a provincial admin registers URLs of the province's other systems to be told of events
(work reported complete, accepted, returned, overdue; an extension decided; a plan imported).

One rule, one place: :func:`emit` is what every part of the portal calls. It writes nothing in the
caller's transaction: once that commits (``transaction.on_commit``; a rollback emits nothing) it
creates one :class:`WebhookDelivery` per active hook of the province subscribed to the event, in one
INSERT, and queues a Celery job per delivery (``agencies.jobs.deliver_webhook``). A page never waits
on a receiver; with the broker down the rows stay pending and the sweep queues them later
(``agencies.jobs.resend_due_webhooks``, every five minutes).

Each delivery is a JSON POST signed with the hook's secret (:func:`signature`), retried with
backoff on any answer but a 2xx or on a network error (:func:`retry_delay`), each attempt written
on the row with its status code, until :data:`MAX_ATTEMPTS`. The secret is kept as it is: the
HMAC needs it; it is shown to the admin once, when the hook is created, never again in a page.

The payloads' shapes are in ``tasks.webhook_events`` (this module knows no task).
"""

import datetime
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
import uuid
from http.client import HTTPException

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerUnreachable

from agencies.models import Province

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
SIGNATURE_HEADER = "X-Portal-Signature"
TIMEOUT_SECONDS = 5  # connecting, and each read: a slow receiver costs a worker seconds, not minutes
EXCERPT_CHARS = 500  # of each answer, kept on the delivery for the admin
ERROR_CHARS = 300
# Each attempt's claim holds the row this long: a worker that dies mid-send leaves it to the sweep.
CLAIM_SECONDS = 120


def max_attempts():
    return max(1, settings.WEBHOOK_MAX_ATTEMPTS)


def retry_delay(attempts):
    """Seconds to wait after the ``attempts``-th failed attempt: ``WEBHOOK_RETRY_SECONDS`` (30),
    four times longer each time: 30 s, 2 min, 8 min, 32 min, about 2 h 8 min."""
    return settings.WEBHOOK_RETRY_SECONDS * 4 ** (attempts - 1)


class Event(models.TextChoices):
    TASK_REPORTED = "task.reported", _("Work reported complete")
    TASK_ACCEPTED = "task.accepted", _("Work accepted")
    TASK_RETURNED = "task.returned", _("Work returned")
    TASK_OVERDUE = "task.overdue", _("Work overdue")
    EXTENSION_DECIDED = "extension.decided", _("Extension decided")
    PLAN_IMPORTED = "plan.imported", _("Plan imported")
    PING = "ping", _("Test event")


# What a hook may subscribe to; "ping" is sent by the admin's button only.
SUBSCRIBABLE = [(value, label) for value, label in Event.choices if value != Event.PING]


def validate_events(value):
    known = {value for value, _label in SUBSCRIBABLE}
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one event."))
    if set(value) - known:
        unknown = ", ".join(sorted(set(value) - known))
        raise ValidationError(_("Unknown event: %(events)s."), params={"events": unknown})


def can_manage_webhooks(user):
    """Provincial admins register, pause and delete their province's webhooks (superusers, in the
    Django admin). A user row is needed: a read-write API key acts as an admin, but owns nothing."""
    return bool(user.is_authenticated and user.is_province_admin and user.pk)


class WebhookQuerySet(models.QuerySet):
    def manageable_by(self, user):
        """The hooks ``user`` manages: their own province's, none for anyone else."""
        if not can_manage_webhooks(user):
            return self.none()
        return self.filter(province_id=user.province_id)


class Webhook(models.Model):
    """A URL of another system of the province, told of the events it subscribes to."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="webhooks", verbose_name=_("province"),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where the portal POSTs the events, http:// or https://."),
    )
    events = models.JSONField(_("events"), default=list, validators=[validate_events])
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.name

    def set_secret(self):
        """A new signing secret, returned (the admin is shown it once)."""
        self.secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        return self.secret

    def event_labels(self):
        return [Event(value).label for value in self.events if value in Event.values]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event sent to one hook: its payload (the same bytes at every attempt), where it stands,
    and every attempt with the receiver's status code (``log``: at most ``WEBHOOK_MAX_ATTEMPTS``
    entries). ``next_attempt_at`` is when a pending delivery is next due; a job claims an attempt
    by moving ``attempts`` on in one conditional UPDATE, so two jobs never send the same attempt.
    ``key`` makes an event once-only where it must be (a task overdue: once per due date)."""

    hook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook"),
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(_("once-only key"), max_length=100, blank=True, editable=False)
    payload = models.JSONField(_("payload"))
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    status_code = models.PositiveSmallIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=ERROR_CHARS, blank=True)
    response_excerpt = models.TextField(_("answer (start)"), blank=True)
    log = models.JSONField(_("attempts log"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["hook", "key"], condition=~models.Q(key=""), name="webhook_delivery_once"
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self):
        return f"{self.event} → {self.hook} ({self.uuid})"

    def body(self):
        return json.dumps(self.payload, ensure_ascii=False, separators=(",", ":")).encode()


# --- Emitting ---------------------------------------------------------------------------------------


def emit(event, *, province_id, payload, key=""):
    """Tell the hooks of the province holding ``province_id`` (today: after a merger, the merged
    province's) subscribed to ``event``, once the current transaction commits. ``payload`` is the
    event's own part (``tasks.webhook_events``); ``key``, when given, sends it at most once per hook.

    ``province_id`` and ``payload`` may be given as functions, called after the commit (and the
    payload's only when a hook is subscribed): the caller's transaction then makes no query for
    them, and they read the objects as committed."""
    emit_many(event, [(province_id, payload, key)])


def emit_many(event, items):
    """:func:`emit` for many ``(province_id, payload, key)`` at once: a few queries whatever their
    number (the reminder scan's overdue work)."""
    if items:
        transaction.on_commit(lambda: queue(create_deliveries(event, items)), robust=True)


def ping(hook):
    """The admin's test event, to this hook whatever it subscribes to."""
    payload = {"province": hook.province_id, "webhook": {"id": hook.pk, "name": hook.name}}
    transaction.on_commit(
        lambda: queue(create_deliveries(Event.PING, [(hook.province_id, payload, "")], hooks=[hook])),
        robust=True,
    )


def _holders(province_ids, day):
    """Each province id → the id of the province holding its plans on ``day``."""
    provinces = Province.objects.filter(pk__in=province_ids).select_related("successor__successor")
    return {province.pk: province.in_office_on(day).pk for province in provinces}


def create_deliveries(event, items, hooks=None):
    """Create the deliveries of ``event`` (one INSERT); return their ids. ``hooks``: the hooks to
    send to, else the active hooks subscribed to it of the provinces holding the items'."""
    now = timezone.now()
    if hooks is None:
        # The portal's active hooks are a few per province: their events are filtered here (the same
        # on SQLite), and while none is subscribed this is the one query an event costs.
        hooks = [hook for hook in Webhook.objects.filter(active=True) if event in hook.events]
        if not hooks:
            return []
        items = [(_value(province_id), payload, key) for province_id, payload, key in items]
        holders = _holders({province_id for province_id, _payload, _key in items}, timezone.localdate())
    else:
        items = [(_value(province_id), payload, key) for province_id, payload, key in items]
        holders = {province_id: province_id for province_id, _payload, _key in items}
    by_province = {}
    for hook in hooks:
        by_province.setdefault(hook.province_id, []).append(hook)
    rows = []
    for province_id, payload, key in items:
        holder = holders.get(province_id)
        receivers = by_province.get(holder, ())
        if receivers:
            payload = _value(payload)
        for hook in receivers:
            delivery_id = uuid.uuid4()
            head = {"event": str(event), "delivery": str(delivery_id), "occurred_at": now.isoformat()}
            rows.append(WebhookDelivery(
                hook=hook, event=event, uuid=delivery_id, key=key, next_attempt_at=now,
                payload={**head, **payload, "province": holder},
            ))
    if not rows:
        return []
    keyed = any(row.key for row in rows)
    # A once-only key already sent is skipped by the database (a second scan, a retried job).
    WebhookDelivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=keyed)
    if not keyed:
        return [row.pk for row in rows]
    ids = []
    uuids = [row.uuid for row in rows]
    for start in range(0, len(uuids), 500):
        chunk = uuids[start:start + 500]
        ids += WebhookDelivery.objects.filter(uuid__in=chunk).values_list("pk", flat=True)
    return sorted(ids)


def _value(given):
    return given() if callable(given) else given


def queue(delivery_ids):
    """A delivery job per id; with the broker unreachable the rest stay pending for the sweep."""
    from agencies.jobs import deliver_webhook  # jobs imports this module

    for delivery_id in delivery_ids:
        try:
            deliver_webhook.delay(delivery_id, 0)
        except BrokerUnreachable:
            logger.warning("Broker unreachable: %s webhook deliveries left to the sweep", len(delivery_ids))
            return


# --- Delivering -------------------------------------------------------------------------------------


def signature(secret, timestamp, body):
    """``sha256=`` and the hex HMAC-SHA256, keyed by the hook's secret, of ``"{timestamp}.{body}"``."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: never followed (to another host or not), the
    delivery is retried and the admin sees the 3xx and where it pointed."""

    def redirect_request(self, *args, **kwargs):
        return None


# No proxy from the environment: receivers are the province's systems, reached directly.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def post(url, body, headers):
    """POST ``body``; ``(status code or None, start of the answer, error text)``. Reads at most a few
    hundred bytes of the answer, whatever the receiver sends."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, _excerpt(response), ""
    except urllib.error.HTTPError as error:  # an answer, not 2xx
        try:
            where = error.headers.get("Location", "") if error.headers else ""
            return error.code, _excerpt(error), f"→ {where}"[:ERROR_CHARS] if where else ""
        finally:
            error.close()
    except (urllib.error.URLError, HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, "", (f"{type(reason).__name__}: {reason}")[:ERROR_CHARS]


def _excerpt(response):
    try:
        return response.read(EXCERPT_CHARS * 4).decode("utf-8", "replace")[:EXCERPT_CHARS]
    except (HTTPException, OSError):
        return ""


def claim(delivery_id, attempts):
    """Take attempt ``attempts + 1`` of a pending delivery of an active hook, or None if it was taken
    (another job, the sweep), is finished, or its hook was paused or deleted."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, attempts=attempts, hook__active=True,
    ).update(attempts=attempts + 1, next_attempt_at=now + datetime.timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("hook").get(pk=delivery_id)


def attempt(delivery):
    """Send one claimed attempt and write its outcome on the row. Returns the seconds to wait
    before the next attempt, or None when there is none (delivered, or the last attempt failed)."""
    body = delivery.body()
    timestamp = str(int(timezone.now().timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "plan-portal-webhooks/1",
        "X-Portal-Event": delivery.event,
        "X-Portal-Delivery": str(delivery.uuid),
        "X-Portal-Timestamp": timestamp,
        "X-Portal-Attempt": str(delivery.attempts),
        SIGNATURE_HEADER: signature(delivery.hook.secret, timestamp, body),
    }
    status, excerpt, error = post(delivery.hook.url, body, headers)
    now = timezone.now()
    delivered = status is not None and 200 <= status < 300
    delay = None
    if delivered:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = DeliveryState.DELIVERED, now, None
    elif delivery.attempts >= max_attempts():
        delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
    else:
        delay = retry_delay(delivery.attempts)
        delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)
    delivery.status_code, delivery.last_error, delivery.response_excerpt = status, error, excerpt
    delivery.log = [*delivery.log, {"at": now.isoformat(), "status": status, "error": error}]
    delivery.save(update_fields=[
        "state", "delivered_at", "next_attempt_at", "status_code", "last_error", "response_excerpt", "log",
    ])
    return delay


def due_for_resending(now=None, limit=1000):
    """Pending deliveries whose attempt is overdue by over a minute: their job was never queued (the
    broker was down) or was lost (a worker died). ``(id, attempts)`` pairs, oldest first."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lt=now - datetime.timedelta(minutes=1),
            hook__active=True,
        ).order_by("next_attempt_at").values_list("pk", "attempts")[:limit]
    )
