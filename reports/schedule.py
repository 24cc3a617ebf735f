"""Deadline arithmetic for Security Council reporting requirements.

Pure functions over `datetime.date`: no ORM and no clock. Every caller passes `today`,
so the same rules serve the pages, the alert scan, replays of the past and the tests.

Working days are Monday to Friday; UN holidays are not modelled. A report due on a
weekend is in practice circulated on the next working day, so delivery on that day still
counts as on time. Beyond that, each schedule has a tolerance: the Secretariat fits its
reporting dates to the Council's programme of work, so a report a few days after the
nominal day is not late to anyone who follows the Council (DEFAULT_TOLERANCE_DAYS).

A deadline belongs to its resolution's mandate period. Once the period has ended, an
open deadline is no longer overdue: it is "to reconcile" until someone records what
happened (delivered, with or without a confirmed date, or waived).
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

SATURDAY, SUNDAY = 5, 6


# Calendar days after the nominal day (and its weekend rule) within which a delivery still
# counts as on time, unless a schedule says otherwise: the Secretariat adjusts reporting
# dates to the Council's monthly programme of work by a few days.
DEFAULT_TOLERANCE_DAYS = 3


class Timing(StrEnum):
    """Where a deadline stands on a given day (derived, never stored)."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    ON_TIME = "on_time"
    LATE = "late"
    UNCONFIRMED = "unconfirmed"  # delivered, the date not confirmed
    WAIVED = "waived"
    RECONCILE = "to_reconcile"  # open when its mandate period ended


# Rules. Each describes how a reporting requirement produces due dates.


@dataclass(frozen=True)
class OnDate:
    """One-off, on a fixed date (also used for the mandate expiry milestone)."""

    on: dt.date


@dataclass(frozen=True)
class WithinDays:
    """One-off, "within N days" of a start (usually the adoption): calendar days."""

    start: dt.date
    days: int


@dataclass(frozen=True)
class Every:
    """Recurring every N days or N months after `anchor`, up to and including `until`."""

    anchor: dt.date
    until: dt.date
    days: int | None = None
    months: int | None = None

    def __post_init__(self):
        if (self.days is None) == (self.months is None):
            raise ValueError("Every needs exactly one of days or months.")
        if (self.days if self.days is not None else self.months) <= 0:
            raise ValueError("Every needs a positive interval.")


@dataclass(frozen=True)
class SameCycleAs:
    """Due whenever another requirement is due ("on the same cycle as BINUH")."""

    rule: "Rule"


Rule = OnDate | WithinDays | Every | SameCycleAs


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to a shorter month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def due_dates(rule: Rule, limit: int | None = None) -> list[dt.date]:
    """Every nominal due date the rule produces, in order (the first `limit` of them)."""
    match rule:
        case OnDate(on=on):
            return [on]
        case WithinDays(start=start, days=days):
            return [start + dt.timedelta(days=days)]
        case Every(anchor=anchor, until=until, days=days, months=months):
            dates = []
            step = 1
            while True:
                # Each occurrence is counted from the anchor, not from the previous one, so
                # month-end clamping never drifts (31 Jan, 28 Feb, 31 Mar, not 28 Mar).
                if days is not None:
                    day = anchor + dt.timedelta(days=days * step)
                else:
                    day = add_months(anchor, months * step)
                if day > until or len(dates) == limit:
                    return dates
                dates.append(day)
                step += 1
        case SameCycleAs(rule=other):
            return due_dates(other, limit)
    raise TypeError(f"Unknown rule {rule!r}")


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, otherwise the Monday after."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def met_by(scheduled_on: dt.date, tolerance_days: int = 0) -> dt.date:
    """The last day a delivery counts as on time: the next working day from the scheduled
    date, plus the schedule's tolerance."""
    return next_working_day(scheduled_on) + dt.timedelta(days=tolerance_days)


def first_overdue_day(scheduled_on: dt.date, tolerance_days: int = 0) -> dt.date:
    """The first day an open deadline scheduled on `scheduled_on` is overdue: the day
    after it is met in practice (a Saturday's or Sunday's report, with no tolerance, is
    overdue from the Tuesday). The one definition of "overdue": pages, API, exports and
    alerts follow it."""
    return met_by(scheduled_on, tolerance_days) + dt.timedelta(days=1)


