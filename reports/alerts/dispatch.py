"""Dispatch: claim the deliveries that are due and publish them to the workers.

Deliveries are leased, not marked: a message the broker loses is offered again when its
lease runs out, and the worker sends only what is still pending, so nothing is lost and
nothing is sent twice.
"""

import datetime as dt
import logging
from collections import defaultdict

from celery import current_app
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from reports.alerts.enums import Channel, DeliveryStatus
from reports.alerts.models import AlertDelivery

logger = logging.getLogger(__name__)

SEND_TASK = "reports.send_deliveries"
# Deliveries per broker message, and per tick: a tick publishes at most
# DISPATCH_LIMIT / MESSAGE_SIZE messages per channel; the rest waits for the next tick.
MESSAGE_SIZE = 200
DISPATCH_LIMIT = 10_000
# A claimed delivery is offered again if it is still pending this long after being
# published: the message was lost (broker flushed or down, worker killed).
LEASE = dt.timedelta(minutes=5)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def dispatch(*, now: dt.datetime) -> int:
    """Claim the deliveries due by `now` and publish them; returns the number of messages.

    1. Lock due pending deliveries (SKIP LOCKED, at most DISPATCH_LIMIT) and lease them:
       `next_attempt_at` moves LEASE ahead, so no other tick claims them meanwhile.
    2. Group them per channel into messages of MESSAGE_SIZE deliveries (webhooks in
       smaller ones, `webhook_message_size`); a user's digest entries always travel
       together, so they make one e-mail. Mail goes first: a worker takes messages in
       order, so this tick's e-mail never waits behind its webhook calls.
    3. Publish once the lease is committed. If the broker is down or later loses the
       message, the lease runs out and a later tick publishes them again; the worker only
       sends what is still pending, so a second copy of a message sends nothing twice.
    """
    with transaction.atomic():
        claimed = list(
            AlertDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", "channel", "user_id")[:DISPATCH_LIMIT]
        )
        if not claimed:
            return 0
        AlertDelivery.objects.filter(pk__in=[pk for pk, _c, _u in claimed]).update(
            next_attempt_at=now + LEASE
        )
        messages = _messages(claimed)
        transaction.on_commit(lambda: _publish(messages))
    return len(messages)


def _messages(claimed: list[tuple]) -> list[list[int]]:
    """E-mail messages, then digest messages, then webhook messages."""
    per_channel = defaultdict(list)
    digests = defaultdict(list)
    for pk, channel, user_id in claimed:
        if channel == Channel.DIGEST:
            digests[user_id].append(pk)
        else:
            per_channel[channel].append(pk)
    webhooks = per_channel.pop(Channel.WEBHOOK, [])
    messages = [chunk for ids in per_channel.values() for chunk in _chunks(ids, MESSAGE_SIZE)]
    batch = []
    for ids in digests.values():
        if batch and len(batch) + len(ids) > MESSAGE_SIZE:
            messages.append(batch)
            batch = []
        batch += ids
    if batch:
        messages.append(batch)
    messages += _chunks(webhooks, webhook_message_size())
    return messages


def webhook_message_size() -> int:
    """As many webhook calls as fit in the lease if every receiver takes its full time.

    A message of webhooks then takes no longer than the lease even when every receiver is
    a tarpit, and the calls of a busy tick are shared among the workers. (Correctness does
    not depend on it: each call is claimed on its row, `channels._claim_webhook`.)
    """
    longest_call = settings.ALERT_WEBHOOK_CONNECT_TIMEOUT + settings.ALERT_WEBHOOK_TIMEOUT
    return max(1, min(MESSAGE_SIZE, int(LEASE.total_seconds() // max(longest_call, 1))))


def _publish(messages: list[list[int]]) -> None:
    for ids in messages:
        try:
            current_app.send_task(SEND_TASK, args=[ids])
        except (OperationalError, OSError) as error:
            # Nothing is lost: the lease runs out and the next tick offers them again.
            logger.warning(
                "Broker unavailable, %d alert messages wait for a later tick: %s",
                len(messages),
                error,
            )
            return
