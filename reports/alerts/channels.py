"""Outbound channels: one e-mail per alert, a daily digest e-mail, signed webhook POSTs.

The in-app inbox needs no sending: its delivery row is the inbox item. Every outcome is
written on the delivery row (status, attempts, last error), so failures are visible in the
admin and on the subscriptions page, retried with backoff by later ticks, and never raise
out of the worker.
"""

import contextlib
import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import smtplib
import urllib.error
import urllib.request
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.alerts import rules
from reports.alerts.enums import Channel, DeliveryStatus
from reports.alerts.models import AlertDelivery
from reports.alerts.selectors import preference_for
from reports.alerts.wording import absolute_link, item_for
from reports.enums import DeadlineState

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Mandate-Signature"
DELIVERY_RELATED = [
    "alert__deadline__schedule__obligation__paragraph__resolution",
    "alert__deadline__schedule__obligation__owner",
    "user__alert_preference",
    "webhook",
]


class DeliveryError(Exception):
    """A channel refused a delivery (HTTP error status, redirect, bad scheme)."""


# What a channel may raise when the other side fails; anything else is a bug and surfaces.
DELIVERY_ERRORS = (OSError, smtplib.SMTPException, http.client.HTTPException, DeliveryError)


def send(delivery_ids: list[int]) -> None:
    """Send the deliveries among `delivery_ids` that are still pending.

    1. E-mails and webhooks one by one, each under its own row lock (SKIP LOCKED): a
       second copy of the message, or a second worker, finds nothing left to send.
    2. Digest entries grouped per user into one e-mail.
    A delivery whose deadline was delivered or waived since the alert is skipped (settled
    deadlines stop alerting at once), and so is one whose recipient, address or webhook is
    gone.
    """
    pending = AlertDelivery.objects.filter(
        pk__in=delivery_ids, status=DeliveryStatus.PENDING
    ).values_list("id", "channel", "user_id")
    singles, digests, mails = [], defaultdict(list), False
    for pk, channel, user_id in pending.order_by("id"):
        if channel == Channel.DIGEST:
            digests[user_id].append(pk)
        else:
            singles.append(pk)
        mails = mails or channel != Channel.WEBHOOK
    mail = get_connection()
    if mails:
        # One SMTP session for the whole batch. If it cannot open, each message tries
        # again itself and records why it failed.
        with contextlib.suppress(*DELIVERY_ERRORS):
            mail.open()
    try:
        for pk in singles:
            _send_one(pk, mail)
        for user_id, ids in digests.items():
            _send_digest(user_id, ids, mail)
    finally:
        mail.close()


def _locked(queryset):
    return (
        queryset.filter(status=DeliveryStatus.PENDING)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related(*DELIVERY_RELATED)
    )


def _reason_to_skip(delivery: AlertDelivery) -> str:
    """Why this delivery should no longer go out (things changed since the fan-out)."""
    if delivery.alert.deadline.state != DeadlineState.OPEN:
        return _("The deadline was settled.")
    if not delivery.user.is_active:
        return _("The recipient's account is inactive.")
    if delivery.channel == Channel.WEBHOOK and not delivery.webhook.active:
        return _("The webhook is inactive.")
    if delivery.channel != Channel.WEBHOOK and not delivery.user.email:
        return _("The recipient has no e-mail address.")
    return ""


def _send_one(pk: int, mail) -> None:
    with transaction.atomic():
        delivery = _locked(AlertDelivery.objects.filter(pk=pk)).first()
        if delivery is None:
            return
        if reason := _reason_to_skip(delivery):
            _record(delivery, DeliveryStatus.SKIPPED, error=reason)
            return
        try:
            if delivery.channel == Channel.WEBHOOK:
                post_webhook(delivery)
            elif not mail.send_messages([alert_email(delivery)]):
                raise DeliveryError("The mail backend sent nothing.")
        except DELIVERY_ERRORS as error:
            _record_failure([delivery], error)
        else:
            _record(delivery, DeliveryStatus.SENT)


