"""When deadline alerts fall due: pure functions, no ORM and no clock.

An open deadline produces alert moments, each at a fixed local time (09:00 in the
project's time zone, so a reminder lands at the start of a New York working day whatever
the season):

    lead-14d, lead-7d, lead-1d   lead times before the scheduled date (per schedule)
    due                          on the scheduled date
    overdue-1, overdue-2, ...    from the first day the deadline counts as overdue, then
                                 every N days (default 7) for as long as it stays open
    period-ended                 the day after its mandate period ended, once, if it is
                                 still open: then it stops alerting (it is to reconcile)

A report due on a weekend is met in practice on the next working day, and the schedule's
tolerance adds a few days (`reports.schedule.first_overdue_day`); it is overdue only from
the day after that. Nothing alerts after the day following the period's end.
The callers pass `now`, the time zone and the schedule's settings; delivered or waived
deadlines simply have no plan.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from reports import schedule as deadline_rules
from reports.alerts.enums import AlertKind

DEFAULT_LEAD_DAYS = (14, 7, 1)
DEFAULT_OVERDUE_EVERY_DAYS = 7
MAX_LEAD_DAYS = 366
ALERT_TIME = dt.time(9)
# Digest mail goes out once a day, after the 09:00 alerts of that day have been raised.
DIGEST_TIME = dt.time(9, 30)
# Failed e-mail or webhook deliveries are retried after 1, 2, 4 ... 64 minutes, then given up.
FIRST_RETRY = dt.timedelta(minutes=1)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class AlertPlan:
    """The alert settings of one open deadline."""

    scheduled_on: dt.date
    zone: dt.tzinfo
    lead_days: tuple[int, ...] = DEFAULT_LEAD_DAYS
    overdue_every_days: int = DEFAULT_OVERDUE_EVERY_DAYS
    tolerance_days: int = 0
    period_ends_on: dt.date | None = None  # of the deadline's mandate period
    at: dt.time = ALERT_TIME


@dataclass(frozen=True)
class Moment:
    kind: AlertKind
    rule: str
    at: dt.datetime  # aware, UTC


def normalise_lead_days(values) -> tuple[int, ...]:
    """Distinct whole days between 1 and 366, longest first; ValueError otherwise."""
    if not isinstance(values, list | tuple):
        raise ValueError("Lead days are a list of whole numbers of days, e.g. [14, 7, 1].")
    days = set()
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{value!r} is not a whole number of days.")
        if not 1 <= value <= MAX_LEAD_DAYS:
            raise ValueError(f"{value} is not between 1 and {MAX_LEAD_DAYS} days.")
        days.add(value)
    return tuple(sorted(days, reverse=True))


def local_moment(day: dt.date, plan: AlertPlan) -> dt.datetime:
    """`plan.at` on `day` in the plan's time zone, as UTC (09:00 is 13:00 or 14:00 UTC)."""
    return _local_moment(day, plan.at, plan.zone)


