"""Rate limits per token (per user for sessions, per address for anonymous callers).

One-minute windows counted with an atomic increment in the cache (Redis in production):
concurrent requests of one token on several workers are all counted (DRF's stock throttle
reads, appends and writes back a list, so parallel requests can overwrite each other's
counts). A counter is not a copy of any data: losing one only forgives a minute's calls.

A token is counted under the digest of the token presented, not its prefix: someone who
knows a prefix but not the secret only fills a counter of their own. When Redis cannot be
reached the API goes on without limits, and says so in the log, rather than refusing
everyone.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.throttling import BaseThrottle

from api.authentication import presented
from api.permissions import token_of
from paragraphs import tokens

logger = logging.getLogger(__name__)

WINDOW = 60
EXPIRE = 2 * WINDOW


def count(key: str) -> int:
    """One more hit on `key`, atomically (one round trip, but for a window's first hit);
    0 when Redis cannot be reached."""
    try:
        try:
            return cache.incr(key)
        except ValueError:  # the window's first hit
            if cache.add(key, 1, EXPIRE):
                return 1
            return cache.incr(key)  # another worker's hit was first
    except (RedisConnectionError, RedisTimeoutError) as error:
        logger.warning("Redis cannot be reached (%s): the API goes on without rate limits.", error)
        return 0


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        token = token_of(request)
        if token is not None:
            scope, ident = "token", tokens.digest(presented(request))[:32]
        elif request.user.is_authenticated:
            scope, ident = "user", request.user.pk
        else:
            scope, ident = "anonymous", self.get_ident(request)
        now = time.time()
        hits = count(f"mt:api-rate:{scope}:{ident}:{int(now // WINDOW)}")
        self.retry_after = WINDOW - now % WINDOW
        return hits <= settings.API_RATE_LIMITS[scope]

    def wait(self) -> float:
        return self.retry_after