def _send_digest(user_id: int, ids: list[int], mail) -> None:
    with transaction.atomic():
        deliveries = list(
            _locked(AlertDelivery.objects.filter(pk__in=ids, user_id=user_id)).order_by(
                "alert__moment", "id"
            )
        )
        live = []
        for delivery in deliveries:
            if reason := _reason_to_skip(delivery):
                _record(delivery, DeliveryStatus.SKIPPED, error=reason)
            else:
                live.append(delivery)
        if not live:
            return
        try:
            if not mail.send_messages([digest_email(live[0].user, live)]):
                raise DeliveryError("The mail backend sent nothing.")
        except DELIVERY_ERRORS as error:
            _record_failure(live, error)
        else:
            for delivery in live:
                _record(delivery, DeliveryStatus.SENT)


def _record(delivery: AlertDelivery, status: str, *, error: str = "") -> None:
    """Close a delivery: sent (one more attempt) or skipped (none made)."""
    delivery.status = status
    delivery.next_attempt_at = None
    delivery.last_error = error
    if status == DeliveryStatus.SENT:
        delivery.attempts += 1
        delivery.sent_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "sent_at"])


def _record_failure(deliveries: list[AlertDelivery], error: Exception) -> None:
    """Count the attempt; retry after a growing delay, or give up as failed (visible)."""
    message = f"{type(error).__name__}: {error}"[:1000]
    for delivery in deliveries:
        delivery.attempts += 1
        delivery.last_error = message
        delay = rules.retry_after(delivery.attempts)
        if delay is None:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = timezone.now() + delay
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
        logger.warning(
            "Alert delivery %s (%s) failed, attempt %s: %s",
            delivery.pk,
            delivery.channel,
            delivery.attempts,
            message,
        )


# E-mail


def _render(template: str, context: dict) -> str:
    return render_to_string(f"emails/{template}", context)


def _message(user, language: str, name: str, context: dict) -> EmailMultiAlternatives:
    """Subject, plain text and HTML from templates/emails/<name>*, in `language`."""
    path = reverse("reports:subscriptions")
    context = {**context, "settings_link": f"{settings.SITE_URL.rstrip('/')}{path}"}
    subject = " ".join(_render(f"{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=_render(f"{name}.txt", context),
        to=[user.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(_render(f"{name}.html", context), "text/html")
    return message


def alert_email(delivery: AlertDelivery) -> EmailMultiAlternatives:
    language = preference_for(delivery.user).language
    with translation.override(language):
        context = {"user": delivery.user, "item": item_for(delivery.alert), "language": language}
        return _message(delivery.user, language, "alert", context)


def digest_email(user, deliveries: list[AlertDelivery]) -> EmailMultiAlternatives:
    language = preference_for(user).language
    with translation.override(language):
        context = {
            "user": user,
            "items": [item_for(d.alert) for d in deliveries],
            "language": language,
        }
        return _message(user, language, "digest", context)


# Webhooks


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_payload(delivery: AlertDelivery) -> dict:
    alert = delivery.alert
    deadline = alert.deadline
    obligation = deadline.schedule.obligation
    return {
        "event": "deadline.alert",
        "delivery": delivery.pk,
        "alert": {
            "id": alert.pk,
            "kind": alert.kind,
            "rule": alert.rule,
            "moment": alert.moment.astimezone(dt.UTC).isoformat(),
            "escalated": alert.escalated,
        },
        "deadline": {
            "id": deadline.pk,
            "sequence": deadline.sequence,
            "label": deadline.schedule.label,
            "scheduled_on": alert.scheduled_on.isoformat(),
            "state": deadline.state,
        },
        "obligation": {
            "id": obligation.pk,
            "key": obligation.key,
            "summary": obligation.summary,
            "owner": str(obligation.owner),
            "paragraph": obligation.paragraph.number,
            "resolution": obligation.paragraph.resolution.symbol,
            "url": absolute_link(alert),
        },
    }


def _opener() -> urllib.request.OpenerDirector:
    """HTTP(S) only, and no redirect handler: a 3xx is an error, never followed."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def post_webhook(delivery: AlertDelivery) -> None:
    url = delivery.webhook.url
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryError(f"Only http and https URLs are called, not {url!r}.")
    body = json.dumps(webhook_payload(delivery), ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "MandateTracker-Webhook/1",
            SIGNATURE_HEADER: sign(delivery.webhook.secret, body),
            "X-Mandate-Delivery": str(delivery.pk),
        },
    )
    try:
        with _opener().open(request, timeout=settings.ALERT_WEBHOOK_TIMEOUT):
            pass
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise DeliveryError(f"HTTP {error.code}: redirects are not followed.") from error
        raise DeliveryError(f"HTTP {error.code}") from error