@functools.lru_cache(maxsize=8192)
def _local_moment(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    # Cached: a scan over many deadlines meets the same few hundred days again and again.
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


@functools.lru_cache(maxsize=4096)
def _fixed_moments(plan: AlertPlan) -> tuple[Moment, ...]:
    """Lead times and the due day: a handful of moments, in order.

    Cached (plans are immutable): a scan meets the same dates and settings again and again.
    """
    moments = [
        Moment(
            AlertKind.LEAD,
            f"lead-{days}d",
            local_moment(plan.scheduled_on - dt.timedelta(days=days), plan),
        )
        for days in sorted(plan.lead_days, reverse=True)
    ]
    moments.append(Moment(AlertKind.DUE, "due", local_moment(plan.scheduled_on, plan)))
    return tuple(m for m in moments if _in_period(m, plan))


def _in_period(moment: Moment, plan: AlertPlan) -> bool:
    """Moments up to the end of the period's last day alert; later ones do not."""
    return plan.period_ends_on is None or moment.at < _final_moment(plan).at


def _final_moment(plan: AlertPlan) -> Moment:
    day = plan.period_ends_on + dt.timedelta(days=1)
    return Moment(AlertKind.PERIOD_ENDED, "period-ended", local_moment(day, plan))


def _overdue_moment(plan: AlertPlan, first: dt.date, number: int) -> Moment:
    day = first + dt.timedelta(days=(number - 1) * plan.overdue_every_days)
    return Moment(AlertKind.OVERDUE, f"overdue-{number}", local_moment(day, plan))


def _overdue_from(plan: AlertPlan, start: dt.datetime):
    """Overdue reminders from the first one at or after `start`, endlessly while the
    period lasts; then the period's final notice, and nothing after."""
    if plan.period_ends_on is not None:
        final = _final_moment(plan)
        for moment in _overdue_forever(plan, start):
            if moment.at >= final.at:
                break
            yield moment
        if final.at >= start:
            yield final
        return
    yield from _overdue_forever(plan, start)


def _overdue_forever(plan: AlertPlan, start: dt.datetime):
    first = deadline_rules.first_overdue_day(plan.scheduled_on, plan.tolerance_days)
    # Jump close to `start` instead of counting from the first reminder: a replay may
    # start years after the deadline. One reminder early is a safe lower bound.
    elapsed = (start.astimezone(plan.zone).date() - first).days
    number = max(1, elapsed // plan.overdue_every_days)
    while True:
        moment = _overdue_moment(plan, first, number)
        if moment.at >= start:
            yield moment
        number += 1


def moments_between(plan: AlertPlan, start: dt.datetime, end: dt.datetime) -> list[Moment]:
    """Every alert moment with start <= moment <= end, in order (a window, never a date match)."""
    return window(plan, start, end)[0]


def window(
    plan: AlertPlan, start: dt.datetime, end: dt.datetime
) -> tuple[list[Moment], dt.datetime | None]:
    """The moments with start <= moment <= end, and the first moment after `end` (None
    when there is none: the period ended).

    What a scan needs for one deadline, in one pass: the alerts to raise and where its
    cursor goes next.
    """
    fixed = _fixed_moments(plan)
    moments = [m for m in fixed if start <= m.at <= end]
    following = next((m.at for m in fixed if m.at > end), None)
    if following is not None:
        return moments, following
    for moment in _overdue_from(plan, start):  # endless while the period lasts
        if moment.at > end:
            return moments, moment.at
        moments.append(moment)
    return moments, None


def next_moment(
    plan: AlertPlan, *, after: dt.datetime, inclusive: bool = False
) -> dt.datetime | None:
    """The first alert moment after `after` (or at it, when `inclusive`).

    An open deadline keeps being reminded until it is settled or its period ends: then
    there is none (None).
    """
    for moment in _fixed_moments(plan):
        if moment.at > after or (inclusive and moment.at == after):
            return moment.at
    return next((m.at for m in _overdue_from(plan, after) if inclusive or m.at > after), None)


def cursor(
    plan: AlertPlan | None, *, previous: dt.datetime | None, now: dt.datetime
) -> dt.datetime | None:
    """Where a deadline's alert cursor belongs: the first moment of its plan not raised yet.

    None for a settled deadline (no plan). Otherwise the first moment at or after `now`,
    or at or after the cursor it had (`previous`) when that is earlier: a moment that fell
    due and was not scanned yet is still raised, and a moment that passed before the
    deadline was created or moved never is, so loading old data floods no one. Applied to
    its own result it changes nothing, so recomputing an untouched deadline keeps it.
    """
    if plan is None:
        return None
    start = now if previous is None else min(previous, now)
    return next_moment(plan, after=start, inclusive=True)


def next_digest_at(after: dt.datetime, zone: dt.tzinfo, at: dt.time = DIGEST_TIME) -> dt.datetime:
    """The first daily digest time strictly after `after`."""
    day = after.astimezone(zone).date()
    moment = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)
    if moment <= after:
        moment = dt.datetime.combine(day + dt.timedelta(days=1), at, tzinfo=zone).astimezone(dt.UTC)
    return moment


def retry_after(attempts: int) -> dt.timedelta | None:
    """How long to wait after the `attempts`-th failed try; None once it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return FIRST_RETRY * 2 ** (attempts - 1)
