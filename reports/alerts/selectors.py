"""Reads shared by the alert pages, the command and the API."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from paragraphs.models import Resolution
from reports.alerts.enums import Channel
from reports.alerts.models import Alert, AlertDelivery, AlertPreference, Subscription, Webhook

ALERT_RELATED = [
    "deadline__schedule__obligation__paragraph__resolution",
    "deadline__schedule__obligation__owner",
]


def preference_for(user) -> AlertPreference:
    """The user's preference, or the defaults (unsaved) when they never set one."""
    try:
        return user.alert_preference
    except AlertPreference.DoesNotExist:
        return AlertPreference(user=user, digest=False, language=settings.LANGUAGE_CODE)


def inbox_for_user(user) -> QuerySet[AlertDelivery]:
    """The user's inbox items, newest alert first, with what a list shows in one query."""
    return (
        AlertDelivery.objects.filter(user=user, channel=Channel.INBOX)
        .select_related(*(f"alert__{name}" for name in ALERT_RELATED))
        .order_by("-alert__moment", "-id")
    )


def inbox_unread_count(user) -> int:
    return AlertDelivery.objects.filter(
        user=user, channel=Channel.INBOX, read_at__isnull=True
    ).count()


def alerts_for_user(user) -> QuerySet[Alert]:
    """Alerts the user was sent through any channel, newest first, each with
    `inbox_read_at`: when the user read it in the inbox (None while unread)."""
    received = AlertDelivery.objects.filter(alert=OuterRef("pk"), user=user)
    inbox = received.filter(channel=Channel.INBOX).order_by().values("read_at")[:1]
    return (
        # EXISTS rather than a join and DISTINCT: each alert once, without comparing
        # whole rows (with their obligation, paragraph and resolution) to drop duplicates.
        Alert.objects.filter(Exists(received))
        .annotate(inbox_read_at=Subquery(inbox))
        .select_related(*ALERT_RELATED)
        .order_by("-moment", "-id")
    )


def alerts_with_deliveries_for_user(user) -> QuerySet[Alert]:
    """`alerts_for_user`, each with the user's own deliveries of it in `user_deliveries`
    (never anyone else's: a manager's alert also went to analysts and followers)."""
    own = AlertDelivery.objects.filter(user=user).select_related("webhook").order_by("id")
    return alerts_for_user(user).prefetch_related(
        Prefetch("deliveries", queryset=own, to_attr="user_deliveries")
    )


def alerts_by_ids(ids: list[int]) -> QuerySet[Alert]:
    """Alerts in the order they fell due, with their recipients (for the scan's report)."""
    return (
        Alert.objects.filter(pk__in=ids)
        .select_related(*ALERT_RELATED)
        .prefetch_related("deliveries__user")
        .order_by("moment", "id")
    )


def subscriptions_for_user(user) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related("actor", "resolution")


def subscribable_resolutions() -> QuerySet[Resolution]:
    """Only resolutions with text have obligations; following a cited-only one would
    never alert."""
    return Resolution.objects.filter(paragraphs__isnull=False).distinct()


def webhooks_for_user(user) -> QuerySet[Webhook]:
    return Webhook.objects.filter(owner=user).order_by("id")


def webhook_log_for_user(user, *, limit: int = 20) -> QuerySet[AlertDelivery]:
    """The latest deliveries to the user's webhooks: the delivery log."""
    return (
        AlertDelivery.objects.filter(user=user, channel=Channel.WEBHOOK)
        .select_related("webhook", "alert__deadline__schedule")
        .order_by("-id")[:limit]
    )
