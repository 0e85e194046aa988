"""Who a request comes from (its address, the user name it tries), and how often it may ask for
something costly.

``client_address`` is what django-axes locks out (``AXES_CLIENT_IP_CALLABLE``) and what the password
reset limit counts, so both see the same address.
"""

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def client_address(request):
    """The IP address of the client: the socket's peer, or behind the trusted reverse proxy
    (``TRUSTED_PROXY``) the last address of ``X-Forwarded-For``, the one the proxy appended (those
    before it were written by the client and could be anything). None if there is none."""
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if settings.TRUSTED_PROXY:
        candidates.insert(0, request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip())
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def attempted_username(request, credentials):
    """The user name a log-in attempt is counted under (``AXES_USERNAME_CALLABLE``): as typed, cut to
    the longest an account's can be. django-axes stores it in a column of 255 characters, which a
    typed name of any length would overflow (a 500 instead of "wrong password")."""
    field = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD)
    username = (credentials or request.POST).get(field.name)
    return username[: field.max_length] if username else username


def within_rate(scope, key, limit, seconds):
    """Counts one use of ``key`` in ``scope``; True while it is used at most ``limit`` times in a
    window of ``seconds`` (a fixed window, started by its first use).

    The count lives in Django's cache (Redis in production, shared by every web process). When
    the cache is unreachable the use is allowed and logged: with Redis stopped the portal goes on.
    """
    cache_key = f"rate:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    try:
        if cache.add(cache_key, 1, seconds):
            return True
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the window ended between add() and incr()
            cache.add(cache_key, 1, seconds)
            return True
    except RedisError:
        logger.warning("Rate limit %s not counted: the cache is unreachable.", scope, exc_info=True)
        return True
    return count <= limit
