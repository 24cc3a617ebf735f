"""Fan-out: who receives each new alert, and through which channels.

One `AlertDelivery` per recipient and channel, under a unique constraint, so a repeated
fan-out only hits the constraint.
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from paragraphs import roles
from paragraphs.models import Obligation
from reports.alerts import rules
from reports.alerts.enums import AlertKind, Channel, DeliveryStatus
from reports.alerts.models import Alert, AlertDelivery, Subscription, Webhook

FAN_OUT_BATCH = 5000
SQL_BATCH = 1000


def fan_out(*, now: dt.datetime) -> int:
    """Create the deliveries of every alert whose recipients are not resolved yet.

    Returns how many deliveries were created. Batches are claimed with SKIP LOCKED, so
    two ticks share the work; the delivery constraints make a repeat a no-op.
    """
    created = 0
    while True:
        with transaction.atomic():
            alerts = list(
                Alert.objects.filter(fanned_out=False)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("id")
                .values_list(
                    "id",
                    "kind",
                    "deadline__schedule__obligation_id",
                )[:FAN_OUT_BATCH]
            )
            if not alerts:
                return created
            deliveries = _deliveries_for(alerts, now=now)
            AlertDelivery.objects.bulk_create(
                deliveries, batch_size=SQL_BATCH, ignore_conflicts=True
            )
            Alert.objects.filter(pk__in=[a[0] for a in alerts]).update(fanned_out=True)
            created += len(deliveries)


def _deliveries_for(alerts: list[tuple], *, now: dt.datetime) -> list[AlertDelivery]:
    """Who receives each alert, and through which channels, in a fixed number of queries.

    Recipients: the assigned analyst always; users subscribed to the obligation's owner or
    a contributor, to its resolution, or to both at once; managers when it is overdue.
    Only active users who may view obligations receive anything. Each gets the inbox, an
    e-mail (or a digest entry) when they have an address, and a POST to each of their
    active webhooks.
    """
    obligation_ids = {obligation_id for _pk, _kind, obligation_id in alerts}
    obligations = {
        pk: (owner_id, resolution_id, analyst_id)
        for pk, owner_id, resolution_id, analyst_id in Obligation.objects.filter(
            pk__in=obligation_ids
        ).values_list("id", "owner_id", "paragraph__resolution_id", "assigned_analyst_id")
    }
    actors = defaultdict(set)
    for obligation_id, (owner_id, _resolution, _analyst) in obligations.items():
        actors[obligation_id].add(owner_id)
    for obligation_id, actor_id in Obligation.contributors.through.objects.filter(
        obligation_id__in=obligation_ids
    ).values_list("obligation_id", "actor_id"):
        actors[obligation_id].add(actor_id)
    all_actors = set().union(*actors.values())
    resolutions = {resolution_id for _o, resolution_id, _a in obligations.values()}
    subscriptions = list(
        Subscription.objects.filter(
            Q(actor_id__in=all_actors) | Q(resolution_id__in=resolutions)
        ).values_list("user_id", "actor_id", "resolution_id")
    )
    escalated = any(AlertKind(kind).escalated for _pk, kind, _o in alerts)
    managers = set(roles.managers().values_list("id", flat=True)) if escalated else set()

    wanted = {}
    for alert_id, kind, obligation_id in alerts:
        owner_id, resolution_id, analyst_id = obligations[obligation_id]
        users = {
            user_id
            for user_id, actor_id, sub_resolution_id in subscriptions
            if (actor_id is None or actor_id in actors[obligation_id])
            and (sub_resolution_id is None or sub_resolution_id == resolution_id)
        }
        if analyst_id is not None:
            users.add(analyst_id)
        if AlertKind(kind).escalated:
            users |= managers
        wanted[alert_id] = users

    candidates = set().union(*wanted.values())
    eligible = {
        pk: (email, digest)
        for pk, email, digest in roles.viewers()
        .filter(pk__in=candidates)
        .values_list("id", "email", "alert_preference__digest")
    }
    webhooks = defaultdict(list)
    for webhook_id, owner_id in Webhook.objects.filter(
        owner_id__in=eligible, active=True
    ).values_list("id", "owner_id"):
        webhooks[owner_id].append(webhook_id)

    digest_at = rules.next_digest_at(now, timezone.get_default_timezone())
    deliveries = []
    for alert_id, users in wanted.items():
        for user_id in sorted(users & eligible.keys()):
            email, digest = eligible[user_id]
            deliveries.append(
                AlertDelivery(
                    alert_id=alert_id,
                    user_id=user_id,
                    channel=Channel.INBOX,
                    status=DeliveryStatus.SENT,
                    sent_at=now,
                )
            )
            if email:
                deliveries.append(
                    AlertDelivery(
                        alert_id=alert_id,
                        user_id=user_id,
                        channel=Channel.DIGEST if digest else Channel.EMAIL,
                        next_attempt_at=digest_at if digest else now,
                    )
                )
            deliveries += [
                AlertDelivery(
                    alert_id=alert_id,
                    user_id=user_id,
                    channel=Channel.WEBHOOK,
                    webhook_id=webhook_id,
                    next_attempt_at=now,
                )
                for webhook_id in webhooks[user_id]
            ]
    return deliveries
