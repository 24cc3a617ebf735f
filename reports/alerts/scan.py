"""The alert clock: scan deadlines into the ledger, fan alerts out, dispatch deliveries.

PostgreSQL is the source of truth and Celery beat only a clock: every step reads windows
("everything due by now that is not done yet"), so a lost tick, a flushed broker or a
killed worker is caught up by the next tick, and every write lands on a unique constraint,
so two ticks at once or a retried task never duplicate anything.
"""

import datetime as dt
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from celery import current_app
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from kombu.exceptions import OperationalError

from paragraphs.models import Obligation
from paragraphs.roles import MANAGER
from reports.alerts import rules
from reports.alerts.enums import AlertKind, Channel, DeliveryStatus
from reports.alerts.models import Alert, AlertDelivery, Subscription, Webhook
from reports.enums import DeadlineState
from reports.models import Deadline

logger = logging.getLogger(__name__)

SCAN_TASK = "reports.scan_deadlines"
SEND_TASK = "reports.send_deliveries"
# Any constant shared by all scanners; pg_try_advisory_xact_lock takes a bigint.
SCAN_LOCK_KEY = 2692_0006
# Rows per INSERT/UPDATE statement: with VALUES lists, well under SQLite's limit of 32766
# parameters; with PostgreSQL arrays, large, because the planner joins each statement's rows
# to the open deadlines in one pass whatever their number.
SQL_BATCH = 1000
ARRAY_BATCH = 50_000
FAN_OUT_BATCH = 5000
# Deliveries per broker message, and per tick: a tick publishes at most
# DISPATCH_LIMIT / MESSAGE_SIZE messages per channel; the rest waits for the next tick.
MESSAGE_SIZE = 200
DISPATCH_LIMIT = 10_000
# A claimed delivery is offered again if it is still pending this long after being
# published: the message was lost (broker flushed or down, worker killed).
LEASE = dt.timedelta(minutes=5)


@dataclass
class ScanResult:
    alert_ids: list[int] = field(default_factory=list)
    skipped: bool = False


@dataclass
class TickResult:
    scan: ScanResult
    deliveries: int
    messages: int


def tick(*, now: dt.datetime, replay: bool = False) -> TickResult:
    """One beat of the alert clock; the Celery task and `scan_deadlines` both run this.

    1. Scan: a ledger row for every alert moment in the window, under an advisory lock.
    2. Fan out: deliveries for the new alerts (and for any a crash left behind).
    3. Dispatch: claim due deliveries and publish them in batches once committed.
    """
    scanned = scan(now=now, replay=replay)
    deliveries = fan_out(now=now)
    messages = dispatch(now=now)
    return TickResult(scan=scanned, deliveries=deliveries, messages=messages)


