import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from paragraphs.history import system_user
from reports.alerts import fan_out, scan
from reports.alerts.models import Alert, AlertDelivery
from reports.models import Deadline
from reports.services import (
    deadline_deliver,
    deadline_reschedule,
    deadline_waive,
    schedule_sync_deadlines,
)
from tests.reports.alerts.conftest import SECOND, new_york, open_deadline

pytestmark = pytest.mark.django_db
D = dt.date
# S/RES/2692 paragraph 18: adopted Friday 14 July 2023, report due Sunday 13 August.
ADOPTION = new_york(2023, 7, 14, 12)
OPTIONS_REPORT_DUE = D(2023, 8, 13)
MOMENTS = {
    "lead-14d": new_york(2023, 7, 30, 9),
    "lead-7d": new_york(2023, 8, 6, 9),
    "lead-1d": new_york(2023, 8, 12, 9),
    "due": new_york(2023, 8, 13, 9),
    "overdue-1": new_york(2023, 8, 15, 9),  # Tuesday: Monday's delivery is still on time
    "overdue-2": new_york(2023, 8, 22, 9),
}


def rules_raised(deadline=None) -> list[str]:
    alerts = Alert.objects.order_by("moment")
    if deadline is not None:
        alerts = alerts.filter(deadline=deadline)
    return list(alerts.values_list("rule", flat=True))


@pytest.fixture
def options_report(frozen_clock):
    frozen_clock.move_to(ADOPTION)
    return open_deadline(OPTIONS_REPORT_DUE)


def scan_at(clock, moment) -> list[int]:
    clock.move_to(moment)
    return scan.scan(now=timezone.now()).alert_ids


def test_a_new_deadline_points_its_cursor_at_its_first_moment(options_report):
    assert options_report.next_alert_at == MOMENTS["lead-14d"]


def test_a_deadline_created_late_starts_alerting_from_its_creation(frozen_clock):
    frozen_clock.move_to(new_york(2023, 8, 10, 15))

    deadline = open_deadline(OPTIONS_REPORT_DUE)
    scan_at(frozen_clock, new_york(2023, 8, 12, 9))

    assert deadline.next_alert_at == MOMENTS["lead-1d"]
    assert rules_raised() == ["lead-1d"]  # lead-14d and lead-7d had passed: not raised late


@pytest.mark.parametrize("rule", list(MOMENTS))
def test_each_rule_fires_at_its_moment_not_a_second_before_and_once(
    frozen_clock, options_report, rule
):
    moment = MOMENTS[rule]

    before = scan_at(frozen_clock, moment - SECOND)
    assert rule not in rules_raised()

    at = scan_at(frozen_clock, moment)
    after = scan_at(frozen_clock, moment + SECOND)

    assert Alert.objects.get(pk__in=at).rule == rule
    assert after == []
    assert rules_raised().count(rule) == 1
    assert len(before) == list(MOMENTS).index(rule)  # the earlier rules, caught up at once
    options_report.refresh_from_db()
    assert options_report.next_alert_at > moment


def test_a_scan_after_missed_days_catches_up_every_moment_it_missed(frozen_clock, options_report):
    scan_at(frozen_clock, new_york(2023, 7, 30, 9, 1))
    # No scan from 30 July to Sunday 13 August: lead-7d and lead-1d were missed.

    caught_up = scan_at(frozen_clock, new_york(2023, 8, 13, 17))

    assert [a.rule for a in Alert.objects.filter(pk__in=caught_up).order_by("moment")] == [
        "lead-7d",
        "lead-1d",
        "due",
    ]
    assert rules_raised() == ["lead-14d", "lead-7d", "lead-1d", "due"]
    options_report.refresh_from_db()
    assert options_report.next_alert_at == MOMENTS["overdue-1"]


def test_a_rerun_at_the_same_moment_raises_nothing(frozen_clock, options_report):
    first = scan_at(frozen_clock, MOMENTS["due"])

    again = scan.scan(now=timezone.now())

    assert (len(first), again.alert_ids) == (4, [])
    assert Alert.objects.count() == 4


def test_alert_rows_record_the_moment_the_date_and_the_scan(frozen_clock, options_report):
    scan_at(frozen_clock, MOMENTS["lead-14d"] + dt.timedelta(minutes=3))

    alert = Alert.objects.get()
    assert (alert.deadline, alert.kind, alert.rule) == (options_report, "lead", "lead-14d")
    assert (alert.moment, alert.scheduled_on) == (MOMENTS["lead-14d"], OPTIONS_REPORT_DUE)
    assert alert.raised_at == MOMENTS["lead-14d"] + dt.timedelta(minutes=3)


