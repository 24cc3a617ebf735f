"""The deadline rules of `reports.schedule`, as database expressions.

Each expression here mirrors one pure definition there, and a test holds each pair
together over every weekday (tests/reports/test_querysets.py), so pages, the API, exports
and alerts that filter or count in the database apply exactly the rule that the Python
side applies to one deadline.
"""

import datetime as dt

from django.db import models
from django.db.models import Aggregate, Case, CharField, Count, DateField, F, Min, Q, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractIsoWeekDay
from django.db.models.lookups import Exact

from reports import schedule as rules
from reports.enums import DeadlineState

OPEN = Q(state=DeadlineState.OPEN)
ISO_SATURDAY, ISO_SUNDAY = 6, 7


def overdue_q(today: dt.date, field: str = "scheduled_on") -> Q:
    """Open deadlines overdue on `today`: `schedule.is_overdue` as a filter (one bound on
    the date, so that an index can serve it)."""
    return OPEN & Q(**{f"{field}__lt": rules.overdue_cutoff(today)})


def in_time_until_q(today: dt.date, last: dt.date) -> Q:
    """Open deadlines not overdue on `today`, scheduled up to `last`: what is coming. A
    report due on Saturday is still in time on the Monday after."""
    return OPEN & Q(scheduled_on__gte=rules.overdue_cutoff(today), scheduled_on__lte=last)


def next_deadline_overdue_q(today: dt.date, field: str = "next_deadline") -> Q:
    """Obligations whose next deadline (`schedule.next_deadline`) is overdue on `today`.
    Null-safe both ways: excluding it keeps the obligations without a next deadline."""
    return Q(**{f"{field}__isnull": False, f"{field}__lt": rules.overdue_cutoff(today)})


def next_working_day_sql(field: str = "scheduled_on"):
    """`schedule.next_working_day`: the date itself on a working day, else the Monday."""
    weekday = ExtractIsoWeekDay(field)
    return Case(
        When(Exact(weekday, ISO_SATURDAY), then=Cast(F(field) + dt.timedelta(days=2), DateField())),
        When(Exact(weekday, ISO_SUNDAY), then=Cast(F(field) + dt.timedelta(days=1), DateField())),
        default=F(field),
        output_field=DateField(),
    )


def delivered_on_time_q() -> Q:
    """Delivered deadlines met on time: `schedule.delivered_on_time` as a filter."""
    return Q(state=DeadlineState.DELIVERED, delivered_on__lte=next_working_day_sql())


def delivered_late_q() -> Q:
    return Q(state=DeadlineState.DELIVERED, delivered_on__gt=next_working_day_sql())


def next_deadline_aggregate():
    """`schedule.next_deadline` over a group of deadlines."""
    return Min("scheduled_on", filter=OPEN)


def summary_aggregates() -> dict:
    """What a `DeadlineSummary` holds, as aggregates over one obligation's deadlines."""
    return {
        "next_deadline": next_deadline_aggregate(),
        "deadlines": Count("id"),
        "open": Count("id", filter=OPEN),
        "delivered_on_time": Count("id", filter=delivered_on_time_q()),
        "delivered_late": Count("id", filter=delivered_late_q()),
        "waived": Count("id", filter=Q(state=DeadlineState.WAIVED)),
    }


def next_deadline_or_never(field: str = "next_deadline"):
    """A next deadline to sort by that is never null: none sorts after every date."""
    return Coalesce(F(field), Value(dt.date.max))


class TextList(Aggregate):
    """Texts joined with `separator` (a constant of the code), in order on PostgreSQL
    (STRING_AGG); SQLite's GROUP_CONCAT (`make run`) keeps no order."""

    function = "STRING_AGG"
    output_field = CharField()

    def __init__(self, expression, *, separator: str, **extra):
        super().__init__(expression, **extra)
        self.separator = separator

    def as_sql(self, compiler, connection, **extra_context):
        template = f"%(function)s(%(expressions)s, '{self.separator}' ORDER BY %(expressions)s)"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template=f"%(function)s(%(expressions)s, '{self.separator}')",
            **extra_context,
        )


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(OPEN)

    def due_between(self, start: dt.date, end: dt.date):
        """Open deadlines scheduled within [start, end], both included."""
        return self.open().filter(scheduled_on__gte=start, scheduled_on__lte=end)

    def overdue(self, *, today: dt.date):
        return self.filter(overdue_q(today))

    def for_obligation(self, obligation):
        return self.filter(schedule__obligation=obligation)
