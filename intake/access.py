"""Who may see and decide drafts: pages and the API ask these helpers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from intake.models import Draft
from paragraphs import roles


def require_importer(user) -> None:
    """Analysts and managers import; viewers read drafts but change nothing."""
    roles.require_viewer(user)
    if not roles.can_import_resolutions(user):
        raise PermissionDenied(_("Your role may read but not import resolutions."))


def get_draft_for_user(user, pk, *, write: bool = False) -> Draft:
    """The draft `pk`, if `user` may read it (and decide on it, with `write`); 404 if none."""
    if write:
        require_importer(user)
    else:
        roles.require_viewer(user)
    return get_object_or_404(Draft.objects.select_related("created_by", "decided_by"), pk=pk)
