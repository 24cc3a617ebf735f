import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.exceptions import EditConflict
from paragraphs.history import system_user
from reports.enums import DeadlineState, ScheduleKind
from reports.models import Deadline, DeadlineSummary
from reports.selectors import obligation_rows
from reports.services import (
    SUMMARY_FIELDS,
    deadline_deliver,
    deadline_reschedule,
    deadline_waive,
    obligation_deadlines_refresh,
    schedule_sync_deadlines,
)
from tests.factories import ObligationFactory, ScheduleFactory
from tests.reports.summaries import expected_summary

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def options_report(analyst):
    """Paragraph 18's options report: one deadline, 30 days after 14 July 2023."""
    schedule = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=30)
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=analyst)
    return deadline


def test_sync_creates_the_deadline_from_the_rule(options_report):
    assert (options_report.due_on, options_report.scheduled_on) == (D(2023, 8, 13), D(2023, 8, 13))
    assert options_report.state == DeadlineState.OPEN


def test_deliver_records_and_completes_a_one_off_report(frozen_clock, options_report, analyst):
    deadline_deliver(
        deadline=options_report,
        circulated_on=D(2023, 8, 15),
        document_symbol="S/2023/596",
        by=analyst,
        note="Circulated to members",
    )

    options_report.refresh_from_db()
    obligation = options_report.schedule.obligation
    obligation.refresh_from_db()
    assert options_report.state == DeadlineState.DELIVERED
    assert options_report.delivered_on == D(2023, 8, 15)
    assert obligation.status == ObligationStatus.COMPLETED
    record = options_report.history.latest()
    assert (record.history_user, record.history_change_reason) == (analyst, "Circulated to members")


def test_first_delivery_of_a_recurring_report_puts_it_in_progress(frozen_clock, analyst):
    schedule = ScheduleFactory(
        kind=ScheduleKind.RECURRING, every_months=3, anchor_on=D(2023, 7, 15)
    )
    first, *_rest = schedule_sync_deadlines(schedule=schedule, by=analyst)
    frozen_clock.move_to(dt.datetime(2023, 10, 20, tzinfo=dt.UTC))

    deadline_deliver(deadline=first, circulated_on=D(2023, 10, 16), by=analyst)

    schedule.obligation.refresh_from_db()
    assert schedule.obligation.status == ObligationStatus.IN_PROGRESS


def test_delivery_date_in_the_future_is_refused(frozen_clock, options_report, analyst):
    with pytest.raises(ValidationError) as error:
        deadline_deliver(deadline=options_report, circulated_on=D(2023, 9, 2), by=analyst)

    assert error.value.message_dict == {
        "circulated_on": ["The delivery date cannot be in the future."]
    }
    options_report.refresh_from_db()
    assert options_report.state == DeadlineState.OPEN


def test_delivery_today_is_accepted(frozen_clock, options_report, analyst):
    deadline_deliver(deadline=options_report, circulated_on=D(2023, 9, 1), by=analyst)

    options_report.refresh_from_db()
    assert options_report.delivered_on == D(2023, 9, 1)


@pytest.mark.parametrize("symbol", ["<script>", "2024/62", "S 2024 62", "s/2024/62"])
def test_malformed_document_symbol_is_refused(frozen_clock, options_report, analyst, symbol):
    with pytest.raises(ValidationError) as error:
        deadline_deliver(
            deadline=options_report,
            circulated_on=D(2023, 8, 15),
            document_symbol=symbol,
            by=analyst,
        )

    assert list(error.value.message_dict) == ["document_symbol"]
    options_report.refresh_from_db()
    assert options_report.state == DeadlineState.OPEN


def test_delivering_twice_is_refused(frozen_clock, options_report, analyst):
    deadline_deliver(deadline=options_report, circulated_on=D(2023, 8, 15), by=analyst)

    with pytest.raises(ValidationError, match="already delivered"):
        deadline_deliver(deadline=options_report, circulated_on=D(2023, 8, 16), by=analyst)


def test_reschedule_keeps_the_nominal_date_and_needs_a_reason(options_report, analyst):
    with pytest.raises(ValidationError) as error:
        deadline_reschedule(
            deadline=options_report, scheduled_on=D(2023, 8, 15), reason=" ", by=analyst
        )
    assert list(error.value.message_dict) == ["reason"]

    deadline_reschedule(
        deadline=options_report, scheduled_on=D(2023, 8, 15), reason="Programme of work", by=analyst
    )

    options_report.refresh_from_db()
    assert (options_report.due_on, options_report.scheduled_on) == (D(2023, 8, 13), D(2023, 8, 15))
    assert options_report.scheduled_reason == "Programme of work"


def test_waive_needs_a_reason_and_stops_the_deadline(options_report, analyst):
    with pytest.raises(ValidationError):
        deadline_waive(deadline=options_report, reason="", by=analyst)

    deadline_waive(deadline=options_report, reason="Superseded by resolution 2699", by=analyst)

    options_report.refresh_from_db()
    assert options_report.state == DeadlineState.WAIVED
    assert options_report.timing(D(2023, 9, 1)) == "waived"


