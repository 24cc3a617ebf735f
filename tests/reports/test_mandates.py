"""A mandate across its renewals: periods, what an ended period leaves open, carrying
forward and closing, deliveries as they happened, and the final notice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from intake.accept import apply_mandate
from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.history import system_user
from paragraphs.models import Mandate, Obligation
from reports import schedule as rules
from reports.alerts import clock as alert_clock
from reports.alerts.models import Alert
from reports.enums import DeadlineState, ScheduleKind
from reports.mandates import ended_open_obligations, mandate_chain, to_reconcile
from reports.models import Deadline, DeadlineSummary
from reports.renewals import obligation_carry_forward, obligation_close, resolution_record
from reports.services import (
    deadline_deliver,
    deadline_waive,
    resolution_update,
    schedule_sync_deadlines,
)
from tests.factories import (
    ActorFactory,
    MandateFactory,
    ObligationFactory,
    ParagraphFactory,
    ResolutionFactory,
    ScheduleFactory,
)
from tests.reports.alerts.conftest import new_york

pytestmark = pytest.mark.django_db
D = dt.date
ADOPTED, EXPIRES = D(2023, 7, 14), D(2024, 7, 15)
RENEWED = D(2024, 7, 12)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return new_york(day.year, day.month, day.day, hour)


@pytest.fixture
def mandate(frozen_clock, analyst):
    """A mission under resolution 7001 (2023): a quarterly report, an annex on the same
    cycle and a report within 30 days, as in S/RES/2692."""
    frozen_clock.move_to(at(ADOPTED))
    resolution = ResolutionFactory(
        number=7001,
        symbol="S/RES/7001 (2023)",
        adopted_on=ADOPTED,
        mandate=MandateFactory(code="TESTMIS"),
        mandate_expires_on=EXPIRES,
    )
    sg, mission = ActorFactory(code="sg"), ActorFactory(code="mission")
    quarterly = _obligation(resolution, 1, "7001-op1-reports", sg, analyst)
    annex = _obligation(resolution, 2, "7001-op2-annex", mission, analyst)
    options = _obligation(resolution, 3, "7001-op3-options", sg, analyst)
    reports = ScheduleFactory(
        obligation=quarterly, kind=ScheduleKind.RECURRING, every_months=3, anchor_on=D(2023, 7, 15)
    )
    schedule_sync_deadlines(schedule=reports, by=system_user())
    schedule_sync_deadlines(
        schedule=ScheduleFactory(obligation=annex, kind=ScheduleKind.ALIGNED, aligned_to=reports),
        by=system_user(),
    )
    schedule_sync_deadlines(
        schedule=ScheduleFactory(obligation=options, kind=ScheduleKind.WITHIN_DAYS, within_days=30),
        by=system_user(),
    )
    return resolution


def _obligation(resolution, number, key, owner, analyst):
    return ObligationFactory(
        paragraph=ParagraphFactory(resolution=resolution, position=number, number=number),
        key=key,
        owner=owner,
        kind=ObligationKind.REPORT,
        assigned_analyst=analyst,
    )


def _deadlines(key):
    return list(
        Deadline.objects.filter(schedule__obligation__key=key)
        .order_by("sequence")
        .values_list("due_on", "state")
    )


def _renewal(predecessor, *, text: bool, number=7002, adopted=RENEWED):
    renewal = resolution_record(
        number=number,
        year=adopted.year,
        adopted_on=adopted,
        meeting_number=9684,
        mandate_expires_on=D(2025, 7, 15),
        renews=predecessor,
        by=system_user(),
    )
    if text:
        for n in (1, 2, 3):
            ParagraphFactory(resolution=renewal, position=n, number=n)
    return renewal


# Periods: nothing is generated after the end.


def test_a_recurring_schedule_stops_at_the_end_of_the_period(mandate):
    assert [day for day, _ in _deadlines("7001-op1-reports")] == [
        D(2023, 10, 15),
        D(2024, 1, 15),
        D(2024, 4, 15),
        D(2024, 7, 15),
    ]


def test_a_rule_running_past_the_period_is_cut_at_its_end(mandate):
    schedule = ScheduleFactory(
        obligation=Obligation.objects.get(key="7001-op3-options"),
        kind=ScheduleKind.RECURRING,
        every_months=6,
        until=D(2026, 1, 1),
    )

    dates = [d.due_on for d in schedule_sync_deadlines(schedule=schedule, by=system_user())]

    assert dates == [D(2024, 1, 14), D(2024, 7, 14)]


def test_a_period_ended_early_waives_the_deadlines_after_it_and_keeps_the_record(mandate, analyst):
    first = Deadline.objects.get(schedule__obligation__key="7001-op1-reports", sequence=1)
    deadline_deliver(
        deadline=first, circulated_on=D(2023, 10, 16), by=analyst, at=at(D(2023, 10, 16))
    )

    resolution_update(resolution=mandate, by=analyst, mandate_expires_on=D(2024, 2, 1))

    assert _deadlines("7001-op1-reports") == [
        (D(2023, 10, 15), DeadlineState.DELIVERED),
        (D(2024, 1, 15), DeadlineState.OPEN),
        (D(2024, 4, 15), DeadlineState.WAIVED),
        (D(2024, 7, 15), DeadlineState.WAIVED),
    ]
    # The annex on the same cycle followed.
    assert [s for _, s in _deadlines("7001-op2-annex")][2:] == [DeadlineState.WAIVED] * 2


# Renewals and the chain.


def test_recording_a_renewal_links_it_and_gives_it_the_mandate(mandate):
    renewal = _renewal(mandate, text=False)

    assert renewal.mandate == mandate.mandate
    assert renewal.renews == mandate
    assert not renewal.has_text
    mandate.refresh_from_db()
    assert mandate.mandate_expires_on == EXPIRES  # its own expiry stands
    assert [row["resolution"].number for row in mandate_chain(mandate.mandate, ADOPTED)] == [
        7001,
        7002,
    ]


def test_a_renewal_ends_a_predecessor_without_expiry_at_its_adoption(frozen_clock):
    frozen_clock.move_to(at(D(2024, 8, 1)))
    predecessor = ResolutionFactory(
        number=7101, symbol="S/RES/7101 (2023)", mandate_expires_on=None, mandate=None
    )

    renewal = _renewal(predecessor, text=False, number=7102)

    predecessor.refresh_from_db()
    assert predecessor.mandate_expires_on == D(2024, 7, 12)
    assert renewal.mandate is None and predecessor.mandate is None


@pytest.mark.parametrize(
    ("number", "adopted", "message"),
    [
        (7001, D(2024, 7, 12), "already recorded"),
        (7003, D(2023, 1, 1), "adopted before it"),
    ],
)
def test_a_record_that_contradicts_the_chain_is_refused(mandate, number, adopted, message):
    with pytest.raises(ValidationError, match=message):
        _renewal(mandate, text=False, number=number, adopted=adopted)


def test_the_periods_of_the_chain_say_which_is_current(mandate):
    _renewal(mandate, text=False)

    chain = mandate_chain(mandate.mandate, D(2024, 8, 1))

    assert [(row["resolution"].number, row["state"]) for row in chain] == [
        (7001, "ended"),
        (7002, "current"),
    ]
    assert chain[0]["to_reconcile"] == 4 + 4 + 1  # nothing was recorded


# The end of a period with deadlines unrecorded.


def test_an_open_deadline_of_an_ended_period_is_to_reconcile_not_overdue(mandate):
    reports = Deadline.objects.filter(schedule__obligation__key="7001-op1-reports")
    april, july = reports.get(sequence=3), reports.get(sequence=4)

    assert april.timing(D(2024, 7, 15)) == rules.Timing.OVERDUE
    assert april.timing(D(2024, 7, 16)) == rules.Timing.RECONCILE
    assert july.timing(D(2024, 7, 15)) == rules.Timing.DUE  # the period's last day
    assert july.timing(D(2024, 7, 16)) == rules.Timing.RECONCILE
    reconcile = to_reconcile(mandate.mandate, D(2024, 8, 1))
    assert len(reconcile) == 9
    assert {row["timing"] for row in reconcile} == {rules.Timing.RECONCILE}
    assert Deadline.objects.with_timing_dates().overdue(today=D(2024, 8, 1)).count() == 0
    assert Deadline.objects.to_reconcile(today=D(2024, 8, 1)).count() == 9


def test_recording_what_happened_takes_it_off_the_list(mandate, frozen_clock, analyst):
    frozen_clock.move_to(at(D(2024, 8, 1)))
    deadlines = Deadline.objects.filter(schedule__obligation__key="7001-op1-reports")

    deadline_deliver(
        deadline=deadlines.get(sequence=4),
        delivered_by=D(2024, 7, 3),
        evidence="Briefing at the 9679th meeting",
        by=analyst,
    )
    deadline_waive(deadline=deadlines.get(sequence=3), reason="Folded into July", by=analyst)

    assert len(to_reconcile(mandate.mandate, D(2024, 8, 1))) == 7


def test_alerts_stop_at_the_end_of_the_period_after_one_final_notice(
    mandate, frozen_clock, analyst, manager
):
    last = Deadline.objects.get(schedule__obligation__key="7001-op1-reports", sequence=4)
    alert_clock.tick(now=at(D(2024, 7, 15), 8))  # catch up on everything before
    raised_before = set(Alert.objects.values_list("id", flat=True))

    for day in (D(2024, 7, 15), D(2024, 7, 16), D(2024, 7, 23), D(2024, 9, 1), D(2025, 1, 1)):
        frozen_clock.move_to(at(day, 10))
        alert_clock.tick(now=timezone.now())

    new = Alert.objects.exclude(id__in=raised_before).filter(deadline=last).order_by("moment")
    assert [a.rule for a in new] == ["due", "period-ended"]
    final = new.last()
    assert final.moment == at(D(2024, 7, 16), 9)
    recipients = set(final.deliveries.values_list("user__username", flat=True))
    assert {analyst.username, manager.username} <= recipients
    last.refresh_from_db()
    assert last.next_alert_at is None


def test_the_summary_keeps_ended_periods_out_of_the_overdue_figures(mandate):
    summary = DeadlineSummary.objects.get(obligation__key="7001-op3-options")

    # Overdue from the Tuesday after Sunday 13 August; the period is not part of the summary.
    assert summary.overdue_from == D(2023, 8, 15)
    assert rules.obligation_overdue(summary.overdue_from, D(2023, 9, 1), EXPIRES)
    assert not rules.obligation_overdue(summary.overdue_from, D(2024, 8, 1), EXPIRES)


# Carrying forward and closing.


def test_carrying_forward_continues_recurring_aligned_and_one_off_obligations(
    mandate, frozen_clock, analyst
):
    renewal = _renewal(mandate, text=True)
    frozen_clock.move_to(at(D(2024, 8, 1)))
    paragraphs = {p.number: p for p in renewal.paragraphs.all()}

    reports = obligation_carry_forward(
        obligation=Obligation.objects.get(key="7001-op1-reports"),
        paragraph=paragraphs[1],
        by=analyst,
    )
    annex = obligation_carry_forward(
        obligation=Obligation.objects.get(key="7001-op2-annex"), paragraph=paragraphs[2], by=analyst
    )

    assert reports.key == "7002-op1-reports"
    assert (reports.owner.code, reports.assigned_analyst) == ("sg", analyst)
    assert _deadlines("7002-op1-reports") == [
        (D(2024, 10, 12), "open"),
        (D(2025, 1, 12), "open"),
        (D(2025, 4, 12), "open"),
        (D(2025, 7, 12), "open"),
    ]
    assert annex.schedules.get().aligned_to == reports.schedules.get()
    assert [d for d, _ in _deadlines("7002-op2-annex")] == [
        d for d, _ in _deadlines("7002-op1-reports")
    ]
    old = Obligation.objects.get(key="7001-op1-reports")
    assert (old.status, old.carried_forward_to) == (ObligationStatus.CLOSED, reports)
    assert old.history.latest().history_change_reason == (
        "Carried forward to S/RES/7002 (2024) op. 1."
    )
    # The old period's deadlines are still what they were: to reconcile.
    assert len(to_reconcile(mandate.mandate, D(2024, 8, 1))) == 9


def test_an_aligned_obligation_waits_for_the_one_it_follows(mandate, frozen_clock, analyst):
    renewal = _renewal(mandate, text=True)
    frozen_clock.move_to(at(D(2024, 8, 1)))

    with pytest.raises(ValidationError, match="first"):
        obligation_carry_forward(
            obligation=Obligation.objects.get(key="7001-op2-annex"),
            paragraph=renewal.paragraphs.get(number=2),
            by=analyst,
        )

    assert not Obligation.objects.filter(paragraph__resolution=renewal).exists()


def test_carrying_forward_is_refused_before_the_end_or_to_an_unrelated_resolution(
    mandate, frozen_clock, analyst
):
    renewal = _renewal(mandate, text=True)
    other = ParagraphFactory(resolution=ResolutionFactory(adopted_on=D(2024, 7, 20)))
    obligation = Obligation.objects.get(key="7001-op3-options")
    frozen_clock.move_to(at(D(2024, 7, 1)))
    with pytest.raises(ValidationError, match="has not ended"):
        obligation_carry_forward(
            obligation=obligation, paragraph=renewal.paragraphs.get(number=3), by=analyst
        )
    frozen_clock.move_to(at(D(2024, 8, 1)))
    with pytest.raises(ValidationError, match="does not renew"):
        obligation_carry_forward(obligation=obligation, paragraph=other, by=analyst)

    obligation.refresh_from_db()
    assert obligation.carried_forward_to is None


def test_closing_with_a_reason_leaves_the_list_of_open_obligations(mandate, frozen_clock, analyst):
    frozen_clock.move_to(at(D(2024, 8, 1)))
    options = Obligation.objects.get(key="7001-op3-options")

    obligation_close(obligation=options, reason="Superseded by the new mandate", by=analyst)

    options.refresh_from_db()
    assert options.status == ObligationStatus.CLOSED
    assert options.history.latest().history_change_reason == "Superseded by the new mandate"
    remaining = [e.obligation.key for e in ended_open_obligations(mandate.mandate, D(2024, 8, 1))]
    assert remaining == ["7001-op1-reports", "7001-op2-annex"]
    with pytest.raises(ValidationError, match="Only an open obligation"):
        obligation_close(obligation=options, reason="Again", by=analyst)


# Deliveries as they happened.


def test_a_delivery_with_an_unconfirmed_date_is_delivered_never_overdue(mandate, analyst):
    first = Deadline.objects.get(schedule__obligation__key="7001-op1-reports", sequence=1)

    deadline_deliver(
        deadline=first,
        document_symbol="S/2023/768",
        delivered_by=D(2023, 10, 23),
        evidence="Briefing at the 9449th meeting",
        by=analyst,
        at=at(D(2023, 10, 24)),
    )

    first.refresh_from_db()
    assert (first.state, first.delivered_on, first.delivered_by) == (
        DeadlineState.DELIVERED,
        None,
        D(2023, 10, 23),
    )
    assert first.timing(D(2023, 11, 1)) == rules.Timing.UNCONFIRMED
    assert first.timing(D(2023, 10, 20)) == rules.Timing.OVERDUE  # before it is known to exist
    summary = DeadlineSummary.objects.get(obligation=first.schedule.obligation)
    assert (summary.delivered_unconfirmed, summary.delivered_on_time, summary.delivered_late) == (
        1,
        0,
        0,
    )


def test_a_delivery_that_says_nothing_of_when_or_how_is_refused(mandate, analyst):
    first = Deadline.objects.get(schedule__obligation__key="7001-op1-reports", sequence=1)

    with pytest.raises(ValidationError, match="Say when it was delivered"):
        deadline_deliver(deadline=first, by=analyst, at=at(D(2023, 10, 24)))

    first.refresh_from_db()
    assert first.state == DeadlineState.OPEN


def test_an_annex_is_delivered_with_its_report_in_one_action(mandate, analyst):
    report = Deadline.objects.get(schedule__obligation__key="7001-op1-reports", sequence=2)
    annex = Deadline.objects.get(schedule__obligation__key="7001-op2-annex", sequence=2)

    deadline_deliver(
        deadline=report,
        dated_on=D(2024, 1, 15),
        document_symbol="S/2024/62",
        also=[annex.pk],
        by=analyst,
        at=at(D(2024, 1, 16)),
    )

    annex.refresh_from_db()
    assert (annex.state, annex.dated_on, annex.document_symbol) == (
        DeadlineState.DELIVERED,
        D(2024, 1, 15),
        "S/2024/62",
    )
    assert annex.history.latest().history_change_reason.startswith("Delivered with")


def test_only_the_same_occurrence_of_the_same_cycle_goes_with_a_report(mandate, analyst):
    report = Deadline.objects.get(schedule__obligation__key="7001-op1-reports", sequence=2)
    wrong = Deadline.objects.get(schedule__obligation__key="7001-op2-annex", sequence=3)

    with pytest.raises(ValidationError, match="same cycle"):
        deadline_deliver(
            deadline=report,
            dated_on=D(2024, 1, 15),
            also=[wrong.pk],
            by=analyst,
            at=at(D(2024, 1, 16)),
        )

    report.refresh_from_db()
    assert report.state == DeadlineState.OPEN


@pytest.mark.parametrize(
    ("tolerance", "circulated", "timing"),
    [
        (0, D(2024, 4, 15), rules.Timing.ON_TIME),  # Monday, the day itself
        (0, D(2024, 4, 16), rules.Timing.LATE),
        (3, D(2024, 4, 18), rules.Timing.ON_TIME),
        (3, D(2024, 4, 19), rules.Timing.LATE),
    ],
)
def test_a_schedules_tolerance_decides_on_time(mandate, analyst, tolerance, circulated, timing):
    report = Deadline.objects.get(schedule__obligation__key="7001-op1-reports", sequence=3)
    report.schedule.tolerance_days = tolerance
    report.schedule.save(update_fields=["tolerance_days"])

    deadline_deliver(deadline=report, circulated_on=circulated, by=analyst, at=at(circulated))

    report.refresh_from_db()
    assert report.timing(D(2024, 5, 1)) == timing
    assert report.timing(D(2024, 4, 15) + dt.timedelta(days=tolerance)) != rules.Timing.OVERDUE


def test_both_dates_are_kept_and_circulation_decides(mandate, analyst):
    report = Deadline.objects.get(schedule__obligation__key="7001-op3-options")

    deadline_deliver(
        deadline=report,
        dated_on=D(2023, 8, 14),
        circulated_on=D(2023, 8, 15),
        by=analyst,
        at=at(D(2023, 8, 15)),
    )

    report.refresh_from_db()
    assert (report.dated_on, report.circulated_on, report.delivered_on) == (
        D(2023, 8, 14),
        D(2023, 8, 15),
        D(2023, 8, 15),
    )
    assert report.timing(D(2023, 9, 1)) == rules.Timing.LATE  # no tolerance: Monday was the day


def test_a_mandate_is_removed_only_without_resolutions(mandate):
    with pytest.raises(Exception, match="protected"):
        Mandate.objects.filter(code="TESTMIS").delete()


@pytest.mark.django_db(transaction=True)
def test_linking_a_renewal_in_the_admin_ends_the_predecessors_period(admin_client, frozen_clock):
    predecessor = ResolutionFactory(
        number=7201, symbol="S/RES/7201 (2023)", mandate_expires_on=None
    )
    renewal = ResolutionFactory(
        number=7202,
        symbol="S/RES/7202 (2024)",
        year=2024,
        adopted_on=D(2024, 7, 12),
        mandate=None,
        mandate_expires_on=D(2025, 7, 15),
    )

    response = admin_client.post(
        f"/admin/paragraphs/resolution/{renewal.pk}/change/",
        {
            "symbol": renewal.symbol,
            "number": renewal.number,
            "year": renewal.year,
            "adopted_on": "2024-07-12",
            "meeting_number": "",
            "title": "",
            "mandate": "",
            "mandate_expires_on": "2025-07-15",
            "renews": predecessor.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    predecessor.refresh_from_db()
    renewal.refresh_from_db()
    assert predecessor.mandate_expires_on == D(2024, 7, 12)
    assert renewal.mandate == predecessor.mandate
    assert renewal.history.latest().history_user.username == "admin"


def test_an_imported_text_that_extends_a_mandate_renews_its_latest_resolution(mandate, analyst):
    renewal = ResolutionFactory(
        number=7002,
        symbol="S/RES/7002 (2024)",
        year=2024,
        adopted_on=D(2024, 7, 12),
        mandate=None,
        mandate_expires_on=None,
    )

    apply_mandate(renewal, "testmis", D(2025, 7, 15), analyst)

    renewal.refresh_from_db()
    assert (renewal.mandate, renewal.renews, renewal.mandate_expires_on) == (
        mandate.mandate,
        mandate,
        D(2025, 7, 15),
    )
    assert Mandate.objects.count() == 1  # found by its code, whatever the case