def scan(*, now: dt.datetime, replay: bool = False) -> ScanResult:
    """Record every alert that fell due by `now` and is not in the ledger yet.

    1. Take the scan lock; if another scan holds it, skip (it is doing this very work).
    2. Read the candidates in one query: open deadlines whose cursor `next_alert_at` has
       passed (a window, so a scan that did not run for days catches up). A replay
       instead reads every deadline as it stood at `now` from its history, from its
       creation on: a deadline delivered after `now` was still open then.
    3. Compute each candidate's moments in its window with the pure rules.
    4. Move each cursor to the next moment, only where it still holds the value read in
       step 2: a deadline delivered or moved meanwhile keeps what its service wrote.
       A replay leaves the cursors of the present alone.
    5. Insert the alerts with ON CONFLICT DO NOTHING against the ledger's unique
       constraint, in the statement that moved (and so locked) their deadlines; the
       deadlines it did not move are locked on their own, then their alerts inserted.
       So a deadline deleted meanwhile gets no alert, and none can be deleted before the
       alerts that name it are committed (the ledger's reference is kept so, not by a
       per-row foreign-key check).
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if not _try_scan_lock(relax_commit=outermost):
            return ScanResult(skipped=True)
        return _scan_locked(now, replay)


def _scan_locked(now: dt.datetime, replay: bool) -> ScanResult:
    zone = timezone.get_default_timezone()
    # Deadlines created or moved together share a date, settings and cursor: their moments
    # are computed once, and written column by column (no tuple per alert).
    groups = defaultdict(list)
    for pk, scheduled_on, since, lead_days, every in _candidates(now, replay):
        groups[scheduled_on, lead_days, every, since].append(pk)
    alerts = ([], [], [], [], [])  # deadline, kind, rule, moment, scheduled date
    cursors = ([], [], [])  # deadline, next moment, the moment read
    lead_days_of = {}  # the JSON text of a schedule's lead days → the days
    for (scheduled_on, lead_days, every, since), ids in groups.items():
        if lead_days not in lead_days_of:
            lead_days_of[lead_days] = rules.normalise_lead_days(json.loads(lead_days))
        plan = rules.AlertPlan(
            scheduled_on=scheduled_on,
            zone=zone,
            lead_days=lead_days_of[lead_days],
            overdue_every_days=every,
        )
        moments, following = rules.window(plan, since, now)
        n = len(ids)
        for moment in moments:
            for column, value in zip(
                alerts[1:], (moment.kind, moment.rule, moment.at, scheduled_on), strict=True
            ):
                column.extend([value] * n)
            alerts[0].extend(ids)
        for column, value in zip(cursors, (ids, [following] * n, [since] * n), strict=True):
            column.extend(value)
    return ScanResult(alert_ids=_record(alerts, cursors, raised_at=now, move=not replay))


def _try_scan_lock(*, relax_commit: bool) -> bool:
    """Take the scan lock for this transaction, or say that another scan holds it.

    With `relax_commit` (the scan is the outermost transaction), its commit also does not
    wait for the disk (synchronous_commit off, for this transaction alone). A crash can
    then lose a scan that reported success, but never an alert: alerts and cursors are
    lost together, so the next scan raises the same alerts again. Nor does anything leave
    the system on the strength of a lost scan: fan-out and dispatch commit normally, and
    PostgreSQL writes its log in order, so their commits carry the scan's to the disk
    before any notification is sent. Inside a caller's transaction the setting would
    relax the caller's commit too, so it is left alone there.
    """
    if connection.vendor != "postgresql":
        # SQLite (make run) serialises writers itself; the constraints do the rest.
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s), "
            "CASE WHEN %s THEN set_config('synchronous_commit', 'off', true) END",
            [SCAN_LOCK_KEY, relax_commit],
        )
        return cursor.fetchone()[0]


def _candidates(now: dt.datetime, replay: bool):
    """(deadline id, scheduled date, window start, lead days as JSON text, overdue interval).

    Lead days come as text so that the scan decodes each distinct value once, not once
    per deadline.
    """
    lead_days = Cast("schedule__lead_days", TextField())
    if not replay:
        return (
            Deadline.objects.open()
            .filter(next_alert_at__lte=now)
            .values_list(
                "id", "scheduled_on", "next_alert_at", lead_days, "schedule__overdue_every_days"
            )
            .order_by()
        )
    records = Deadline.history.model.objects.filter(id=OuterRef("pk"))
    as_of = records.filter(history_date__lte=now).order_by("-history_date", "-history_id")
    return (
        Deadline.objects.annotate(
            state_then=Subquery(as_of.values("state")[:1]),
            scheduled_then=Subquery(as_of.values("scheduled_on")[:1]),
            created_at=Subquery(records.order_by("history_date").values("history_date")[:1]),
        )
        .filter(state_then=DeadlineState.OPEN)
        .values_list(
            "id", "scheduled_then", "created_at", lead_days, "schedule__overdue_every_days"
        )
        .order_by()
    )


def _chunks(items: list, size: int = SQL_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _column_chunks(columns: tuple[list, ...], size: int):
    """The same rows of every column, `size` at a time."""
    for start in range(0, len(columns[0]), size):
        yield tuple(column[start : start + size] for column in columns)


def _of_deadlines(alerts: tuple[list, ...], ids) -> tuple[list, ...]:
    """The rows of the alert columns that belong to these deadlines."""
    ids = set(ids)
    rows = [row for row, pk in enumerate(alerts[0]) if pk in ids]
    return tuple([column[row] for row in rows] for column in alerts)


def _record(alerts: tuple[list, ...], cursors: tuple[list, ...], *, raised_at, move) -> list:
    """Insert the alerts and move the cursors (`move`); the ids of the alerts that are new."""
    record = _record_with_arrays if connection.vendor == "postgresql" else _record_with_values
    with connection.cursor() as cursor:
        return sorted(record(cursor, alerts, cursors, raised_at=raised_at, move=move))


def _record_with_arrays(cursor, alerts, cursors, *, raised_at, move) -> list[int]:
    created = []
    for batch in _column_chunks(cursors, ARRAY_BATCH):
        # Each statement carries its deadlines' cursors and all of their alerts.
        ids = batch[0]
        batch_alerts = alerts if len(ids) == len(cursors[0]) else _of_deadlines(alerts, ids)
        moved = set()
        if move:
            new, moved = _raise_and_advance(cursor, batch_alerts, batch, raised_at)
            created += new
        if len(moved) < len(ids):
            held = [pk for pk in ids if pk not in moved]
            created += _raise_held(cursor, _of_deadlines(batch_alerts, held), held, raised_at)
    return created


def _record_with_values(cursor, alerts, cursors, *, raised_at, move) -> list[int]:
    # SQLite (`make run`) lets one writer in at a time: plain statements will do.
    created = []
    for batch in _column_chunks(alerts, SQL_BATCH):
        created += _insert_alerts_values(cursor, batch, raised_at)
    if move:
        for batch in _column_chunks(cursors, SQL_BATCH):
            _advance_cursors_values(cursor, batch)
    return created


# PostgreSQL: statements over unnest(arrays), one array parameter per column; they parse
# and plan far faster than thousands of VALUES parameters.
ALERT_TABLE = Alert._meta.db_table
DEADLINE_TABLE = Deadline._meta.db_table
NEW_ALERTS = (
    f"INSERT INTO {ALERT_TABLE} "
    "(deadline_id, kind, rule, moment, scheduled_on, raised_at, fanned_out) "
    "SELECT new.deadline_id, kind, rule, moment, scheduled_on, %s, false FROM unnest("
    "%s::bigint[], %s::varchar[], %s::varchar[], %s::timestamptz[], %s::date[]"
    ") AS new (deadline_id, kind, rule, moment, scheduled_on) "
)


def _array(values) -> str:
    """A PostgreSQL array literal, sent as one text parameter.

    psycopg2 sends a Python list as ARRAY['…'::timestamptz, …]: one adapted, parsed and
    cast constant per element, which for a day's alerts costs more than the insert itself.
    One literal is one string to quote and one array for the server to parse. Each distinct
    value is written once (a day's alerts share a handful of moments and rules).
    """
    texts = {}
    for value in set(values):
        if value is None:
            texts[value] = "NULL"
        elif isinstance(value, int):
            texts[value] = str(value)
        else:
            text = value.isoformat() if hasattr(value, "isoformat") else str(value)
            texts[value] = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "{" + ",".join(map(texts.__getitem__, values)) + "}"


def _raise_and_advance(cursor, alerts, cursors, raised_at) -> tuple[list[int], set[int]]:
    """One statement: move the cursors that still hold the value read, and insert the
    alerts of the deadlines it moved. Returns the new alerts' ids and the moved deadlines."""
    # The cursors read are all at or before the latest of them: that bound lets the
    # partial index on open cursors narrow the deadlines the update looks at.
    cursor.execute(
        "WITH moved AS ("
        f"UPDATE {DEADLINE_TABLE} AS d SET next_alert_at = c.following "
        "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) "
        "AS c (id, following, read) "
        "WHERE d.id = c.id AND d.next_alert_at = c.read AND d.state = %s "
        "AND d.next_alert_at <= %s RETURNING d.id"
        f"), raised AS ({NEW_ALERTS} JOIN moved ON moved.id = new.deadline_id "
        "ON CONFLICT (deadline_id, rule, moment) DO NOTHING RETURNING id) "
        "SELECT (SELECT array_agg(id) FROM raised), (SELECT array_agg(id) FROM moved)",
        [
            *map(_array, cursors),
            DeadlineState.OPEN.value,
            max(cursors[2]),
            raised_at,
            *map(_array, alerts),
        ],
    )
    new, moved = cursor.fetchone()
    return new or [], set(moved or ())


def _raise_held(cursor, alerts, ids, raised_at) -> list[int]:
    """Insert the alerts of deadlines whose cursors stay (a replay, or a deadline changed
    since it was read: its alerts fell due while it was open), holding the deadlines with
    a key-share lock so that none is deleted before the alerts are committed."""
    cursor.execute(
        f"WITH held AS (SELECT id FROM {DEADLINE_TABLE} WHERE id = ANY(%s::bigint[]) "
        f"FOR KEY SHARE) {NEW_ALERTS} JOIN held ON held.id = new.deadline_id "
        "ON CONFLICT (deadline_id, rule, moment) DO NOTHING RETURNING id",
        [_array(ids), raised_at, *map(_array, alerts)],
    )
    return [row[0] for row in cursor.fetchall()]


# SQLite (make run): the same statements with VALUES lists, which it understands too.


def _insert_alerts_values(cursor, batch, raised_at) -> list[int]:
    ops = connection.ops
    params = []
    for deadline_id, kind, rule, moment, scheduled_on in zip(*batch, strict=True):
        params += [
            deadline_id,
            str(kind),
            rule,
            ops.adapt_datetimefield_value(moment),
            ops.adapt_datefield_value(scheduled_on),
            ops.adapt_datetimefield_value(raised_at),
            False,
        ]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch[0]))
    cursor.execute(
        f"INSERT INTO {ALERT_TABLE} "
        "(deadline_id, kind, rule, moment, scheduled_on, raised_at, fanned_out) "
        f"VALUES {values} "
        "ON CONFLICT (deadline_id, rule, moment) DO NOTHING RETURNING id",
        params,
    )
    return [row[0] for row in cursor.fetchall()]


