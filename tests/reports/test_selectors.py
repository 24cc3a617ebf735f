import datetime as dt

import pytest

from reports.enums import ScheduleKind
from reports.selectors import contributors, obligation_rows
from reports.services import deadline_deliver, deadline_waive, schedule_sync_deadlines
from tests.factories import ActorFactory, ObligationFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


def test_obligation_rows_read_the_next_open_deadline(frozen_clock, analyst):
    none = ObligationFactory()
    quarterly = ScheduleFactory(kind=ScheduleKind.RECURRING, every_months=3)
    first, second, *_rest = schedule_sync_deadlines(schedule=quarterly, by=analyst)
    deadline_deliver(deadline=first, circulated_on=dt.date(2023, 8, 30), by=analyst)
    deadline_waive(deadline=second, reason="Merged", by=analyst)
    two_schedules = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=90)
    ScheduleFactory(
        obligation=two_schedules.obligation, kind=ScheduleKind.WITHIN_DAYS, within_days=45
    )
    for schedule in two_schedules.obligation.schedules.all():
        schedule_sync_deadlines(schedule=schedule, by=analyst)

    rows = {row["id"]: row for row in obligation_rows()}

    assert [
        rows[pk]["next_deadline"]
        for pk in (none.pk, quarterly.obligation_id, two_schedules.obligation_id)
    ] == [
        None,
        dt.date(2024, 4, 14),  # the third quarter: the first delivered, the second waived
        dt.date(2023, 8, 28),  # the earlier of the two schedules
    ]


def test_rows_carry_their_contributors_sorted_in_the_same_query(analyst, django_assert_num_queries):
    plain = ObligationFactory()
    assigned = ObligationFactory(assigned_analyst=analyst, note="Started <b>today</b>")
    assigned.contributors.set([ActorFactory(code="unodc"), ActorFactory(code="binuh")])

    with django_assert_num_queries(1):
        rows = list(obligation_rows().filter(pk__in=[plain.pk, assigned.pk]).order_by("pk"))

    assert [contributors(row) for row in rows] == [[], ["binuh", "unodc"]]
    assert rows[1]["analyst_username"] == analyst.username
    assert rows[1]["updated_at"].tzinfo is not None
