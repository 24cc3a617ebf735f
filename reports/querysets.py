"""The deadline rules of `reports.schedule`, as database expressions.

Each expression here mirrors one pure definition there, and a test holds each pair
together over every weekday (tests/reports/test_querysets.py), so pages, the API, exports
and alerts that filter or count in the database apply exactly the rule that the Python
side applies to one deadline.
"""

import datetime as dt

from django.db import models
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    Min,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractIsoWeekDay
from django.db.models.lookups import Exact

from reports.enums import DeadlineState

OPEN = Q(state=DeadlineState.OPEN)
ISO_SATURDAY, ISO_SUNDAY = 6, 7
# From a deadline to what decides its timing besides its own dates.
TOLERANCE = "schedule__tolerance_days"
PERIOD_END = "schedule__obligation__paragraph__resolution__mandate_expires_on"


def in_period_q(today: dt.date, field: str = PERIOD_END) -> Q:
    """Deadlines (or, with `field`, obligations) whose mandate period has not ended on
    `today`: `schedule.period_ended` negated."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": today})


def period_ended_q(today: dt.date, field: str = PERIOD_END) -> Q:
    return Q(**{f"{field}__lt": today})


def overdue_q(today: dt.date) -> Q:
    """Open deadlines overdue on `today`: `schedule.is_overdue` as a filter (the weekend
    rule, the schedule's tolerance, within the mandate period)."""
    # The first overdue day is at least the day after the scheduled date: the bound on
    # `scheduled_on` says the same and lets PostgreSQL use the date index.
    return OPEN & Q(scheduled_on__lt=today, first_overdue_day__lte=today) & in_period_q(today)


def in_time_until_q(today: dt.date, last: dt.date) -> Q:
    """Open deadlines not overdue on `today`, scheduled up to `last`, in a period that has
    not ended: what is coming. A report due on Saturday is still in time on the Monday."""
    return OPEN & Q(first_overdue_day__gt=today, scheduled_on__lte=last) & in_period_q(today)


def to_reconcile_q(today: dt.date) -> Q:
    """Open deadlines of a mandate period that ended: nobody recorded what happened."""
    return OPEN & period_ended_q(today)


def next_deadline_overdue_q(today: dt.date, field: str = "overdue_from") -> Q:
    """Obligations (over their summary's `overdue_from`) with an open deadline overdue on
    `today`. Null-safe both ways: excluding it keeps those without one. The period's end
    is checked apart (`in_period_q`)."""
    return Q(**{f"{field}__isnull": False, f"{field}__lte": today})


def next_working_day_sql(field: str = "scheduled_on"):
    """`schedule.next_working_day`: the date itself on a working day, else the Monday."""
    weekday = ExtractIsoWeekDay(field)
    return Case(
        When(Exact(weekday, ISO_SATURDAY), then=Cast(F(field) + dt.timedelta(days=2), DateField())),
        When(Exact(weekday, ISO_SUNDAY), then=Cast(F(field) + dt.timedelta(days=1), DateField())),
        default=F(field),
        output_field=DateField(),
    )


class AddDays(Func):
    """A date plus a whole number of days from another column: a date (PostgreSQL adds an
    integer to a date; SQLite, for `make run`, has its date function)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
        )


def met_by_sql(tolerance: str = TOLERANCE):
    """`schedule.met_by`: the next working day from the scheduled date, plus the tolerance."""
    return AddDays(next_working_day_sql(), F(tolerance))


def first_overdue_day_sql(tolerance: str = TOLERANCE):
    """`schedule.first_overdue_day`: the day after `met_by`."""
    return Cast(met_by_sql(tolerance) + dt.timedelta(days=1), DateField())


def delivery_date_sql():
    """`schedule.delivery_date`: circulated, else dated."""
    return Coalesce(F("circulated_on"), F("dated_on"))


def delivered_on_time_q() -> Q:
    """Delivered deadlines met on time: `schedule.delivered_on_time` as a filter (with the
    queryset annotated by `with_timing_dates`)."""
    return Q(state=DeadlineState.DELIVERED, delivery_date__lte=F("met_by"))


def delivered_late_q() -> Q:
    return Q(state=DeadlineState.DELIVERED, delivery_date__gt=F("met_by"))


def delivered_unconfirmed_q() -> Q:
    """Delivered, no date confirmed: counted as delivered, never overdue, timing unknown."""
    return Q(state=DeadlineState.DELIVERED, delivery_date__isnull=True)


def with_timing_dates(deadlines, *, tolerance: str = TOLERANCE):
    """Deadlines annotated with what their timing is decided by: `met_by`,
    `first_overdue_day` and `delivery_date` (the filters here expect them)."""
    return deadlines.annotate(
        met_by=met_by_sql(tolerance),
        first_overdue_day=first_overdue_day_sql(tolerance),
        delivery_date=delivery_date_sql(),
    )


def next_deadline_aggregate():
    """`schedule.next_deadline` over a group of deadlines."""
    return Min("scheduled_on", filter=OPEN)


def summary_aggregates() -> dict:
    """What a `DeadlineSummary` holds, as aggregates over one obligation's deadlines
    annotated by `with_timing_dates`."""
    return {
        "next_deadline": next_deadline_aggregate(),
        "overdue_from": Min("first_overdue_day", filter=OPEN),
        "deadlines": Count("id"),
        "open": Count("id", filter=OPEN),
        "delivered_on_time": Count("id", filter=delivered_on_time_q()),
        "delivered_late": Count("id", filter=delivered_late_q()),
        "delivered_unconfirmed": Count("id", filter=delivered_unconfirmed_q()),
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

    def with_timing_dates(self):
        return with_timing_dates(self)

    def overdue(self, *, today: dt.date):
        return self.with_timing_dates().filter(overdue_q(today))

    def to_reconcile(self, *, today: dt.date):
        return self.filter(to_reconcile_q(today))

    def for_obligation(self, obligation):
        return self.filter(schedule__obligation=obligation)
