import datetime as dt

import pytest
from django.db import connection

from reports.enums import ScheduleKind
from reports.selectors import (
    contributor_codes,
    obligation_rows,
    obligation_rows_after,
    obligation_rows_by_id,
    obligation_version,
)
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


def test_prepared_rows_are_the_rows_the_orm_reads(frozen_clock, analyst, django_assert_num_queries):
    plain = ObligationFactory()
    assigned = ObligationFactory(assigned_analyst=analyst, note="Started <b>today</b>")
    assigned.contributors.set([ActorFactory(code="unodc"), ActorFactory(code="binuh")])
    schedule = ScheduleFactory(obligation=assigned, kind=ScheduleKind.RECURRING, every_months=3)
    schedule_sync_deadlines(schedule=schedule, by=analyst)
    ids = [assigned.pk, 424242, plain.pk]  # in this order, one of them unknown

    with django_assert_num_queries(1):
        rows = obligation_rows_by_id(ids)

    orm = {row["id"]: row for row in obligation_rows().filter(pk__in=ids)}
    codes = contributor_codes(ids)
    assert rows == [
        {**orm[pk], "contributors": codes.get(pk, [])} for pk in (assigned.pk, plain.pk)
    ]
    assert rows[0]["contributors"] == ["binuh", "unodc"]
    assert rows[0]["next_deadline"] == dt.date(2023, 10, 14)
    assert rows[0]["updated_at"].tzinfo is not None
    assert obligation_rows_by_id([]) == []


def test_a_page_after_an_id_is_the_rows_of_the_next_ids_in_order(
    analyst, django_assert_num_queries, monkeypatch
):
    obligations = [ObligationFactory() for _ in range(5)]
    obligations[2].contributors.set([ActorFactory(code="unodc"), ActorFactory(code="binuh")])
    obligations[3].assigned_analyst = analyst
    obligations[3].save(update_fields=["assigned_analyst"])
    ids = sorted(o.pk for o in obligations)

    with django_assert_num_queries(1):
        page = obligation_rows_after(ids[0], 3)
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the ORM's way, as on `make run`
    portable = obligation_rows_after(ids[0], 3)

    assert page == portable == obligation_rows_by_id(ids[1:4])
    assert [row["contributors"] for row in page] == [[], ["binuh", "unodc"], []]
    assert obligation_rows_after(ids[-1], 3) == []


@pytest.mark.django_db(transaction=True)  # a connection cannot close inside a test's transaction
def test_prepared_statements_are_prepared_again_on_a_new_connection():
    obligation = ObligationFactory()
    assert obligation_version(obligation.pk)["version"] == 1
    connection.close()

    # A new session knows no prepared statement: the first call prepares it again.
    assert obligation_version(obligation.pk)["version"] == 1
    assert obligation_rows_by_id([obligation.pk])[0]["id"] == obligation.pk