def test_sync_after_a_rule_change_moves_open_dates_and_waives_surplus(analyst):
    schedule = ScheduleFactory(kind=ScheduleKind.RECURRING, every_days=90)
    _first, second, _third, fourth = schedule_sync_deadlines(schedule=schedule, by=analyst)
    deadline_reschedule(deadline=second, scheduled_on=D(2024, 1, 12), reason="PoW", by=analyst)
    schedule.every_days, schedule.until = 120, D(2024, 7, 15)
    schedule.save()

    deadlines = schedule_sync_deadlines(schedule=schedule, by=analyst)

    assert [(d.sequence, d.due_on) for d in deadlines] == [
        (1, D(2023, 11, 11)),
        (2, D(2024, 3, 10)),
        (3, D(2024, 7, 8)),
    ]
    second.refresh_from_db()
    assert second.scheduled_on == D(2024, 1, 12)  # a deliberate reschedule is kept
    fourth.refresh_from_db()
    assert fourth.state == DeadlineState.WAIVED
    assert Deadline.objects.filter(schedule=schedule).count() == 4  # nothing deleted


def test_aligned_schedules_follow_their_target(analyst):
    target = ScheduleFactory(kind=ScheduleKind.RECURRING, every_months=3, anchor_on=D(2023, 7, 15))
    schedule_sync_deadlines(schedule=target, by=analyst)
    aligned = ScheduleFactory(
        kind=ScheduleKind.ALIGNED,
        aligned_to=target,
        within_days=None,
        obligation__kind=ObligationKind.REPORT,
    )
    schedule_sync_deadlines(schedule=aligned, by=analyst)
    target.anchor_on = D(2023, 7, 20)
    target.save()

    schedule_sync_deadlines(schedule=target, by=analyst)

    assert list(aligned.deadlines.order_by("sequence").values_list("due_on", "state")) == [
        (D(2023, 10, 20), "open"),
        (D(2024, 1, 20), "open"),
        (D(2024, 4, 20), "open"),
        (D(2024, 7, 15), "waived"),  # 20 July is past the mandate: that occurrence is gone
    ]


def test_database_refuses_a_delivered_deadline_without_a_date(options_report):
    with pytest.raises(IntegrityError, match="deadline_delivered_iff_known"), transaction.atomic():
        Deadline.objects.filter(pk=options_report.pk).update(state=DeadlineState.DELIVERED)


def test_database_refuses_a_waiver_without_reason(options_report):
    with pytest.raises(IntegrityError, match="deadline_waiver_has_reason"), transaction.atomic():
        Deadline.objects.filter(pk=options_report.pk).update(state=DeadlineState.WAIVED)


def test_querysets_overdue_and_due_between(options_report):
    assert list(Deadline.objects.overdue(today=D(2023, 8, 14))) == []
    assert list(Deadline.objects.overdue(today=D(2023, 8, 15))) == [options_report]
    assert list(Deadline.objects.due_between(D(2023, 8, 1), D(2023, 8, 13))) == [options_report]
    assert list(Deadline.objects.due_between(D(2023, 8, 14), D(2023, 9, 1))) == []


def test_deadline_actions_refuse_a_stale_version(frozen_clock, options_report, analyst, manager):
    read_version = options_report.version
    deadline_reschedule(
        deadline=options_report, scheduled_on=D(2023, 8, 14), reason="Programme of work", by=manager
    )

    with pytest.raises(EditConflict):
        deadline_deliver(
            deadline=options_report,
            circulated_on=D(2023, 8, 15),
            by=analyst,
            expected_version=read_version,
        )

    options_report.refresh_from_db()
    assert options_report.state == DeadlineState.OPEN


# Deadline summaries: recounted by every write, always equal to counting the deadlines.


def counted(obligation) -> dict:
    """The summary an obligation should have, counted in Python with the pure rules."""
    return expected_summary(obligation.pk)


def summary_of(obligation) -> dict:
    """The stored summary; an obligation without a row reads as having no deadlines."""
    summary = DeadlineSummary.objects.filter(obligation=obligation).first()
    return {name: getattr(summary, name) for name in SUMMARY_FIELDS} if summary else NO_DEADLINES


# The summary of an obligation without deadlines.
NO_DEADLINES = {**dict.fromkeys(SUMMARY_FIELDS, 0), "next_deadline": None, "overdue_from": None}


