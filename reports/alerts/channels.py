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
import ssl
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.alerts import dispatch, outbound, rules
from reports.alerts.enums import Channel, DeliveryStatus
from reports.alerts.models import AlertDelivery
from reports.alerts.selectors import preference_for
from reports.alerts.wording import absolute_link, item_for
from reports.enums import DeadlineState

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Mandate-Signature"
TIMESTAMP_HEADER = "X-Mandate-Timestamp"
DELIVERY_HEADER = "X-Mandate-Delivery"
DELIVERY_RELATED = [
    "alert__deadline__schedule__obligation__paragraph__resolution",
    "alert__deadline__schedule__obligation__owner",
    "user__alert_preference",
    "webhook",
]
# Beyond the longest webhook call: time for the outcome's transaction and for clocks that
# differ a little between workers.
IN_FLIGHT_MARGIN = dt.timedelta(minutes=1)


class DeliveryError(Exception):
    """A channel could not deliver. The message is what users may see; `detail` (the
    message unless given) is what the server log gets."""

    def __init__(self, message: str, *, detail: str = ""):
        super().__init__(message)
        self.detail = detail or message


# What a channel may raise when the other side fails; anything else is a bug and surfaces.
DELIVERY_ERRORS = (OSError, smtplib.SMTPException, http.client.HTTPException, DeliveryError)


def send(delivery_ids: list[int]) -> None:
    """Send the deliveries among `delivery_ids` that are still pending.

    1. E-mails one by one, each under its own row lock (SKIP LOCKED): a second copy of
       the message, or a second worker, finds nothing left to send.
    2. Digest entries grouped per user into one e-mail.
    3. Webhooks last, each claimed, called outside any transaction and then recorded
       (`_send_webhook`): a slow or silent receiver delays no e-mail and holds no lock.
    A delivery whose deadline was delivered or waived since the alert is skipped (settled
    deadlines stop alerting at once), and so is one whose recipient, address or webhook is
    gone.
    """
    pending = AlertDelivery.objects.filter(
        pk__in=delivery_ids, status=DeliveryStatus.PENDING
    ).values_list("id", "channel", "user_id")
    emails, digests, webhooks = [], defaultdict(list), []
    for pk, channel, user_id in pending.order_by("id"):
        if channel == Channel.DIGEST:
            digests[user_id].append(pk)
        elif channel == Channel.WEBHOOK:
            webhooks.append(pk)
        else:
            emails.append(pk)
    if emails or digests:
        _send_mail(emails, digests)
    for pk in webhooks:
        _send_webhook(pk)


def _send_mail(emails: list[int], digests: dict[int, list[int]]) -> None:
    mail = get_connection()
    # One SMTP session for the whole batch. If it cannot open, each message tries again
    # itself and records why it failed.
    with contextlib.suppress(*DELIVERY_ERRORS):
        mail.open()
    try:
        for pk in emails:
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
            if not mail.send_messages([alert_email(delivery)]):
                raise DeliveryError("The mail backend sent nothing.")
        except DELIVERY_ERRORS as error:
            _record_failure([delivery], _technical(error))
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
            _record_failure(live, _technical(error))
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


