"""Times the alert scan over a large portfolio next to the floor, in the same run.

The floor is one SQL query selecting the same due set the scan reads (open deadlines whose
alert cursor has passed, with their schedule's settings). The scan must also compute the
moments, insert the ledger rows and move the cursors; the per-row ORM loop it replaces
(get_or_create per alert, save per deadline) is timed on the same due set for comparison.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mt_alerts \\
    REDIS_URL=redis://127.0.0.1:6379/7 DJANGO_SECRET_KEY=bench DJANGO_DEBUG=0 \\
    .venv/bin/python benchmarks/alerts_scan.py --deadlines 100000

It migrates the database, replaces any synthetic data with a fresh portfolio
(generate_scale_data), empties the alert ledger, and FLUSHes the Redis database of
REDIS_URL (the broker whose messages it counts). Use a database and a Redis database of
your own. Each scan is timed committed (its deferred foreign-key checks and the commit
included), then undone (its alerts deleted, the cursors put back, the tables vacuumed), so
that every run starts from the same state. It prints the best of the runs, and the
ratio of each scan to the floor timed just before and after it (their median and range):
on a shared machine whose speed drifts, the best floor and the best scan may come from
different moments, while a pair shares one.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mandate_tracker.settings")

import django

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from paragraphs.models import Actor  # noqa: E402
from reports.alerts import dispatch, fan_out, rules, scan  # noqa: E402
from reports.alerts.models import Alert, AlertDelivery, Subscription  # noqa: E402
from reports.models import Deadline  # noqa: E402
from reports.scale import SYNTHETIC_ACTOR_PREFIX  # noqa: E402

FLOOR_SQL = """
SELECT d.id, d.scheduled_on, d.next_alert_at, s.lead_days, s.overdue_every_days
FROM reports_deadline d JOIN reports_schedule s ON s.id = d.schedule_id
WHERE d.state = 'open' AND d.next_alert_at <= %s
"""


def best_of(repeat: int, function, undo=None):
    """Best wall-clock time of `repeat` committed runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
        if undo is not None:
            undo(result)
    return best, result


def paired(repeat: int, floor_function, scan_function, undo):
    """Each scan next to the floor timed just before and just after it, so that the drift
    of a shared machine's speed over a run weighs on both alike; the ratio of each pair."""
    pairs, result = [], None
    for _ in range(repeat):
        before = _timed(floor_function)
        started = time.perf_counter()
        result = scan_function()
        elapsed = time.perf_counter() - started
        undo(result)
        pairs.append(elapsed / ((before + _timed(floor_function)) / 2))
    return sorted(pairs), result


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def floor(now):
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [now])
        return cursor.fetchall()


def undo_scan(now):
    """Put the ledger and the cursors back as they were before scanning at `now`."""
    saved = list(
        Deadline.objects.open().filter(next_alert_at__lte=now).values_list("id", "next_alert_at")
    )

    def undo(_result):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM reports_alert")
            cursor.execute(
                "UPDATE reports_deadline AS d SET next_alert_at = s.at "
                "FROM unnest(%s::bigint[], %s::timestamptz[]) AS s (id, at) WHERE d.id = s.id",
                [[pk for pk, _at in saved], [at for _pk, at in saved]],
            )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE reports_deadline, reports_alert")

    return undo


def per_row_loop(now):
    """What the set-based scan replaces: one get_or_create per alert, one save per deadline."""
    created = 0
    for deadline in (
        Deadline.objects.open().filter(next_alert_at__lte=now).select_related("schedule")
    ):
        plan = deadline.alert_plan()
        for moment in rules.moments_between(plan, deadline.next_alert_at, now):
            _alert, new = Alert.objects.get_or_create(
                deadline=deadline,
                rule=moment.rule,
                moment=moment.at,
                defaults={
                    "kind": moment.kind,
                    "scheduled_on": deadline.scheduled_on,
                    "raised_at": now,
                },
            )
            created += new
        deadline.next_alert_at = rules.next_moment(plan, after=now)
        deadline.save(update_fields=["next_alert_at"])
    return created