def test_summaries_follow_every_deadline_service(frozen_clock, analyst):
    """Quarterly from 15 July 2023: Sunday 15 October delivered on Monday 16 counts as on
    time, Monday 15 January delivered on the 17th as late."""
    schedule = ScheduleFactory(
        kind=ScheduleKind.RECURRING, every_months=3, anchor_on=D(2023, 7, 15)
    )
    obligation = schedule.obligation
    october, january, april, july = schedule_sync_deadlines(schedule=schedule, by=analyst)
    assert summary_of(obligation) == counted(obligation)
    assert summary_of(obligation)["next_deadline"] == D(2023, 10, 15)

    frozen_clock.move_to(dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC))
    # Sunday 15 October, delivered Monday 16: on time by the weekend rule.
    deadline_deliver(deadline=october, circulated_on=D(2023, 10, 16), by=analyst)
    assert summary_of(obligation) == counted(obligation)
    assert summary_of(obligation)["delivered_on_time"] == 1
    deadline_deliver(deadline=january, circulated_on=D(2024, 1, 17), by=analyst)  # late
    deadline_reschedule(deadline=july, scheduled_on=D(2024, 7, 3), reason="Programme", by=analyst)
    deadline_waive(deadline=april, reason="Merged with July", by=analyst)

    assert (
        summary_of(obligation)
        == counted(obligation)
        == {
            "next_deadline": D(2024, 7, 3),
            "overdue_from": D(2024, 7, 4),  # Wednesday 3 July, no tolerance
            "deadlines": 4,
            "open": 1,
            "delivered_on_time": 1,
            "delivered_late": 1,
            "delivered_unconfirmed": 0,
            "waived": 1,
        }
    )


def test_summary_of_a_rule_change_counts_the_waived_surplus(analyst):
    schedule = ScheduleFactory(
        kind=ScheduleKind.RECURRING, every_months=3, anchor_on=D(2023, 7, 15)
    )
    schedule_sync_deadlines(schedule=schedule, by=analyst)
    schedule.every_months = 6
    schedule.save()

    schedule_sync_deadlines(schedule=schedule, by=analyst)

    assert summary_of(schedule.obligation) == counted(schedule.obligation)
    assert summary_of(schedule.obligation)["waived"] == 2


def test_summaries_refresh_obligations_without_deadlines_to_zero(analyst):
    obligation = ObligationFactory()
    DeadlineSummary.objects.create(obligation=obligation, deadlines=3, open=3)

    obligation_deadlines_refresh(obligation_ids=[obligation.pk])

    assert summary_of(obligation) == counted(obligation) == NO_DEADLINES


def test_an_obligation_without_deadlines_has_no_summary_row_and_reads_as_none():
    """The summary's owner makes the row with the first deadline; until then the reads'
    outer join sees no next deadline, which is the truth."""
    obligation = ObligationFactory()

    (row,) = obligation_rows().filter(pk=obligation.pk)

    assert not DeadlineSummary.objects.filter(obligation=obligation).exists()
    assert row["next_deadline"] is None


def test_the_summary_is_left_alone_when_its_obligation_changes():
    obligation = ObligationFactory()
    DeadlineSummary.objects.create(obligation=obligation, deadlines=2, open=2)

    obligation.note = "Changed"
    obligation.save()

    assert summary_of(obligation) == {**NO_DEADLINES, "deadlines": 2, "open": 2}


def test_summaries_refresh_many_obligations_in_a_constant_number_of_queries(
    analyst, django_assert_num_queries
):
    schedules = [
        ScheduleFactory(kind=ScheduleKind.RECURRING, every_months=3, anchor_on=D(2023, 7, 15))
        for _ in range(5)
    ]
    for schedule in schedules:
        schedule_sync_deadlines(schedule=schedule, by=analyst)
    DeadlineSummary.objects.all().delete()
    ids = [s.obligation_id for s in schedules]

    # The obligations locked; their deadlines' alert settings (no cursor moves); the
    # counts, grouped by obligation; one upsert.
    with django_assert_num_queries(4):
        obligation_deadlines_refresh(obligation_ids=ids)

    assert all(summary_of(s.obligation) == counted(s.obligation) for s in schedules)


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_are_both_counted(frozen_clock):
    """The second writer waits for the first before counting, so neither count misses the
    other's delivery. The deadlines belong to two schedules of one obligation (deliveries on
    one schedule already wait for each other on its row); each delivery runs in its own
    thread, on its own connection."""
    frozen_clock.move_to(dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC))
    schedule = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=30)
    other = ScheduleFactory(
        obligation=schedule.obligation, kind=ScheduleKind.WITHIN_DAYS, within_days=90
    )
    (first,) = schedule_sync_deadlines(schedule=schedule, by=system_user())
    (second,) = schedule_sync_deadlines(schedule=other, by=system_user())
    first_delivered, release = threading.Event(), threading.Event()

    def deliver_first_and_hold():
        with transaction.atomic():
            deadline_deliver(deadline=first, circulated_on=D(2023, 8, 14), by=system_user())
            first_delivered.set()
            release.wait(timeout=10)
        connection.close()

    def deliver_second():
        first_delivered.wait(timeout=10)
        deadline_deliver(deadline=second, circulated_on=D(2023, 10, 12), by=system_user())
        connection.close()

    threads = [
        threading.Thread(target=deliver_first_and_hold),
        threading.Thread(target=deliver_second),
    ]
    for thread in threads:
        thread.start()
    first_delivered.wait(timeout=10)
    time.sleep(0.3)  # the second delivery is now waiting for the first one's locks
    release.set()
    for thread in threads:
        thread.join(timeout=20)

    assert summary_of(schedule.obligation) == counted(schedule.obligation)
    assert summary_of(schedule.obligation)["delivered_on_time"] == 2
