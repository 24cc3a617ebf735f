"""Where an accepted text meets the resolution's mandate: the one place to re-point when
mandates become their own model."""

import datetime as dt

from django.utils.translation import gettext as _

from paragraphs.models import Resolution
from reports.services import resolution_update


def apply_mandate(resolution: Resolution, mandate_name: str, expires_on: dt.date, by) -> list[str]:
    """The text extends the mandate of `mandate_name` until `expires_on`: the resolution
    gets both, through `resolution_update`, so the deadlines derived from the expiry
    follow. Returns the names of the fields that changed."""
    max_length = Resolution._meta.get_field("mandate").max_length
    return resolution_update(
        resolution=resolution,
        by=by,
        note=_("Mandate read from the text: %(mandate)s until %(date)s.")
        % {"mandate": mandate_name, "date": expires_on.isoformat()},
        mandate=mandate_name[:max_length],
        mandate_expires_on=expires_on,
    )
