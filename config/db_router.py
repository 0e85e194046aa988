"""Reads from a PostgreSQL replica, only where the code says a replica may answer.

With ``DATABASE_REPLICA_URL`` set (``config.settings``), a second database alias, ``replica``, is a
streaming replica of the primary (``default``) and :class:`ReplicaRouter` routes queries:

- every write, and every read outside a block marked replica-safe, goes to the primary;
- reads inside :func:`reads_from_replica` (a context manager, or a decorator for jobs and commands)
  or a view decorated with :func:`replica_reads` (reports, dashboards, exports: pages that only read)
  go to the replica, except
  - inside ``transaction.atomic()`` on the primary (what a transaction reads, it reads there);
  - once anything was written in the same request or block (it reads its own writes);
  - for a browser that wrote in the last ``REPLICA_STICKY_SECONDS`` (:class:`ReplicaStickyMiddleware`
    notes each write in a signed cookie): a user who has just reported on a task sees it counted on
    the dashboard they open next, whatever the replica's lag;
  - for sessions, log-in attempts and the beat schedule, which are always read on the primary;
  - when the replica does not answer: reads then go to the primary for ``REPLICA_RETRY_SECONDS`` (a
    warning is logged), and a marked page whose replica connection broke midway is served again from
    the primary instead of failing.

Where a query runs is decided when it is evaluated, not when it is built: a queryset made inside a
block and evaluated after it reads on the primary. The view decorator therefore renders a
``TemplateResponse`` before leaving the block. Without ``DATABASE_REPLICA_URL`` there is no router and
the helpers here cost nothing (no query, no cookie).
"""

import contextvars
import functools
import logging
import time
from contextlib import contextmanager, suppress

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Read on the primary even inside a marked block: a session or a log-in attempt written a moment ago
# by another web process must be found, and nothing in them is a report's load.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_celery_beat"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STICKY_COOKIE = "portal_wrote"
STICKY_SALT = "config.db_router"


class _Scope:
    """A request (or a marked block outside any request): whether its reads are pinned to the primary
    from the start (its browser wrote recently), and whether it has written anything itself."""

    __slots__ = ("pinned", "wrote")

    def __init__(self, pinned=False):
        self.pinned = pinned
        self.wrote = False


_scope = contextvars.ContextVar("replica_scope", default=None)
_replica_reads = contextvars.ContextVar("replica_reads", default=False)


class _Health:
    """The replica's state as this process last saw it (monotonic clock): believed up until
    ``up_until`` (no check before), down until ``down_until`` (not tried before)."""

    up_until = 0.0
    down_until = 0.0


_health = _Health()


def replica_configured():
    return REPLICA in connections.settings


def _replica_error():
    """None when the replica answers ``SELECT 1`` (connecting first if needed), else what failed."""
    connection = connections[REPLICA]
    try:
        connection.ensure_connection()
    except (OperationalError, InterfaceError) as error:
        return error
    return None if connection.is_usable() else "no answer"


def mark_replica_down(error):
    """Send this process's reads to the primary for ``REPLICA_RETRY_SECONDS``."""
    _health.down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    _health.up_until = 0.0
    logger.warning("Replica database unavailable (%s): reading from the primary for %s s",
                   str(error).strip(), settings.REPLICA_RETRY_SECONDS)
    with suppress(OperationalError, InterfaceError):  # already broken: nothing to close cleanly
        connections[REPLICA].close()


def replica_available():
    """Whether the replica may be read now: believed up (checked in the last ``REPLICA_CHECK_SECONDS``),
    or it answers now. A failed check marks it down; no check is made while it is marked down."""
    now = time.monotonic()
    if now < _health.down_until:
        return False
    if now < _health.up_until:
        return True
    error = _replica_error()
    if error is None:
        _health.up_until = now + settings.REPLICA_CHECK_SECONDS
        return True
    mark_replica_down(error)
    return False


def _may_read_replica():
    if not replica_configured():
        return False
    scope = _scope.get()
    if scope is not None and (scope.pinned or scope.wrote):
        return False
    return replica_available()


@contextmanager
def reads_from_replica():
    """Within the block, reads go to the replica when it may answer (see the module's docstring);
    yields whether they do. Usable as a decorator: ``@reads_from_replica()``."""
    use = _may_read_replica()
    scope_token = _scope.set(_Scope()) if _scope.get() is None else None
    token = _replica_reads.set(use)
    try:
        yield use
    except (OperationalError, InterfaceError) as error:
        if use and _replica_error() is not None:
            mark_replica_down(error)
        raise
    finally:
        _replica_reads.reset(token)
        if scope_token is not None:
            _scope.reset(scope_token)


def _rendered(response):
    """A TemplateResponse rendered now, while the reads still go where the view's do."""
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


def replica_reads(view):
    """A view whose GET (and HEAD) reads from the replica, rendering included. Other methods run as
    usual on the primary. A page whose replica connection breaks midway is served again from the
    primary: only read-only pages are marked, so running one twice is harmless."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with reads_from_replica() as on_replica:
            try:
                return _rendered(view(request, *args, **kwargs))
            except (OperationalError, InterfaceError) as error:
                if not on_replica or _replica_error() is None:
                    raise  # the primary's error, or a replica that answers: not for a second try
                failure = error
        mark_replica_down(failure)
        return _rendered(view(request, *args, **kwargs))

    return wrapped


class ReplicaRouter:
    """``DATABASE_ROUTERS`` with a replica: see the module's docstring."""

    def db_for_read(self, model, **hints):
        if not _replica_reads.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        scope = _scope.get()
        if (scope is not None and scope.wrote) or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        scope = _scope.get()
        if scope is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows on both: an object read from the replica may be linked to one from the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica replays the primary's migrations


class ReplicaStickyMiddleware:
    """Read-your-writes across requests: a browser whose request wrote to the database (or sent a
    POST, PUT, PATCH or DELETE that succeeded) gets a signed cookie, and for ``REPLICA_STICKY_SECONDS``
    after it every read of its requests stays on the primary. Writes to sessions and log-in attempts
    do not count (a session is refreshed once a minute by a plain page view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = _Scope(pinned=self._wrote_recently(request))
        token = _scope.set(scope)
        try:
            response = self.get_response(request)
        finally:
            _scope.reset(token)
        if scope.wrote or (request.method not in SAFE_METHODS and response.status_code < 400):
            response.set_signed_cookie(
                STICKY_COOKIE, "1", salt=STICKY_SALT, max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
            )
        return response

    @staticmethod
    def _wrote_recently(request):
        if STICKY_COOKIE not in request.COOKIES:
            return False
        # The signature's own timestamp bounds it: a cookie kept past its max-age no longer pins.
        value = request.get_signed_cookie(STICKY_COOKIE, default=None, salt=STICKY_SALT,
                                          max_age=settings.REPLICA_STICKY_SECONDS)
        return value is not None
