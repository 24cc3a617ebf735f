import datetime as dt

from django.db import models
from django.db.models import Case, DateField, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractIsoWeekDay
from django.db.models.lookups import Exact

from reports import schedule as rules
from reports.enums import DeadlineState


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=DeadlineState.OPEN)

    def due_between(self, start: dt.date, end: dt.date):
        """Open deadlines scheduled within [start, end], both included."""
        return self.open().filter(scheduled_on__gte=start, scheduled_on__lte=end)

    def overdue(self, *, today: dt.date):
        return self.open().filter(scheduled_on__lt=rules.overdue_cutoff(today))

    def for_obligation(self, obligation):
        return self.filter(schedule__obligation=obligation)


ISO_SATURDAY, ISO_SUNDAY = 6, 7


def next_deadline_or_never(field: str = "next_deadline"):
    """A next deadline to sort by that is never null: none sorts after every date. The
    same expression is indexed on the deadline summaries, so ordering by it pages over that
    index instead of sorting every obligation."""
    return Coalesce(F(field), Value(dt.date.max))


def next_working_day_sql(field: str = "scheduled_on"):
    """The database's twin of `schedule.next_working_day`, so aggregates apply the same rule.

    The date itself on a working day, otherwise the Monday after; a test compares it with
    the Python rule for every day of a week.
    """
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
