"""The alert scan: record in the ledger every alert moment that fell due.

PostgreSQL is the source of truth: the scan reads a window ("every open deadline whose
alert cursor has passed"), so a scan that did not run for days catches up, and every alert
lands on the ledger's unique constraint, so two scans at once never duplicate one.
"""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from reports.alerts import rules
from reports.alerts.models import Alert
from reports.enums import DeadlineState
from reports.models import Deadline

# Any constant shared by all scanners; pg_try_advisory_xact_lock takes a bigint.
SCAN_LOCK_KEY = 2692_0006
# Rows per INSERT/UPDATE statement: with VALUES lists, well under SQLite's limit of 32766
# parameters; with PostgreSQL arrays, large, because the planner joins each statement's rows
# to the open deadlines in one pass whatever their number.
SQL_BATCH = 1000
ARRAY_BATCH = 50_000


@dataclass
class ScanResult:
    alert_ids: list[int] = field(default_factory=list)
    skipped: bool = False


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
    for pk, *settings in _candidates(now, replay):
        groups[tuple(settings)].append(pk)
    alerts = ([], [], [], [], [])  # deadline, kind, rule, moment, scheduled date
    cursors = ([], [], [])  # deadline, next moment, the moment read
    lead_days_of = {}  # the JSON text of a schedule's lead days → the days
    for (scheduled_on, since, lead_days, every, tolerance, period_end), ids in groups.items():
        if lead_days not in lead_days_of:
            lead_days_of[lead_days] = rules.normalise_lead_days(json.loads(lead_days))
        plan = rules.AlertPlan(
            scheduled_on=scheduled_on,
            zone=zone,
            lead_days=lead_days_of[lead_days],
            overdue_every_days=every,
            tolerance_days=tolerance,
            period_ends_on=period_end,
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
    """(deadline id, scheduled date, window start, lead days as JSON text, overdue
    interval, tolerance, the end of its mandate period).

    Lead days come as text so that the scan decodes each distinct value once, not once
    per deadline.
    """
    lead_days = Cast("schedule__lead_days", TextField())
    settings = (
        lead_days,
        "schedule__overdue_every_days",
        "schedule__tolerance_days",
        "schedule__obligation__paragraph__resolution__mandate_expires_on",
    )
    if not replay:
        return (
            Deadline.objects.open()
            .filter(next_alert_at__lte=now)
            .values_list("id", "scheduled_on", "next_alert_at", *settings)
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
        .values_list("id", "scheduled_then", "created_at", *settings)
        .order_by()
    )


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
