"""Rate limits per token (per user for sessions, per address for anonymous callers).

One-minute windows counted with an atomic increment in the cache (Redis in production):
concurrent requests of one token on several workers are all counted (DRF's stock throttle
reads, appends and writes back a list, so parallel requests can overwrite each other's
counts). A read with a token is counted by the authentication, in the same round trip to
Redis that reads the token (`rate_key`, `COUNTED`); everything else is counted here.

A token is counted under the digest of the token presented, not its prefix: someone who
knows a prefix but not the secret only fills a counter of their own.
"""

import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from mandate_tracker.api.permissions import token_of
from mandate_tracker.cache import count

WINDOW = 60
EXPIRE = 2 * WINDOW
# Where the authentication leaves (key, hits) when it has counted the request.
COUNTED = "api_rate_counted"


def rate_key(scope: str, ident, now: float) -> str:
    return f"mt:api-rate:{scope}:{ident}:{int(now // WINDOW)}"


def token_ident(digest: str) -> str:
    return digest[:32]


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        token = token_of(request)
        if token is not None:
            scope, ident = "token", token_ident(token.digest)
        elif request.user.is_authenticated:
            scope, ident = "user", request.user.pk
        else:
            scope, ident = "anonymous", self.get_ident(request)
        now = time.time()
        key = rate_key(scope, ident, now)
        counted = getattr(request, COUNTED, None)
        hits = counted[1] if counted is not None and counted[0] == key else count(key, EXPIRE)
        self.retry_after = WINDOW - now % WINDOW
        return hits <= settings.API_RATE_LIMITS[scope]

    def wait(self) -> float:
        return self.retry_after
