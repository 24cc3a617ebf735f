"""The three roles, as Django groups whose permissions a migration creates.

Checks go through permissions, not group names, so a superuser passes every check and a
role can be widened in the admin without touching code.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

VIEWER, ANALYST, MANAGER = "viewer", "analyst", "manager"
ROLE_LABELS = {VIEWER: _("Viewer"), ANALYST: _("Analyst"), MANAGER: _("Manager")}


def can_view(user) -> bool:
    return user.is_authenticated and user.has_perm("paragraphs.view_obligation")


def can_edit_obligations(user) -> bool:
    """Analysts: status, notes and deadline actions."""
    return user.is_authenticated and user.has_perms(
        ["paragraphs.change_obligation", "reports.change_deadline"]
    )


def can_assign(user) -> bool:
    """Managers: owners and analysts."""
    return user.is_authenticated and user.has_perm("paragraphs.assign_obligation")


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


def within_rights(user, *, of) -> bool:
    """Whether `user` can do nothing that `of` cannot (a token for `user`, made by `of`)."""
    if user.is_superuser and not of.is_superuser:
        return False
    return of.is_superuser or user.get_all_permissions() <= of.get_all_permissions()
