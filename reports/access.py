"""Who may read and change what: every page and every API endpoint asks these helpers.

Reading needs a role (viewer and above); writing needs the permission of the action. A
refused write raises PermissionDenied (403) before any input is looked at, so it changes
nothing whatever it sent.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from paragraphs import roles
from paragraphs.models import Evidence, Obligation
from reports.models import Deadline


def viewer_required(view):
    """A page: signed in (else the login page) and in a role that may read (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        roles.require_viewer(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def get_obligation_for_user(user, pk, *, write: bool = False, assign: bool = False):
    """The obligation `pk`, if `user` may read it (and change its status and note, with
    `write`; its owner and analyst, with `assign`); 404 if there is none."""
    roles.require_viewer(user)
    if write and not roles.can_edit_obligations(user):
        raise PermissionDenied(_("Your role may read but not change obligations and deadlines."))
    if assign and not roles.can_assign(user):
        raise PermissionDenied(_("Only a manager may change the owner or the analyst."))
    return get_object_or_404(Obligation.objects.select_related("owner", "assigned_analyst"), pk=pk)


def get_deadline_for_user(user, pk) -> Deadline:
    """Deadline actions are analyst work: deliver, reschedule, waive."""
    roles.require_viewer(user)
    if not roles.can_edit_obligations(user):
        raise PermissionDenied(_("Your role may read but not change obligations and deadlines."))
    return get_object_or_404(Deadline.objects.select_related("schedule__obligation"), pk=pk)


def get_evidence_for_user(user, pk) -> Evidence:
    roles.require_viewer(user)
    if not roles.can_edit_obligations(user):
        raise PermissionDenied(_("Your role may read but not change obligations and deadlines."))
    return get_object_or_404(Evidence, pk=pk)