def _advance_cursors_values(cursor, batch) -> None:
    ops = connection.ops
    params = []
    for pk, following, read in zip(*batch, strict=True):
        params += [pk, *map(ops.adapt_datetimefield_value, (following, read))]
    values = ", ".join(["(%s, %s, %s)"] * len(batch[0]))
    # VALUES columns are called column1, column2... in SQLite (and PostgreSQL).
    cursor.execute(
        f"UPDATE {DEADLINE_TABLE} SET next_alert_at = v.column2 FROM (VALUES {values}) AS v "
        f"WHERE {DEADLINE_TABLE}.id = v.column1 AND {DEADLINE_TABLE}.next_alert_at = v.column3 "
        f"AND {DEADLINE_TABLE}.state = %s",
        [*params, DeadlineState.OPEN.value],
    )


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
    User = get_user_model()
    escalated = any(kind == AlertKind.OVERDUE for _pk, kind, _o in alerts)
    managers = (
        set(User.objects.filter(groups__name=MANAGER).values_list("id", flat=True))
        if escalated
        else set()
    )

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
        if kind == AlertKind.OVERDUE:
            users |= managers
        wanted[alert_id] = users

    candidates = set().union(*wanted.values())
    # The set-based form of roles.can_view: the same permission, through the same backend.
    eligible = {
        pk: (email, digest)
        for pk, email, digest in User.objects.with_perm(
            "paragraphs.view_obligation", backend="django.contrib.auth.backends.ModelBackend"
        )
        .filter(pk__in=candidates)
        .values_list("id", "email", "alert_preference__digest")
        .distinct()
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


def dispatch(*, now: dt.datetime) -> int:
    """Claim the deliveries due by `now` and publish them; returns the number of messages.

    1. Lock due pending deliveries (SKIP LOCKED, at most DISPATCH_LIMIT) and lease them:
       `next_attempt_at` moves LEASE ahead, so no other tick claims them meanwhile.
    2. Group them per channel into messages of MESSAGE_SIZE deliveries; a user's digest
       entries always travel together, so they make one e-mail.
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
    per_channel = defaultdict(list)
    digests = defaultdict(list)
    for pk, channel, user_id in claimed:
        if channel == Channel.DIGEST:
            digests[user_id].append(pk)
        else:
            per_channel[channel].append(pk)
    messages = [chunk for ids in per_channel.values() for chunk in _chunks(ids, MESSAGE_SIZE)]
    batch = []
    for ids in digests.values():
        if batch and len(batch) + len(ids) > MESSAGE_SIZE:
            messages.append(batch)
            batch = []
        batch += ids
    if batch:
        messages.append(batch)
    return messages


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