def _technical(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _record_failure(deliveries: list[AlertDelivery], message: str, *, detail: str = "") -> None:
    """Count the attempt; retry after a growing delay, or give up as failed (visible).

    `message` is recorded as the last error (users read it); the log gets `detail`
    instead when given (the technical error).
    """
    message = message[:1000]
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
            detail or message,
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


def _send_webhook(pk: int) -> None:
    """Call one webhook with no transaction open and no row locked while it runs.

    1. Claim it in a short transaction (`_claim_webhook`), or leave it to whoever has.
    2. Resolve and check its address, sign and POST, bounded by the connect and read
       timeouts.
    3. Record the outcome in a second short transaction, only if the delivery is still
       as claimed (pending, with the claim's next attempt time).
    """
    delivery = _claim_webhook(pk)
    if delivery is None:
        return
    failure = None
    try:
        post_webhook(delivery)
    except DeliveryError as error:
        failure = error
    with transaction.atomic():
        current = (
            AlertDelivery.objects.select_for_update()
            .filter(pk=pk, status=DeliveryStatus.PENDING, next_attempt_at=delivery.next_attempt_at)
            .first()
        )
        if current is None:
            logger.warning("Webhook delivery %s changed during its call; outcome dropped", pk)
        elif failure is None:
            _record(current, DeliveryStatus.SENT)
        else:
            _record_failure([current], str(failure), detail=failure.detail)


def _claim_webhook(pk: int) -> AlertDelivery | None:
    """Lock the delivery (SKIP LOCKED), check it is still wanted, and mark it in flight.

    In flight, a delivery stays pending with its next attempt pushed past the dispatch
    lease by more than the longest call: a second copy of the message claims only what is
    due within the lease, so it leaves this one alone, and if this worker dies mid-call
    a tick offers it again once that time has passed.
    """
    now = timezone.now()
    longest_call = dt.timedelta(
        seconds=settings.ALERT_WEBHOOK_CONNECT_TIMEOUT + settings.ALERT_WEBHOOK_TIMEOUT
    )
    with transaction.atomic():
        delivery = _locked(
            AlertDelivery.objects.filter(
                pk=pk, channel=Channel.WEBHOOK, next_attempt_at__lte=now + dispatch.LEASE
            )
        ).first()
        if delivery is None:
            return None
        if reason := _reason_to_skip(delivery):
            _record(delivery, DeliveryStatus.SKIPPED, error=reason)
            return None
        delivery.next_attempt_at = now + dispatch.LEASE + longest_call + IN_FLIGHT_MARGIN
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def sign(secret: str, timestamp: int, delivery_id: int, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256, keyed with the secret, of
    "<timestamp>.<delivery id>." followed by the raw body: a receiver can tell a replayed
    call (an old timestamp) and a call moved to another delivery id from a fresh one."""
    signed = f"{timestamp}.{delivery_id}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


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


def post_webhook(delivery: AlertDelivery) -> None:
    """POST the signed alert to the webhook; raise DeliveryError unless it answered 2xx.

    The URL is resolved and checked again now (it was at save, but DNS answers change),
    and the call goes to the address that was checked. A refused address is never
    contacted. The error users see is a fixed phrase; the technical one goes to the log.
    """
    body = json.dumps(webhook_payload(delivery), ensure_ascii=False).encode()
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "MandateTracker-Webhook/2",
        TIMESTAMP_HEADER: str(timestamp),
        DELIVERY_HEADER: str(delivery.pk),
        SIGNATURE_HEADER: sign(delivery.webhook.secret, timestamp, delivery.pk, body),
    }
    url = delivery.webhook.url
    try:
        target = outbound.resolve_public(url)
        status = outbound.post(
            target,
            body,
            headers,
            connect_timeout=settings.ALERT_WEBHOOK_CONNECT_TIMEOUT,
            read_timeout=settings.ALERT_WEBHOOK_TIMEOUT,
        )
    except (outbound.OutboundError, OSError, http.client.HTTPException) as error:
        raise DeliveryError(_call_failure(error), detail=f"{url}: {_technical(error)}") from error
    if 300 <= status < 400:
        raise DeliveryError(
            _(
                "Could not deliver: the receiver answered HTTP %(status)s; "
                "redirects are not followed."
            )
            % {"status": status},
            detail=f"{url}: HTTP {status}",
        )
    if not 200 <= status < 300:
        raise DeliveryError(
            _("Could not deliver: the receiver answered HTTP %(status)s.") % {"status": status},
            detail=f"{url}: HTTP {status}",
        )


def _call_failure(error: Exception) -> str:
    """What users may read about a failed call: a fixed phrase, never the exception's text,
    which would name internal addresses and what answered there (a port scanner)."""
    if isinstance(error, outbound.NotPublic):
        return _("Could not deliver: its address is not public.")
    if isinstance(error, outbound.HostNotFound):
        return _("Could not deliver: its host name was not found.")
    if isinstance(error, outbound.InvalidURL):
        return _("Could not deliver: it is not a valid http or https URL.")
    if isinstance(error, TimeoutError):
        return _("Could not deliver: the receiver timed out.")
    if isinstance(error, ConnectionRefusedError):
        return _("Could not deliver: the receiver refused the connection.")
    if isinstance(error, ssl.SSLCertVerificationError):
        return _("Could not deliver: the receiver's certificate could not be verified.")
    return _("Could not deliver: the connection failed.")
