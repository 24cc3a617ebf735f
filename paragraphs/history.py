"""How every write is attributed: django-simple-history, fed explicitly by the services.

Services never rely on the request middleware alone: commands, Celery tasks and data
loads have no request, so each write says who made it, why, and (for the recorded past)
when.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import models
from simple_history.models import HistoricalRecords

SYSTEM_USERNAME = "system"


class ThroughToken(models.Model):
    """A base of the historical models: the API token a change was made through, so the
    history says who acted and by which system (empty for the browser and commands)."""

    history_api_token = models.ForeignKey(
        "paragraphs.ApiToken",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # tokens are revoked, not deleted; a deleted user's go
        related_name="+",
        verbose_name="API token",
    )

    class Meta:
        abstract = True


def record_token(sender, history_instance, **kwargs) -> None:
    """Receiver of simple-history's pre_create_historical_record: the token of the request
    being served (HistoryRequestMiddleware keeps it; the API's authentication puts the
    token on it), if any."""
    if not hasattr(history_instance, "history_api_token_id"):
        return
    request = getattr(HistoricalRecords.context, "request", None)
    history_instance.history_api_token = getattr(request, "api_token", None)


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
