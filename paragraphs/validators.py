import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from paragraphs.dates import validate_tracked_date

# One limit for each kind of free text, whichever way it comes in (page, API, admin).
NOTE_MAX_LENGTH = 10_000  # an obligation's progress note
REASON_MAX_LENGTH = 2_000  # why something changed, kept in the history; short notes

# UN document symbols: S/2024/62, S/RES/2743 (2024), A/78/PV.12, S/2023/768/Corr.1
DOCUMENT_SYMBOL = re.compile(r"^[A-Z][A-Z0-9]*(/[A-Za-z0-9.\-]+)+( \(\d{4}\))?$")


def clean_document_symbol(value: str, *, field: str = "document_symbol") -> str:
    value = (value or "").strip()
    if value and not DOCUMENT_SYMBOL.match(value):
        raise ValidationError(
            {
                field: _("“%(value)s” is not a UN document symbol such as S/2024/62.")
                % {"value": value}
            }
        )
    return value


def clean_reason(value: str, *, field: str = "reason") -> str:
    """A reason that the history keeps: required, surrounding blanks dropped."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("Give a reason: it is kept in the history.")})
    return clean_length(value, REASON_MAX_LENGTH, field=field)


def clean_length(value: str, limit: int, *, field: str) -> str:
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("At most %(limit)d characters (this has %(n)d).")
                % {"limit": limit, "n": len(value)}
            }
        )
    return value


def clean_tracked_date(value: dt.date | None, *, field: str) -> dt.date | None:
    """A date in the tracked window (paragraphs.dates), or an error on `field`."""
    try:
        validate_tracked_date(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return value


def clean_past_date(value: dt.date | None, *, field: str, now: dt.datetime | None = None):
    """A date something happened, in the tracked window and not after today (of `now`,
    default the clock)."""
    clean_tracked_date(value, field=field)
    if value is not None and value > timezone.localdate(now):
        raise ValidationError({field: _("This date is in the future.")})
    return value
