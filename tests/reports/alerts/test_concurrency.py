"""Alert-once under real concurrency: threads with their own PostgreSQL connections.

These tests commit (transactional database), so each thread sees what the others wrote,
as two beat processes or two workers would.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections, transaction

from reports.alerts import clock as alert_clock
from reports.alerts import rules, scan
from reports.alerts.models import Alert, AlertDelivery
from reports.models import Deadline
from reports.services import deadline_deliver
from tests.reports.alerts.conftest import new_york, open_deadline, queued_messages

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]
DUE = dt.date(2023, 8, 13)
CREATED = new_york(2023, 7, 14, 12)


def run_together(*targets):
    """Run the callables in threads released at the same instant; return their results."""
    barrier = threading.Barrier(len(targets))
    results, errors = [None] * len(targets), []

    def run(index, target):
        try:
            barrier.wait()
            results[index] = target()
        except BaseException as error:  # re-raised in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def one_clean_scan(deadlines, now) -> int:
    """How many alerts one scan makes: every moment from each creation up to `now`."""
    return sum(len(rules.moments_between(d.alert_plan(), CREATED, now)) for d in deadlines)


@pytest.fixture
def reports(frozen_clock, analyst):
    """Twenty reports assigned to the analyst (who has an e-mail address)."""
    frozen_clock.move_to(CREATED)
    analyst.email = "ana@example.org"
    analyst.save(update_fields=["email"])
    deadlines = [open_deadline(DUE + dt.timedelta(days=n)) for n in range(20)]
    for deadline in deadlines:
        obligation = deadline.schedule.obligation
        obligation.assigned_analyst = analyst
        obligation.save(update_fields=["assigned_analyst"])
    return deadlines


def test_two_ticks_at_once_raise_and_deliver_each_alert_once(reports, broker):
    now = new_york(2023, 8, 13, 9, 5)

    first, second = run_together(
        lambda: alert_clock.tick(now=now), lambda: alert_clock.tick(now=now)
    )

    raised = first.scan.alert_ids + second.scan.alert_ids
    expected = one_clean_scan(reports, now)
    assert sorted(raised) == sorted(Alert.objects.values_list("id", flat=True))
    assert len(raised) == Alert.objects.count() == expected
    assert AlertDelivery.objects.count() == 2 * expected  # inbox + e-mail each
    published = [pk for _task, (ids,) in queued_messages(broker) for pk in ids]
    assert sorted(published) == sorted(
        AlertDelivery.objects.filter(channel="email").values_list("id", flat=True)
    )


def test_a_scan_skips_while_another_holds_the_lock(reports):
    holding, release = threading.Event(), threading.Event()

    def other_scan():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [scan.SCAN_LOCK_KEY])
            holding.set()
            release.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=other_scan)
    thread.start()
    holding.wait(timeout=30)
    now = new_york(2023, 8, 20, 12)
    try:
        while_held = scan.scan(now=now)
    finally:
        release.set()
        thread.join(timeout=30)
    after = scan.scan(now=now)

    assert (while_held.skipped, while_held.alert_ids) == (True, [])
    assert (after.skipped, len(after.alert_ids)) == (False, one_clean_scan(reports, now))


def _waiting_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_delivery_during_a_scan_keeps_the_deadline_silent(reports, analyst, frozen_clock):
    deadline = reports[0]
    frozen_clock.move_to(new_york(2023, 8, 1, 9, 30))
    delivering, release = threading.Event(), threading.Event()
    outcome = {}

    def deliver_slowly():
        with transaction.atomic():
            deadline_deliver(deadline=deadline, circulated_on=dt.date(2023, 8, 1), by=analyst)
            delivering.set()
            release.wait(timeout=30)
        connection.close()

    def scan_meanwhile():
        outcome["scan"] = scan.scan(now=new_york(2023, 8, 1, 9, 30))  # lead-14d is due
        connection.close()

    delivery = threading.Thread(target=deliver_slowly)
    delivery.start()
    delivering.wait(timeout=30)
    scanner = threading.Thread(target=scan_meanwhile)
    scanner.start()
    # The scan read the deadline as still open and now waits for the delivery's row lock.
    for _ in range(300):
        if _waiting_on_a_lock():
            break
        time.sleep(0.01)
    waited = _waiting_on_a_lock()
    release.set()
    delivery.join(timeout=30)
    scanner.join(timeout=30)

    deadline.refresh_from_db()
    assert waited
    # The scan saw it open (its lead-14d had fallen due), but left the cursor as the
    # delivery set it: no further alert.
    raised = Alert.objects.filter(pk__in=outcome["scan"].alert_ids, deadline=deadline)
    assert list(raised.values_list("rule", flat=True)) == ["lead-14d"]
    assert (deadline.state, deadline.next_alert_at) == ("delivered", None)
    assert Deadline.objects.filter(next_alert_at__isnull=False).count() == 19
    raised_while_open = Alert.objects.filter(deadline=deadline).count()
    scan.scan(now=new_york(2023, 12, 31))
    assert Alert.objects.filter(deadline=deadline).count() == raised_while_open


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("inside_a_transaction", [False, True], ids=["outermost", "nested"])
def test_a_scan_of_its_own_commits_without_waiting_for_the_disk(
    reports, monkeypatch, inside_a_transaction
):
    seen = []
    candidates = scan._candidates

    def read_and_look(now, replay):
        seen.append(_synchronous_commit())
        return candidates(now, replay)

    monkeypatch.setattr(scan, "_candidates", read_and_look)
    now = new_york(2023, 8, 1, 10)

    if inside_a_transaction:  # the caller's commit is the caller's: left as it is
        with transaction.atomic():
            result = scan.scan(now=now)
    else:
        result = scan.scan(now=now)

    assert seen == ["on" if inside_a_transaction else "off"]
    assert _synchronous_commit() == "on"  # for that one transaction only
    assert len(result.alert_ids) == one_clean_scan(reports, now) > 0
