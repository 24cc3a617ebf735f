import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from paragraphs import tokens
from paragraphs.models import ApiToken

# Recording every use would be a write per request; once a minute is precise enough to
# tell an abandoned token from a live one.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer mt_<prefix>_<secret>`: the request acts as the token's user.

    The token, its user and (when a check asks) the user's permissions are read from
    PostgreSQL on every request, so a revocation, a role change or a deactivation applies
    to the very next request.
    """

    def authenticate(self, request):
        credentials = presented(request)
        if credentials is None:
            return None
        prefix = tokens.prefix_of(credentials)
        if prefix is None:
            raise AuthenticationFailed(_("This is not a Mandate Tracker API token."))
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
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
        # On Django's request too: the history records which token a change came through
        # (paragraphs.history.record_token).
        getattr(request, "_request", request).api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def presented(request) -> str | None:
    """The credentials of an `Authorization: Bearer` header (maybe empty), None without
    one. A request that presents them is answered by its token alone, never by a session:
    the token authenticates it or it is refused."""
    scheme, _space, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None
