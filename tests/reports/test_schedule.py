import datetime as dt

import pytest

from reports import schedule as rules
from reports.schedule import Timing

D = dt.date
ADOPTED = D(2023, 7, 14)
EXPIRES = D(2024, 7, 15)


def test_within_30_days_of_adoption_is_a_sunday():
    (due,) = rules.due_dates(rules.WithinDays(start=ADOPTED, days=30))

    assert due == D(2023, 8, 13)
    assert due.weekday() == 6
    assert rules.next_working_day(due) == D(2023, 8, 14)


def test_every_90_days_strictly_gives_four_reports_in_the_mandate_year():
    dates = rules.due_dates(rules.Every(anchor=ADOPTED, until=EXPIRES, days=90))

    assert dates == [D(2023, 10, 12), D(2024, 1, 10), D(2024, 4, 9), D(2024, 7, 8)]


def test_quarterly_mandate_cycle_gives_four_reports_ending_on_expiry():
    dates = rules.due_dates(rules.Every(anchor=D(2023, 7, 15), until=EXPIRES, months=3))

    assert dates == [D(2023, 10, 15), D(2024, 1, 15), D(2024, 4, 15), D(2024, 7, 15)]


def test_recurring_includes_an_occurrence_on_the_until_day_but_not_after():
    on_the_day = rules.Every(anchor=D(2024, 1, 1), until=D(2024, 3, 1), months=1)
    day_before = rules.Every(anchor=D(2024, 1, 1), until=D(2024, 2, 29), months=1)

    assert rules.due_dates(on_the_day) == [D(2024, 2, 1), D(2024, 3, 1)]
    assert rules.due_dates(day_before) == [D(2024, 2, 1)]


def test_same_cycle_follows_the_other_rule():
    sg = rules.Every(anchor=D(2023, 7, 15), until=EXPIRES, months=3)

    assert rules.due_dates(rules.SameCycleAs(sg)) == rules.due_dates(sg)


def test_on_date_is_a_single_milestone():
    assert rules.due_dates(rules.OnDate(EXPIRES)) == [EXPIRES]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2023, 1, 31), 2, D(2023, 3, 31)),  # counted from the anchor, no drift
        (D(2023, 11, 15), 2, D(2024, 1, 15)),  # across the year end
        (D(2023, 7, 15), 12, D(2024, 7, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert rules.add_months(start, months) == expected


def test_monthly_schedule_from_month_end_does_not_drift():
    dates = rules.due_dates(rules.Every(anchor=D(2023, 1, 31), until=D(2023, 5, 31), months=1))

    assert dates == [D(2023, 2, 28), D(2023, 3, 31), D(2023, 4, 30), D(2023, 5, 31)]


@pytest.mark.parametrize("kwargs", [{}, {"days": 90, "months": 3}, {"days": 0}, {"months": -1}])
def test_every_needs_exactly_one_positive_interval(kwargs):
    with pytest.raises(ValueError):
        rules.Every(anchor=ADOPTED, until=EXPIRES, **kwargs)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2023, 8, 11), D(2023, 8, 11)),  # Friday
        (D(2023, 8, 12), D(2023, 8, 14)),  # Saturday
        (D(2023, 8, 13), D(2023, 8, 14)),  # Sunday
        (D(2023, 8, 14), D(2023, 8, 14)),  # Monday
    ],
)
def test_next_working_day(day, expected):
    assert rules.next_working_day(day) == expected


SUNDAY_DUE = D(2023, 8, 13)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2023, 8, 12), Timing.UPCOMING),  # the day before
        (D(2023, 8, 13), Timing.DUE),  # the Sunday itself
        (D(2023, 8, 14), Timing.DUE),  # Monday: still met if delivered today
        (D(2023, 8, 15), Timing.OVERDUE),  # Tuesday
    ],
)
def test_timing_of_an_open_weekend_deadline(today, expected):
    assert rules.timing(scheduled_on=SUNDAY_DUE, today=today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2023, 10, 11), Timing.UPCOMING),
        (D(2023, 10, 12), Timing.DUE),  # Thursday, due today
        (D(2023, 10, 13), Timing.OVERDUE),  # Friday
    ],
)
def test_timing_of_an_open_weekday_deadline(today, expected):
    assert rules.timing(scheduled_on=D(2023, 10, 12), today=today) == expected


@pytest.mark.parametrize(
    ("delivered_on", "expected"),
    [
        (D(2023, 8, 11), Timing.ON_TIME),  # early
        (D(2023, 8, 13), Timing.ON_TIME),  # on the Sunday
        (D(2023, 8, 14), Timing.ON_TIME),  # next working day after a weekend due date
        (D(2023, 8, 15), Timing.LATE),  # the options report, circulated on Tuesday
    ],
)
def test_delivery_on_time_counts_the_next_working_day(delivered_on, expected):
    today = D(2023, 9, 1)

    assert rules.timing(scheduled_on=SUNDAY_DUE, today=today, delivered_on=delivered_on) == expected


def test_delivery_on_a_weekday_deadline_one_day_late_is_late():
    timing = rules.timing(
        scheduled_on=D(2024, 4, 15), today=D(2024, 5, 1), delivered_on=D(2024, 4, 16)
    )

    assert timing == Timing.LATE


def test_a_delivery_after_today_is_not_seen_yet():
    # Looking back at 14 August 2023, the report delivered on the 15th was still due.
    timing = rules.timing(
        scheduled_on=SUNDAY_DUE, today=D(2023, 8, 14), delivered_on=D(2023, 8, 15)
    )

    assert timing == Timing.DUE


def test_waived_wins_over_dates():
    assert rules.timing(scheduled_on=SUNDAY_DUE, today=D(2024, 1, 1), waived=True) == Timing.WAIVED


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        (D(2023, 8, 14), D(2023, 8, 12)),  # Monday: Saturday and Sunday still in grace
        (D(2023, 8, 13), D(2023, 8, 12)),  # Sunday: Saturday still in grace
        (D(2023, 8, 12), D(2023, 8, 12)),  # Saturday: Friday is overdue
        (D(2023, 8, 15), D(2023, 8, 15)),  # Tuesday
    ],
)
def test_overdue_cutoff(today, cutoff):
    assert rules.overdue_cutoff(today) == cutoff


def test_overdue_cutoff_agrees_with_next_working_day_over_a_year():
    start = D(2023, 1, 1)
    for offset in range(400):
        today = start + dt.timedelta(days=offset)
        for back in range(0, 10):
            scheduled = today - dt.timedelta(days=back)
            assert rules.is_overdue(scheduled, today) == (rules.next_working_day(scheduled) < today)


def test_days_left_is_negative_once_passed():
    assert rules.days_left(D(2023, 8, 13), D(2023, 8, 10)) == 3
    assert rules.days_left(D(2023, 8, 13), D(2023, 8, 15)) == -2
