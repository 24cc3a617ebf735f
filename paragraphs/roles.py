"""The three roles, as Django groups whose permissions a migration creates.

Checks go through permissions, not group names, so a superuser passes every check and a
role can be widened in the admin without touching code.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

VIEWER, ANALYST, MANAGER = "viewer", "analyst", "manager"
ROLE_LABELS = {VIEWER: _("Viewer"), ANALYST: _("Analyst"), MANAGER: _("Manager")}


VIEW = "paragraphs.view_obligation"
EDIT = ("paragraphs.change_obligation", "reports.change_deadline")
ASSIGN = "paragraphs.assign_obligation"


def can_view(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW)


def require_viewer(user) -> None:
    if not can_view(user):
        raise PermissionDenied(gettext("Your account has no role that may read this."))


def can_edit_obligations(user) -> bool:
    """Analysts: status, notes and deadline actions."""
    return user.is_authenticated and user.has_perms(EDIT)


def can_import_resolutions(user) -> bool:
    """Analysts and managers: read a resolution's text, review and accept its draft."""
    return can_edit_obligations(user)


def can_assign(user) -> bool:
    """Managers: owners and analysts."""
    return user.is_authenticated and user.has_perm(ASSIGN)


def _with_perms(*perms: str):
    """Active users holding every one of `perms` (through a group, directly, or as
    superusers): the set-based form of `user.has_perms`."""
    users = get_user_model().objects.filter(is_active=True)
    for perm in perms:
        users = users.filter(
            pk__in=get_user_model().objects.with_perm(
                perm, backend="django.contrib.auth.backends.ModelBackend"
            )
        )
    return users


def viewers():
    """Who may read obligations (and so receive alerts)."""
    return _with_perms(VIEW)


def assignable_analysts():
    """Who may be an obligation's analyst: those who may work on it (`can_edit_obligations`)."""
    return _with_perms(*EDIT)


def managers():
    """Who is told about every overdue deadline: those who may assign (`can_assign`)."""
    return _with_perms(ASSIGN)


def can_manage_webhooks(user) -> bool:
    """Managers: a webhook makes the server call a URL, so it is not for every reader."""
    return user.is_authenticated and user.has_perm("reports.add_webhook")


def can_edit_schedules(user) -> bool:
    """Managers: schedule rules."""
    return user.is_authenticated and user.has_perm("reports.change_schedule")


@transaction.atomic
def set_role(user, role: str) -> None:
    """Give `user` exactly this role: the other role groups are removed."""
    if role not in ROLE_LABELS:
        raise ValueError(f"Unknown role {role!r}")
    user.groups.remove(*Group.objects.filter(name__in=set(ROLE_LABELS) - {role}))
    user.groups.add(Group.objects.get(name=role))
    # Managers edit schedules in the admin, which only staff may enter; what they may do
    # there is still limited by the manager group's permissions.
    if not user.is_superuser and user.is_staff != (role == MANAGER):
        user.is_staff = role == MANAGER
        user.save(update_fields=["is_staff"])


def can_manage_api_tokens(user) -> bool:
    """Managers: create, list and revoke the API tokens other systems use."""
    return user.is_authenticated and user.has_perms(
        ["paragraphs.add_apitoken", "paragraphs.change_apitoken", "paragraphs.view_apitoken"]
    )