@pytest.mark.parametrize("settle", ["deliver", "waive"])
def test_a_settled_deadline_stops_alerting_at_once(frozen_clock, options_report, analyst, settle):
    scan_at(frozen_clock, MOMENTS["due"])
    frozen_clock.move_to(new_york(2023, 8, 14, 16))
    if settle == "deliver":
        deadline_deliver(deadline=options_report, circulated_on=D(2023, 8, 14), by=analyst)
    else:
        deadline_waive(deadline=options_report, reason="Overtaken by events", by=analyst)

    later = scan_at(frozen_clock, new_york(2023, 12, 31))

    options_report.refresh_from_db()
    assert options_report.next_alert_at is None
    assert later == []
    assert rules_raised() == ["lead-14d", "lead-7d", "lead-1d", "due"]


def test_a_rescheduled_deadline_alerts_for_its_new_date(frozen_clock, options_report, analyst):
    scan_at(frozen_clock, new_york(2023, 8, 6, 10))
    frozen_clock.move_to(new_york(2023, 8, 10, 11))
    deadline_reschedule(
        deadline=options_report,
        scheduled_on=D(2023, 8, 20),
        reason="Council programme of work",
        by=analyst,
    )

    scan_at(frozen_clock, new_york(2023, 8, 13, 9, 30))

    assert list(Alert.objects.order_by("moment").values_list("rule", "scheduled_on")) == [
        ("lead-14d", D(2023, 8, 13)),
        ("lead-7d", D(2023, 8, 13)),
        ("lead-7d", D(2023, 8, 20)),  # 13 August is 7 days before the new date
    ]


def test_changing_a_schedules_lead_days_moves_the_cursor(frozen_clock, options_report):
    schedule = options_report.schedule
    schedule.lead_days = [3]
    schedule.save(update_fields=["lead_days"])

    schedule_sync_deadlines(schedule=schedule, by=system_user())

    options_report.refresh_from_db()
    assert options_report.next_alert_at == new_york(2023, 8, 10, 9)
    assert options_report.version == 1  # a derived cursor, not an edit


def test_scan_reads_and_writes_in_a_fixed_number_of_queries(
    frozen_clock, django_assert_num_queries
):
    frozen_clock.move_to(ADOPTION)
    for day in range(30):
        open_deadline(OPTIONS_REPORT_DUE + dt.timedelta(days=day))
    frozen_clock.move_to(new_york(2023, 9, 30))

    # savepoint, advisory lock, candidates, move cursors and insert alerts, release
    with django_assert_num_queries(5):
        result = scan.scan(now=timezone.now())

    assert len(result.alert_ids) > 30 * 4


def test_replay_sees_a_deadline_delivered_later_as_still_open(res2692):
    # Loaded today: the options report is delivered (15 August 2023, recorded at noon UTC)
    # and the live cursors point at today's next moments.
    options = Deadline.objects.get(schedule__obligation__key="2692-op18-options-report")
    cursors = dict(Deadline.objects.values_list("id", "next_alert_at"))

    on_14_august = scan.scan(now=new_york(2023, 8, 14, 10), replay=True)
    on_16_august = scan.scan(now=new_york(2023, 8, 16, 10), replay=True)

    assert options.state == "delivered"
    assert rules_raised(options) == ["lead-14d", "lead-7d", "lead-1d", "due"]
    assert set(Alert.objects.filter(pk__in=on_14_august.alert_ids)) == set(Alert.objects.all())
    assert on_16_august.alert_ids == []  # delivered at 08:00 New York, before overdue-1
    assert dict(Deadline.objects.values_list("id", "next_alert_at")) == cursors


def test_replay_before_a_deadline_existed_raises_nothing_for_it(res2692):
    result = scan.scan(now=new_york(2023, 7, 1), replay=True)

    assert result.alert_ids == []


def test_weekly_reminders_stay_at_nine_in_new_york_across_the_clock_change(frozen_clock):
    frozen_clock.move_to(new_york(2023, 10, 20, 12))
    deadline = open_deadline(D(2023, 10, 25))  # a Wednesday; clocks go back on 5 November

    scan_at(frozen_clock, new_york(2023, 11, 9, 8, 59, 59))
    before_ninth = rules_raised()
    scan_at(frozen_clock, new_york(2023, 11, 9, 9))

    moments = list(Alert.objects.filter(kind="overdue").order_by("moment"))
    assert before_ninth[-2:] == ["overdue-1", "overdue-2"]
    assert [(a.rule, a.moment) for a in moments] == [
        ("overdue-1", dt.datetime(2023, 10, 26, 13, tzinfo=dt.UTC)),  # 09:00 EDT
        ("overdue-2", dt.datetime(2023, 11, 2, 13, tzinfo=dt.UTC)),
        ("overdue-3", dt.datetime(2023, 11, 9, 14, tzinfo=dt.UTC)),  # 09:00 EST
    ]
    deadline.refresh_from_db()
    assert deadline.next_alert_at == dt.datetime(2023, 11, 16, 14, tzinfo=dt.UTC)


