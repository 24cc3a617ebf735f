"""How every write is attributed: django-simple-history, fed explicitly by the services.

Services never rely on the request middleware alone: commands, Celery tasks and data
loads have no request, so each write says who made it, why, and (for the recorded past)
when.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import models

SYSTEM_USERNAME = "system"


def stamp(instance: models.Model, *, by, note: str = "", at: dt.datetime | None = None) -> None:
    """Attach who/why/when to the next history record `instance.save()` writes."""
    instance._history_user = by
    instance._change_reason = note
    if at is not None:
        instance._history_date = at
    elif hasattr(instance, "_history_date"):
        del instance._history_date


def system_user():
    """The account that automated writes (data loads, scans) are recorded under.

    It has no usable password and is inactive, so nobody can sign in as it.
    """
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "Mandate Tracker", "last_name": "(system)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def noon_utc(day: dt.date) -> dt.datetime:
    """A recorded-past event known only to the day, placed at midday UTC of that day."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
