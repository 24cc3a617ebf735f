import datetime as dt

import pytest

from reports import schedule as rules
from reports.models import Deadline
from reports.querysets import next_working_day_sql
from tests.factories import DeadlineFactory, ScheduleFactory

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
