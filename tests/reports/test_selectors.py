import datetime as dt

import pytest

from reports.enums import ScheduleKind
from reports.selectors import contributor_codes, obligation_rows, obligation_version
from reports.services import deadline_deliver, deadline_waive, schedule_sync_deadlines
from tests.factories import ActorFactory, ObligationFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


def test_obligation_version_agrees_with_the_rows_next_deadline(frozen_clock, analyst):
    none = ObligationFactory()
    quarterly = ScheduleFactory(kind=ScheduleKind.RECURRING, every_months=3)
    first, second, *_rest = schedule_sync_deadlines(schedule=quarterly, by=analyst)
    deadline_deliver(deadline=first, delivered_on=dt.date(2023, 8, 30), by=analyst)
    deadline_waive(deadline=second, reason="Merged", by=analyst)
    two_schedules = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=90)
    ScheduleFactory(
        obligation=two_schedules.obligation, kind=ScheduleKind.WITHIN_DAYS, within_days=45
    )
    for schedule in two_schedules.obligation.schedules.all():
        schedule_sync_deadlines(schedule=schedule, by=analyst)

    rows = {row["id"]: row for row in obligation_rows()}
    versions = {
        pk: obligation_version(pk)
        for pk in (none.pk, quarterly.obligation_id, two_schedules.obligation_id)
    }

    for pk, version in versions.items():
        assert version == {k: rows[pk][k] for k in ("id", "version", "next_deadline")}
    assert [v["next_deadline"] for v in versions.values()] == [
        None,
        dt.date(2024, 4, 14),  # the third quarter: the first delivered, the second waived
        dt.date(2023, 8, 28),  # the earlier of the two schedules
    ]
    assert obligation_version(424242) is None


def test_contributor_codes_are_sorted_per_obligation():
    first, second, alone = ObligationFactory(), ObligationFactory(), ObligationFactory()
    first.contributors.set([ActorFactory(code="unodc"), ActorFactory(code="binuh")])
    second.contributors.set([ActorFactory(code="binuh")])

    codes = contributor_codes([first.pk, second.pk, alone.pk])

    assert dict(codes) == {first.pk: ["binuh", "unodc"], second.pk: ["binuh"]}
