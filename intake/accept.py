"""Where an accepted text meets the resolution's mandate and the chain of its renewals."""

import datetime as dt

from django.utils.translation import gettext as _

from paragraphs.models import Mandate, Resolution
from reports.renewals import mandate_for_code
from reports.services import resolution_update


def apply_mandate(resolution: Resolution, mandate_name: str, expires_on: dt.date, by) -> list[str]:
    """The text extends the mandate of `mandate_name` until `expires_on`: the resolution
    governs that mandate (`reports.renewals.mandate_for_code`) until then,
    through `resolution_update`, so the deadlines derived from the expiry follow. When it
    renews nothing yet, it renews the mandate's latest resolution adopted before it, whose
    period then ends (`reports.services.renewal_link`). Returns the fields that changed."""
    mandate = mandate_for_code(mandate_name.strip()[: Mandate._meta.get_field("code").max_length])
    values = {"mandate": mandate, "mandate_expires_on": expires_on}
    if resolution.renews_id is None and resolution.adopted_on:
        previous = (
            mandate.resolutions.filter(adopted_on__lt=resolution.adopted_on)
            .exclude(pk=resolution.pk)
            .order_by("-adopted_on", "-number")
            .first()
        )
        if previous is not None:
            values["renews"] = previous
    return resolution_update(
        resolution=resolution,
        by=by,
        note=_("Mandate read from the text: %(mandate)s until %(date)s.")
        % {"mandate": mandate_name, "date": expires_on.isoformat()},
        **values,
    )
