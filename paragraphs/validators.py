import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

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
    return value


def clean_past_date(value: dt.date | None, *, field: str, now: dt.datetime | None = None):
    """A date something happened: it cannot be after today (of `now`, default the clock)."""
    if value is not None and value > timezone.localdate(now):
        raise ValidationError({field: _("This date is in the future.")})
    return value
