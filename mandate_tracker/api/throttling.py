"""Rate limits per token (per user for sessions, per address for anonymous callers).

One-minute windows counted with an atomic INCR in Redis: concurrent requests of one token
on several workers are all counted (DRF's stock throttle reads, appends and writes back a
list, so parallel requests can overwrite each other's counts), at one round trip each.
Without Redis (`make run` on a laptop) the cache's own atomic add/incr does the same.
"""

import time
from functools import cache

import redis
from django.conf import settings
from django.core.cache import cache as django_cache
from rest_framework.throttling import BaseThrottle

from mandate_tracker.api.permissions import token_of

WINDOW = 60


@cache
def _redis_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _count(key: str) -> int:
    """Add one hit to `key` (which expires with its window) and return the total."""
    if settings.REDIS_URL:
        pipe = _redis_for(settings.REDIS_URL).pipeline(transaction=False)
        pipe.set(key, 0, ex=2 * WINDOW, nx=True)
        pipe.incr(key)
        return pipe.execute()[1]
    django_cache.add(key, 0, 2 * WINDOW)
    return django_cache.incr(key)


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        token = token_of(request)
        if token is not None:
            scope, ident = "token", token.pk
        elif request.user.is_authenticated:
            scope, ident = "user", request.user.pk
        else:
            scope, ident = "anonymous", self.get_ident(request)
        now = time.time()
        window = int(now // WINDOW)
        hits = _count(f"mt:api-rate:{scope}:{ident}:{window}")
        self.retry_after = WINDOW * (window + 1) - now
        return hits <= settings.API_RATE_LIMITS[scope]

    def wait(self) -> float:
        return self.retry_after
