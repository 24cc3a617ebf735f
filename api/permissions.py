"""Who may call what: the browser's role checks (paragraphs.roles), plus token limits."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from paragraphs import roles
from paragraphs.models import ApiToken


def token_of(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class CanView(BasePermission):
    """Everything in the API starts here: whoever may read obligations in the browser."""

    message = _("Your account has no role that may read this.")

    def has_permission(self, request, view):
        return roles.can_view(request.user)


class TokenAllowsWrites(BasePermission):
    message = _("This API token is read-only.")

    def has_permission(self, request, view):
        token = token_of(request)
        return request.method in SAFE_METHODS or token is None or not token.read_only


class CanEditObligations(BasePermission):
    """Writes to obligations and deadlines: analysts and managers (owners need more)."""

    message = _("Your role may read but not change obligations and deadlines.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or roles.can_edit_obligations(request.user)


class SignedInManager(BasePermission):
    """Token management: managers, signed in. A token cannot mint or list tokens, so a
    leaked token cannot make itself a successor that survives its revocation."""

    message = _("Only a manager, signed in (not with a token), may manage API tokens.")

    def has_permission(self, request, view):
        return token_of(request) is None and roles.can_manage_api_tokens(request.user)


READ = [CanView]
EDIT = [CanView, TokenAllowsWrites, CanEditObligations]
MANAGE_TOKENS = [CanView, SignedInManager]
