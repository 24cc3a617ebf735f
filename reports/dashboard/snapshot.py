"""Which obligations and deadlines a dashboard looks at: the filters, now or as of a day.

A snapshot holds two lazy querysets with the same field names whether they read the live
tables or the history tables, so every figure is computed by one code path:

- now: `Obligation.objects` and `Deadline.objects`;
- as of a day: for each object, its latest history record written before the end of that
  day (local time), unless that record is a deletion.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from paragraphs.models import Actor, Obligation, Resolution
from reports import querysets
from reports.models import Deadline, Schedule


class Periods:
    """Which mandate periods a view covers: by default the current ones (not ended on the
    day looked at); ended periods, with their deadlines to reconcile, a filter away."""

    CURRENT = "current"
    ENDED = "ended"
    ALL = "all"


@dataclass(frozen=True)
class Filters:
    resolution: Resolution | None = None
    owner: Actor | None = None
    status: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    as_of: dt.date | None = None
    # The dashboard and its exports default to current periods (DashboardFilterForm); the
    # calendar and the feeds show whatever is scheduled.
    periods: str = Periods.ALL

    @property
    def narrows_obligations(self) -> bool:
        return bool(self.resolution or self.owner or self.status)


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the project's time zone (where "today" is decided)."""
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def latest_records(model, before: dt.datetime):
    """Each object's state as recorded before `before`, as one set-based query.

    Like simple-history's `Model.history.as_of()`, but records written in the same instant
    (several saves under one frozen clock, or one service writing twice) are ordered by
    their history id, so each object appears once.
    """
    recorded = model.history.filter(history_date__lt=before)
    later = recorded.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return recorded.filter(~Exists(later)).exclude(history_type="-")


def actor_label(prefix: str = ""):
    """An actor's short name (abbreviation, else English name), like `Actor.__str__`."""
    return Coalesce(NullIf(F(f"{prefix}abbreviation"), Value("")), F(f"{prefix}name_en"))


@dataclass(frozen=True)
class Snapshot:
    today: dt.date
    filters: Filters
    obligations: object  # QuerySet of Obligation or its historical records
    deadlines: object  # QuerySet of Deadline or its historical records

    @property
    def as_of(self) -> dt.date | None:
        return self.filters.as_of

    def schedules(self):
        """Schedules of the obligations in view (that existed on the day, when as of)."""
        schedules = Schedule.objects.all()
        if self.filters.narrows_obligations or self.as_of:
            schedules = schedules.filter(obligation_id__in=self.obligations.values("id"))
        if self.as_of:
            schedules = schedules.filter(
                id__in=latest_records(Schedule, end_of_day(self.as_of)).values("id")
            )
        return schedules

    def of_obligation(self, build):
        """An expression on a deadline's obligation, as the obligation stood in this snapshot.

        `build(prefix)` makes the expression from a lookup prefix. Now, it is a plain join;
        as of a day, the obligation's owner or status may have changed since, so the value
        is read from its history record.
        """
        if self.as_of is None:
            return build("schedule__obligation__")
        # The latest record before the end of the day: one index range scan per row,
        # cheaper here than the anti-join of `latest_records`.
        recorded = Obligation.history.filter(
            id=OuterRef("schedule__obligation_id"), history_date__lt=end_of_day(self.as_of)
        ).order_by("-history_date", "-history_id")
        return Subquery(recorded.values(value=build(""))[:1])


def take(filters: Filters, *, today: dt.date) -> Snapshot:
    """The snapshot for `filters`; `today` is the real day, replaced by `filters.as_of`."""
    if filters.as_of:
        moment = end_of_day(filters.as_of)
        obligations = latest_records(Obligation, moment)
        deadlines = latest_records(Deadline, moment)
        today = filters.as_of
    else:
        obligations = Obligation.objects.all()
        deadlines = Deadline.objects.all()
    if filters.resolution:
        obligations = obligations.filter(paragraph__resolution=filters.resolution)
    if filters.owner:
        obligations = obligations.filter(owner=filters.owner)
    if filters.status:
        obligations = obligations.filter(status=filters.status)
    if filters.narrows_obligations or filters.as_of:
        deadlines = deadlines.filter(schedule__obligation_id__in=obligations.values("id"))
    obligation_period_end = "paragraph__resolution__mandate_expires_on"
    if filters.periods == Periods.CURRENT:
        obligations = obligations.filter(querysets.in_period_q(today, obligation_period_end))
        deadlines = deadlines.filter(querysets.in_period_q(today))
    elif filters.periods == Periods.ENDED:
        obligations = obligations.filter(querysets.period_ended_q(today, obligation_period_end))
        deadlines = deadlines.filter(querysets.period_ended_q(today))
    # What decides each deadline's timing (the filters and figures read it).
    deadlines = querysets.with_timing_dates(deadlines)
    if filters.due_from:
        deadlines = deadlines.filter(scheduled_on__gte=filters.due_from)
    if filters.due_to:
        deadlines = deadlines.filter(scheduled_on__lte=filters.due_to)
    return Snapshot(today=today, filters=filters, obligations=obligations, deadlines=deadlines)
