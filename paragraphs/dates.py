"""The dates the tracker accepts: one window, used by forms, the API, the admin, the
services and the database alike.

The Security Council adopted its first resolutions in 1946, and a mandate runs a year or
two ahead of today, so every date the tracker holds (an adoption, an expiry, a deadline, a
delivery, a piece of evidence) lies between 1 January 1946 and 31 December 2100. A date
outside that is a typing mistake (0001-01-01, 9999-12-31), and refusing it keeps every
page that draws or counts dates clear of the calendar's edges: a month after 9999-12 or a
day before 0001-01-01 does not exist.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST = dt.date(1946, 1, 1)
LATEST = dt.date(2100, 12, 31)


def in_window(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST


def validate_tracked_date(day: dt.date | None) -> None:
    """A field validator (models, forms, serializers): the date lies in the window."""
    if day is not None and not in_window(day):
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={
                "earliest": date_format(EARLIEST, "DATE_FORMAT"),
                "latest": date_format(LATEST, "DATE_FORMAT"),
            },
        )


def in_window_q(field: str, *, nullable: bool = False) -> Q:
    """The database's form of the rule, for a CheckConstraint on `field`."""
    condition = Q(**{f"{field}__gte": EARLIEST, f"{field}__lte": LATEST})
    return condition | Q(**{f"{field}__isnull": True}) if nullable else condition


def clamp(day: dt.date) -> dt.date:
    """A date moved into the window: for pages that must draw whatever is stored."""
    return min(max(day, EARLIEST), LATEST)