def period_ended(period_ends_on: dt.date | None, today: dt.date) -> bool:
    """Whether a mandate period (ending on `period_ends_on`, None for none) is over."""
    return period_ends_on is not None and today > period_ends_on


def is_overdue(
    scheduled_on: dt.date,
    today: dt.date,
    *,
    tolerance_days: int = 0,
    period_ends_on: dt.date | None = None,
) -> bool:
    """Whether an open deadline is overdue on `today` (not once its period has ended:
    then it is to reconcile)."""
    return today >= first_overdue_day(scheduled_on, tolerance_days) and not period_ended(
        period_ends_on, today
    )


def overdue_cutoff(today: dt.date) -> dt.date:
    """Open deadlines scheduled strictly before this date are overdue on `today`.

    `first_overdue_day` without tolerance turned into a single bound on the scheduled
    date: on a Monday, Saturday's and Sunday's reports are still on time; on a Sunday,
    Saturday's is. A test holds the two equal for every weekday. (With a tolerance of N
    days, the bound is `overdue_cutoff(today - N days)`.)
    """
    if today.weekday() == 0:
        return today - dt.timedelta(days=2)
    if today.weekday() == SUNDAY:
        return today - dt.timedelta(days=1)
    return today


def delivered_on_time(
    scheduled_on: dt.date, delivered_on: dt.date, tolerance_days: int = 0
) -> bool:
    return delivered_on <= met_by(scheduled_on, tolerance_days)


def delivery_date(*, circulated_on: dt.date | None, dated_on: dt.date | None) -> dt.date | None:
    """When a report counts as delivered: when it reached the Council (circulated), or
    else the date it bears; None when neither is confirmed."""
    return circulated_on or dated_on


def timing(
    *,
    scheduled_on: dt.date,
    today: dt.date,
    delivered: bool = False,
    delivered_on: dt.date | None = None,
    delivered_by: dt.date | None = None,
    waived: bool = False,
    tolerance_days: int = 0,
    period_ends_on: dt.date | None = None,
) -> Timing:
    """Where a deadline stands on `today`.

    `delivered_on` is the confirmed delivery date (`delivery_date`); a delivery whose date
    is not confirmed (`delivered` without it) counts as delivered, never overdue, its
    timing unknown, from the day it is known to have existed (`delivered_by`) on. A
    delivery dated after `today` did not exist yet on `today`, so looking at the past ("as
    of") sees the deadline still open.
    """
    if waived:
        return Timing.WAIVED
    if delivered_on is not None and delivered_on <= today:
        on_time = delivered_on_time(scheduled_on, delivered_on, tolerance_days)
        return Timing.ON_TIME if on_time else Timing.LATE
    if delivered and delivered_on is None and (delivered_by is None or delivered_by <= today):
        return Timing.UNCONFIRMED
    if period_ended(period_ends_on, today):
        return Timing.RECONCILE
    if today < scheduled_on:
        return Timing.UPCOMING
    if is_overdue(scheduled_on, today, tolerance_days=tolerance_days):
        return Timing.OVERDUE
    return Timing.DUE


def obligation_overdue(
    overdue_from: dt.date | None, today: dt.date, period_ends_on: dt.date | None = None
) -> bool:
    """An obligation is overdue when one of its open deadlines is: the earliest of their
    first overdue days (`overdue_from`) has come, and its mandate period has not ended."""
    return (
        overdue_from is not None
        and today >= overdue_from
        and not period_ended(period_ends_on, today)
    )


def to_reconcile(*, open_deadlines: int, today: dt.date, period_ends_on: dt.date | None) -> bool:
    """An obligation is to reconcile when its period ended with deadlines still open."""
    return open_deadlines > 0 and period_ended(period_ends_on, today)


def next_deadline(deadlines) -> dt.date | None:
    """An obligation's next deadline: the earliest scheduled date among its open deadlines,
    given as (scheduled date, is open) pairs; None when none is open."""
    return min((scheduled_on for scheduled_on, is_open in deadlines if is_open), default=None)


def days_left(scheduled_on: dt.date, today: dt.date) -> int:
    """Calendar days until the scheduled date; negative once it has passed."""
    return (scheduled_on - today).days
