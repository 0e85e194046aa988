"""Rate limits per caller, counted in Django's cache (Redis in production, shared by every web
process; each process's memory in the demo and the tests): per API key or personal access token
(its own ``requests_per_minute`` when set, else ``API_REQUESTS_PER_MINUTE``), per signed-in user
for sessions (the same default), per client address for calls without credentials
(``API_ANONYMOUS_REQUESTS_PER_MINUTE``). With the cache unreachable calls are let through, and the
fact logged: with Redis stopped the portal goes on (as ``config.security.within_rate``)."""

import logging

from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from config.api.permissions import credential
from config.security import client_address

logger = logging.getLogger(__name__)


class CredentialRateThrottle(SimpleRateThrottle):
    scope = "api"

    def allow_request(self, request, view):
        used = credential(request)
        if not request.user.is_authenticated:
            self.scope = "anon"
        own = used.requests_per_minute if used else None
        self.rate = f"{own}/min" if own else self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("API rate not counted: the cache is unreachable.", exc_info=True)
            return True

    def get_rate(self):
        return self.THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        used = credential(request)
        if used is not None:
            ident = f"{type(used).__name__.lower()}:{used.pk}"
        elif request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{client_address(request) or ''}"
        return f"throttle:api:{ident}"
