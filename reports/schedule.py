"""Deadline arithmetic for Security Council reporting requirements.

Pure functions over `datetime.date`: no ORM and no clock. Every caller passes `today`,
so the same rules serve the pages, the alert scan, replays of the past and the tests.

Working days are Monday to Friday; UN holidays are not modelled. A report due on a
weekend is in practice circulated on the next working day, so delivery on that day still
counts as on time.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

SATURDAY, SUNDAY = 5, 6


class Timing(StrEnum):
    """Where a deadline stands on a given day (derived, never stored)."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    ON_TIME = "on_time"
    LATE = "late"
    WAIVED = "waived"


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


def first_overdue_day(scheduled_on: dt.date) -> dt.date:
    """The first day an open deadline scheduled on `scheduled_on` is overdue: the day
    after it is met in practice (a Saturday's or Sunday's report is overdue from the
    Tuesday). The one definition of "overdue": pages, API, exports and alerts follow it."""
    return next_working_day(scheduled_on) + dt.timedelta(days=1)


def is_overdue(scheduled_on: dt.date, today: dt.date) -> bool:
    """Whether an open deadline is overdue on `today`."""
    return today >= first_overdue_day(scheduled_on)


def overdue_cutoff(today: dt.date) -> dt.date:
    """Open deadlines scheduled strictly before this date are overdue on `today`.

    `is_overdue` turned into a single bound on the scheduled date, which a database index
    can use: on a Monday, Saturday's and Sunday's reports are still on time; on a Sunday,
    Saturday's is. A test holds the two equal for every weekday.
    """
    if today.weekday() == 0:
        return today - dt.timedelta(days=2)
    if today.weekday() == SUNDAY:
        return today - dt.timedelta(days=1)
    return today


def delivered_on_time(scheduled_on: dt.date, delivered_on: dt.date) -> bool:
    return delivered_on <= next_working_day(scheduled_on)


def timing(
    *,
    scheduled_on: dt.date,
    today: dt.date,
    delivered_on: dt.date | None = None,
    waived: bool = False,
) -> Timing:
    """Where a deadline stands on `today`.

    A delivery recorded for a date after `today` did not exist yet on `today`, so looking
    at the past ("as of") sees the deadline still open.
    """
    if waived:
        return Timing.WAIVED
    if delivered_on is not None and delivered_on <= today:
        return Timing.ON_TIME if delivered_on_time(scheduled_on, delivered_on) else Timing.LATE
    if today < scheduled_on:
        return Timing.UPCOMING
    if is_overdue(scheduled_on, today):
        return Timing.OVERDUE
    return Timing.DUE


def next_deadline(deadlines) -> dt.date | None:
    """An obligation's next deadline: the earliest scheduled date among its open deadlines,
    given as (scheduled date, is open) pairs; None when none is open."""
    return min((scheduled_on for scheduled_on, is_open in deadlines if is_open), default=None)


def days_left(scheduled_on: dt.date, today: dt.date) -> int:
    """Calendar days until the scheduled date; negative once it has passed."""
    return (scheduled_on - today).days
