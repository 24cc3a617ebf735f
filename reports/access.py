"""Every permission check of the browser pages goes through these helpers.

Reading needs a role (viewer and above); writing needs the permission of the action. A
refused write raises PermissionDenied (403) before any form is looked at, so it changes
nothing whatever it sent.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from paragraphs import roles
from paragraphs.models import Evidence, Obligation
from reports.models import Deadline


def require_viewer(user) -> None:
    if not roles.can_view(user):
        raise PermissionDenied


def get_obligation_for_user(user, pk: int, *, write: bool = False, assign: bool = False):
    require_viewer(user)
    if write and not roles.can_edit_obligations(user):
        raise PermissionDenied
    if assign and not roles.can_assign(user):
        raise PermissionDenied
    return get_object_or_404(Obligation.objects.select_related("owner", "assigned_analyst"), pk=pk)


def get_deadline_for_user(user, pk: int) -> Deadline:
    """Deadline actions are analyst work: deliver, reschedule, waive."""
    require_viewer(user)
    if not roles.can_edit_obligations(user):
        raise PermissionDenied
    return get_object_or_404(Deadline.objects.select_related("schedule__obligation"), pk=pk)


def get_evidence_for_user(user, pk: int) -> Evidence:
    require_viewer(user)
    if not roles.can_edit_obligations(user):
        raise PermissionDenied
    return get_object_or_404(Evidence, pk=pk)