def prepare(deadlines: int, today: dt.date) -> None:
    call_command("migrate", verbosity=0)
    AlertDelivery.objects.all().delete()
    Alert.objects.all().delete()
    User.objects.filter(username__startswith="bench-").delete()
    call_command("generate_scale_data", "--remove", verbosity=0)
    call_command(
        "generate_scale_data",
        "--resolutions",
        str(max(1, deadlines // 200)),
        "--obligations",
        str(max(1, deadlines // 5)),
        "--deadlines",
        str(deadlines),
        "--today",
        today.isoformat(),
    )
    # Recipients: one follower per synthetic actor and three managers (escalations).
    viewer = Group.objects.get(name="viewer")
    manager = Group.objects.get(name="manager")
    for actor in Actor.objects.filter(code__startswith=SYNTHETIC_ACTOR_PREFIX):
        user = User.objects.create(username=f"bench-{actor.code}", email=f"{actor.code}@x.test")
        user.groups.add(viewer)
        Subscription.objects.create(user=user, actor=actor)
    for n in range(3):
        user = User.objects.create(username=f"bench-manager-{n}", email=f"m{n}@x.test")
        user.groups.add(manager)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL (DATABASE_URL).")
    today = timezone.localdate()
    if not args.skip_generate:
        started = time.perf_counter()
        prepare(args.deadlines, today)
        print(f"Generated {args.deadlines} deadlines in {time.perf_counter() - started:.0f}s")
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.flushdb()
    zone = timezone.get_default_timezone()
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time()), zone)
    total = Deadline.objects.count()
    open_ = Deadline.objects.open().count()
    print(f"{total} deadlines, {open_} open; PostgreSQL, {os.cpu_count()} CPUs shared.\n")

    rows = []
    for label, now in [
        ("first tick of a day (09:05)", start_of_today + dt.timedelta(hours=9, minutes=5)),
        ("catch-up after a week without ticks", start_of_today + dt.timedelta(days=7)),
    ]:
        undo = undo_scan(now)
        floor_time, due = best_of(args.repeat, lambda now=now: floor(now))
        scan_time, result = best_of(args.repeat, lambda now=now: scan.scan(now=now), undo)
        ratios, _result = paired(
            args.repeat, lambda now=now: floor(now), lambda now=now: scan.scan(now=now), undo
        )
        loop_time, loop_created = best_of(1, lambda now=now: per_row_loop(now), undo)
        assert loop_created == len(result.alert_ids)
        rows.append(
            (label, len(due), len(result.alert_ids), floor_time, scan_time, ratios, loop_time)
        )

    # Then one real tick at 09:05: the first scan, the same scan again with nothing new,
    # the fan-out of the new alerts and the dispatch with the messages it publishes.
    now = start_of_today + dt.timedelta(hours=9, minutes=5)
    floor_time, due = best_of(args.repeat, lambda: floor(now))
    first_time, first = best_of(1, lambda: scan.scan(now=now))
    repeat_time, again = best_of(args.repeat, lambda: scan.scan(now=now))
    empty_floor_time, _rows = best_of(args.repeat, lambda: floor(now))
    fan_time, deliveries = best_of(1, lambda: fan_out.fan_out(now=now))
    dispatch_time, messages = best_of(1, lambda: dispatch.dispatch(now=now))
    queued = broker.llen("celery")
    broker.flushdb()

    print(
        "| Scan (committed) | due deadlines | alerts | floor, best | scan, best | "
        "best / best | paired ratios: median (range) | per-row ORM loop | loop / scan |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, due_n, alerts, floor_t, scan_t, ratios, loop_t in rows:
        print(
            f"| {label} | {due_n} | {alerts} | {floor_t * 1000:.1f} ms | "
            f"{scan_t * 1000:.1f} ms | {scan_t / floor_t:.1f}× | "
            f"**{statistics.median(ratios):.1f}×** ({ratios[0]:.1f}–{ratios[-1]:.1f}) | "
            f"{loop_t:.2f} s | {loop_t / scan_t:.0f}× |"
        )
    print()
    print("| One tick at 09:05 | figure |")
    print("|---|---:|")
    print(f"| floor (same due set, {len(due)} rows) | {floor_time * 1000:.1f} ms |")
    print(
        f"| first scan: {len(first.alert_ids)} alerts | {first_time * 1000:.1f} ms "
        f"({first_time / floor_time:.1f}× floor) |"
    )
    print(
        f"| same scan again, nothing new ({len(again.alert_ids)} alerts) | "
        f"{repeat_time * 1000:.2f} ms ({repeat_time / floor_time:.2f}× floor; the floor "
        f"query itself now takes {empty_floor_time * 1000:.2f} ms) |"
    )
    print(f"| fan-out: {deliveries} deliveries | {fan_time * 1000:.0f} ms |")
    print(
        f"| dispatch: {messages} broker messages ({queued} in Redis) | "
        f"{dispatch_time * 1000:.0f} ms |"
    )


if __name__ == "__main__":
    main()
