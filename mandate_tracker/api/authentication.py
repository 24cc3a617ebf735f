import datetime as dt
import time

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS

from mandate_tracker import cache as shared_cache
from mandate_tracker.api import throttling
from paragraphs import tokens
from paragraphs.models import ApiToken

# Recording every use would be a write per request; once a minute is precise enough to
# tell an abandoned token from a live one.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
# Where a request keeps what its token resolved to: (user and token, or None; the refusal).
OUTCOME = "api_token_outcome"


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer mt_<prefix>_<secret>`: the request acts as the token's user.

    Writes always read the token, its user and the user's permissions from the database.
    Reads may use what a previous request resolved, kept in the cache for at most
    `tokens.CACHE_SECONDS`: a read then costs no query at all for authentication, and one
    round trip to Redis that also counts its rate limit (mandate_tracker.api.throttling). A
    revocation overwrites that entry at once (`tokens.forget`); a change of the user's
    roles or active flag reaches reads within the minute.

    Asked again for the same request (the conditional-GET shortcut asks before DRF does,
    reports.api.middleware), it gives the same answer without a second round trip: the
    rate of a request is counted once.
    """

    def __init__(self, also_get: tuple[str, ...] = ()):
        # Redis keys read in the token's round trip (the shortcut's copy of an ETag); their
        # raw values are in `also_got` once this has asked Redis, None otherwise.
        self.also_get = also_get
        self.also_got = None

    def authenticate(self, request):
        request = getattr(request, "_request", request)  # Django's, under DRF's Request
        if OUTCOME not in request.__dict__:
            try:
                request.__dict__[OUTCOME] = (self._authenticate(request), None)
            except AuthenticationFailed as error:
                request.__dict__[OUTCOME] = (None, error)
        user_and_token, error = request.__dict__[OUTCOME]
        if error is not None:
            raise error
        return user_and_token

    def _authenticate(self, request):
        credentials = presented(request)
        if credentials is None:
            return None
        prefix = tokens.prefix_of(credentials)
        if prefix is None:
            raise AuthenticationFailed(_("This is not a Mandate Tracker API token."))
        if request.method in SAFE_METHODS:
            # One round trip: what the token resolved to, and the request's rate count.
            digest = tokens.digest(credentials)
            rate = throttling.rate_key("token", throttling.token_ident(digest), time.time())
            cached, hits, self.also_got = shared_cache.get_and_count(
                tokens.cache_key(prefix), rate, throttling.EXPIRE, self.also_get
            )
            setattr(request, throttling.COUNTED, (rate, hits))
            if cached == tokens.REVOKED:
                raise AuthenticationFailed(_("This API token has been revoked."))
            if cached is not None and tokens.same_digest(digest, cached["digest"]):
                return from_cache(cached)
        token = self._from_database(prefix, credentials)
        if request.method in SAFE_METHODS:
            # add, not set: never overwrite a revocation recorded meanwhile.
            shared_cache.add(tokens.cache_key(prefix), _to_cache(token), tokens.CACHE_SECONDS)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'

    def _from_database(self, prefix: str, credentials: str) -> ApiToken:
        try:
            token = ApiToken.objects.select_related("user").get(prefix=prefix)
        except ApiToken.DoesNotExist:
            token = None
        if token is None or not tokens.matches(credentials, token.digest):
            raise AuthenticationFailed(_("Unknown API token."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This API token has been revoked."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("The account this token acts as is inactive."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token


def presented(request) -> str | None:
    """The credentials of an `Authorization: Bearer` header (maybe empty), None without
    one. A request that presents them is answered by its token alone, never by a session:
    the token authenticates it or it is refused."""
    scheme, _space, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def _to_cache(token: ApiToken) -> dict:
    user = token.user
    return {
        "digest": token.digest,
        "token": token.pk,
        "read_only": token.read_only,
        "user": user.pk,
        "username": user.get_username(),
        "is_superuser": user.is_superuser,
        "permissions": sorted(user.get_all_permissions()),
    }


def from_cache(cached: dict) -> tuple:
    """The user and token as a read needs them, without touching the database.

    The permissions go where Django's ModelBackend keeps what it loaded for a user
    (`_perm_cache`), so `user.has_perm` and the role checks of paragraphs.roles answer
    exactly as they would after loading them.
    """
    User = get_user_model()
    user = _loaded(
        User,
        id=cached["user"],
        is_active=True,
        is_superuser=cached["is_superuser"],
        **{User.USERNAME_FIELD: cached["username"]},
    )
    user._perm_cache = set(cached["permissions"])
    token = _loaded(
        ApiToken,
        id=cached["token"],
        user_id=cached["user"],
        read_only=cached["read_only"],
        digest=cached["digest"],
    )
    token.user = user
    return user, token


def _loaded(model, **values):
    """An instance as if loaded from the database with only these fields: the others are
    deferred (read on first use), and no default is computed for them."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])