def test_array_literals_reach_postgresql_intact():
    moment = dt.datetime(2023, 8, 13, 13, tzinfo=dt.UTC)
    texts = ["lead-14d", 'a "quoted" rule', "back\\slash", "comma, {brace}", None, "lead-14d"]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[], %s::timestamptz[], %s::date[]",
            [
                scan._array(texts),
                scan._array([3, 2692, 3]),
                scan._array([moment, None]),
                scan._array([D(2023, 8, 13)]),
            ],
        )
        row = cursor.fetchone()

    assert row == (texts, [3, 2692, 3], [moment, None], [D(2023, 8, 13)])


def test_the_portable_statements_of_sqlite_raise_and_move_the_same(frozen_clock, monkeypatch):
    """`make run` on SQLite writes with VALUES lists; PostgreSQL runs them too, in batches."""
    monkeypatch.setattr(scan, "_record_with_arrays", scan._record_with_values)
    monkeypatch.setattr(scan, "SQL_BATCH", 1)
    frozen_clock.move_to(ADOPTION)
    first, second = open_deadline(OPTIONS_REPORT_DUE), open_deadline(D(2023, 8, 20))

    raised = scan_at(frozen_clock, new_york(2023, 8, 7, 10))
    again = scan_at(frozen_clock, new_york(2023, 8, 7, 10))

    assert len(raised) == 3 and again == []
    assert rules_raised(first) == ["lead-14d", "lead-7d"]
    assert rules_raised(second) == ["lead-14d"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.next_alert_at, second.next_alert_at) == (
        MOMENTS["lead-1d"],
        new_york(2023, 8, 13, 9),
    )


def test_statements_of_a_few_deadlines_each_keep_every_alert_with_its_cursor(
    frozen_clock, monkeypatch
):
    monkeypatch.setattr(scan, "ARRAY_BATCH", 2)
    frozen_clock.move_to(ADOPTION)
    deadlines = [open_deadline(OPTIONS_REPORT_DUE) for _ in range(4)]
    deadlines.append(open_deadline(D(2023, 8, 20)))  # only its lead-14d has fallen due

    raised = scan_at(frozen_clock, new_york(2023, 8, 7, 10))

    assert len(raised) == 9
    for deadline in deadlines[:4]:
        assert rules_raised(deadline) == ["lead-14d", "lead-7d"]
        deadline.refresh_from_db()
        assert deadline.next_alert_at == MOMENTS["lead-1d"]
    assert rules_raised(deadlines[4]) == ["lead-14d"]


def test_a_deadline_deleted_after_the_scan_read_it_gets_no_alert(frozen_clock, monkeypatch):
    frozen_clock.move_to(ADOPTION)
    kept, deleted = open_deadline(OPTIONS_REPORT_DUE), open_deadline(D(2023, 8, 20))
    candidates = scan._candidates

    def read_then_delete(now, replay):
        rows = list(candidates(now, replay))
        Deadline.objects.filter(pk=deleted.pk).delete()
        return rows

    monkeypatch.setattr(scan, "_candidates", read_then_delete)

    raised = scan_at(frozen_clock, new_york(2023, 8, 7, 10))

    assert len(raised) == 2
    assert set(Alert.objects.values_list("deadline_id", flat=True)) == {kept.pk}


def test_a_deadline_that_alerts_name_cannot_be_deleted_behind_the_orms_back(options_report):
    scan.scan(now=MOMENTS["lead-7d"])
    alerts = Alert.objects.filter(deadline=options_report).count()

    with (
        pytest.raises(IntegrityError, match="reports_alert_deadline_id"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Django's constraints are checked at the commit; here, at once.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM reports_deadline WHERE id = %s", [options_report.pk])

    assert Deadline.objects.filter(pk=options_report.pk).exists()
    assert Alert.objects.filter(deadline=options_report).count() == alerts == 2


def test_deleting_a_deadline_through_django_takes_its_alerts_and_deliveries(
    options_report, analyst
):
    obligation = options_report.schedule.obligation
    obligation.assigned_analyst = analyst
    obligation.save(update_fields=["assigned_analyst"])
    scan.scan(now=MOMENTS["lead-7d"])
    fan_out.fan_out(now=MOMENTS["lead-7d"])
    assert AlertDelivery.objects.filter(alert__deadline=options_report).exists()

    options_report.delete()

    assert not Alert.objects.exists()
    assert not AlertDelivery.objects.exists()
