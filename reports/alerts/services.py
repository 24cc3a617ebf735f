"""Every write a user makes about alerts: subscriptions, webhooks, preferences, the inbox.

Each service checks the role itself, so the pages and the API that call them cannot
forget to. Alerts and deliveries themselves are written only by the scan (`scan.py`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paragraphs import roles
from paragraphs.models import Actor, Resolution
from reports.alerts import outbound
from reports.alerts.enums import Channel
from reports.alerts.models import AlertDelivery, AlertPreference, Subscription, Webhook


@transaction.atomic
def subscription_create(
    *, user, actor: Actor | None = None, resolution: Resolution | None = None
) -> Subscription:
    """Follow an actor's obligations, a resolution's, or an actor's within a resolution."""
    roles.require_viewer(user)
    if actor is None and resolution is None:
        raise ValidationError(_("Choose an actor, a resolution, or both."))
    subscription = Subscription(user=user, actor=actor, resolution=resolution)
    try:
        # A savepoint, so a duplicate leaves the caller's transaction usable.
        with transaction.atomic():
            subscription.save()
    except IntegrityError:
        raise ValidationError(_("You already follow this.")) from None
    return subscription


@transaction.atomic
def subscription_delete(*, user, subscription_id: int) -> None:
    """Stop following; only one's own subscriptions (others' are "not found")."""
    roles.require_viewer(user)
    deleted, _rows = Subscription.objects.filter(pk=subscription_id, user=user).delete()
    if not deleted:
        raise Subscription.DoesNotExist


def webhook_create(*, owner, url: str) -> Webhook:
    """Register a URL for signed alert POSTs.

    1. Only managers add webhooks.
    2. The URL must be http or https, and its host must resolve to public addresses only
       (`outbound.resolve_public`; the worker checks again at every call). The lookup
       happens before any transaction opens, since DNS can take seconds.
    3. Save it; a URL the owner already has is refused.
    """
    if not roles.can_manage_webhooks(owner):
        raise PermissionDenied(_("Only managers can add webhooks."))
    url = (url or "").strip()
    invalid = ValidationError(_("Enter a valid http or https URL."), code="invalid")
    if len(url) > Webhook._meta.get_field("url").max_length:
        raise invalid
    try:
        outbound.resolve_public(url)
    except outbound.InvalidURL:
        raise invalid from None
    except outbound.HostNotFound:
        raise ValidationError(
            _("No address was found for %(host)s."),
            code="not_found",
            params={"host": urlsplit(url).hostname},
        ) from None
    except outbound.NotPublic:
        raise ValidationError(
            _("This address is not public: %(host)s."),
            code="not_public",
            params={"host": urlsplit(url).hostname},
        ) from None
    webhook = Webhook(owner=owner, url=url)
    try:
        # A savepoint, so a duplicate leaves the caller's transaction usable.
        with transaction.atomic():
            webhook.save()
    except IntegrityError:
        raise ValidationError(_("You already have this webhook."), code="unique") from None
    return webhook


@transaction.atomic
def webhook_delete(*, owner, webhook_id: int) -> None:
    """Remove one of one's webhooks, with its delivery log."""
    if not roles.can_manage_webhooks(owner):
        raise PermissionDenied(_("Only managers can remove webhooks."))
    deleted, _rows = Webhook.objects.filter(pk=webhook_id, owner=owner).delete()
    if not deleted:
        raise Webhook.DoesNotExist


@transaction.atomic
def alert_preference_update(*, user, digest: bool, language: str) -> AlertPreference:
    roles.require_viewer(user)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("“%(value)s” is not offered.") % {"value": language}})
    preference, _created = AlertPreference.objects.update_or_create(
        user=user, defaults={"digest": digest, "language": language}
    )
    return preference


def inbox_mark_read(*, user, delivery_id: int) -> AlertDelivery:
    """Mark one of one's inbox items read (again is harmless); others' are "not found"."""
    return _inbox_item_mark_read(user, pk=delivery_id)


def inbox_mark_alert_read(*, user, alert_id: int) -> AlertDelivery:
    """The same, for the API, which names the alert rather than the inbox item."""
    return _inbox_item_mark_read(user, alert_id=alert_id)


def _inbox_item_mark_read(user, **lookup) -> AlertDelivery:
    roles.require_viewer(user)
    item = AlertDelivery.objects.get(user=user, channel=Channel.INBOX, **lookup)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return item


def inbox_mark_all_read(*, user) -> int:
    """Mark every unread item of one's inbox read; returns how many were unread."""
    roles.require_viewer(user)
    return AlertDelivery.objects.filter(
        user=user, channel=Channel.INBOX, read_at__isnull=True
    ).update(read_at=timezone.now())
