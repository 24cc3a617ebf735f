import datetime as dt

import pytest

from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import Deadline, DeadlineSummary
from reports.querysets import (
    in_time_until_q,
    next_deadline_aggregate,
    next_deadline_overdue_q,
    next_working_day_sql,
)
from tests.factories import DeadlineFactory, ObligationFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


def test_next_working_day_in_sql_matches_the_python_rule_every_day_of_the_week():
    schedule = ScheduleFactory()
    days = [dt.date(2023, 8, 7) + dt.timedelta(days=n) for n in range(14)]  # two weeks
    for day in days:
        DeadlineFactory(schedule=schedule, due_on=day)

    computed = dict(
        Deadline.objects.annotate(next_working=next_working_day_sql()).values_list(
            "scheduled_on", "next_working"
        )
    )

    assert computed == {day: rules.next_working_day(day) for day in days}


def _two_weeks_of_open_deadlines():
    schedule = ScheduleFactory()
    days = [dt.date(2023, 8, 7) + dt.timedelta(days=n) for n in range(14)]
    for day in days:
        DeadlineFactory(schedule=schedule, due_on=day)
    return days


@pytest.mark.parametrize("offset", range(21))
def test_overdue_in_sql_is_the_python_rule_on_every_day(offset):
    days = _two_weeks_of_open_deadlines()
    today = dt.date(2023, 8, 7) + dt.timedelta(days=offset)

    overdue = set(Deadline.objects.overdue(today=today).values_list("scheduled_on", flat=True))
    in_time = set(
        Deadline.objects.with_timing_dates()
        .filter(in_time_until_q(today, dt.date.max))
        .values_list("scheduled_on", flat=True)
    )

    assert overdue == {day for day in days if rules.is_overdue(day, today)}
    assert in_time == set(days) - overdue


@pytest.mark.parametrize("offset", range(21))
def test_an_obligation_is_overdue_in_sql_as_its_next_deadline_is_in_python(offset):
    days = _two_weeks_of_open_deadlines()
    today = dt.date(2023, 8, 7) + dt.timedelta(days=offset)
    for day in days:
        obligation = ObligationFactory()
        DeadlineSummary.objects.update_or_create(
            obligation=obligation,
            defaults={"next_deadline": day, "overdue_from": rules.first_overdue_day(day)},
        )

    overdue = set(
        DeadlineSummary.objects.filter(next_deadline_overdue_q(today)).values_list(
            "next_deadline", flat=True
        )
    )

    assert overdue == {day for day in days if rules.is_overdue(day, today)}


def test_the_next_deadline_aggregate_is_the_python_rule(analyst):
    schedule = ScheduleFactory()
    for day, state in [
        (dt.date(2023, 8, 1), DeadlineState.DELIVERED),
        (dt.date(2023, 8, 5), DeadlineState.WAIVED),
        (dt.date(2023, 8, 9), DeadlineState.OPEN),
        (dt.date(2023, 8, 20), DeadlineState.OPEN),
    ]:
        DeadlineFactory(
            schedule=schedule,
            due_on=day,
            state=state,
            circulated_on=day if state == DeadlineState.DELIVERED else None,
            waived_reason="Merged" if state == DeadlineState.WAIVED else "",
        )
    deadlines = Deadline.objects.filter(schedule=schedule)

    computed = deadlines.aggregate(day=next_deadline_aggregate())["day"]

    expected = rules.next_deadline(
        (d.scheduled_on, d.state == DeadlineState.OPEN) for d in deadlines
    )
    assert computed == expected == dt.date(2023, 8, 9)
    assert rules.next_deadline([(dt.date(2023, 8, 1), False)]) is None
