import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reports import schedule as deadline_rules
from reports.alerts import rules
from reports.alerts.enums import AlertKind

NEW_YORK = ZoneInfo("America/New_York")
D = dt.date
SECOND = dt.timedelta(seconds=1)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def plan(scheduled_on, **kwargs) -> rules.AlertPlan:
    return rules.AlertPlan(scheduled_on=scheduled_on, zone=NEW_YORK, **kwargs)


def listed(moments):
    return [(m.rule, m.at) for m in moments]


def test_weekend_due_date_alerts_on_its_days_and_is_overdue_only_after_the_next_working_day():
    options_report = plan(D(2023, 8, 13))  # Sunday: met in practice on Monday the 14th

    moments = rules.moments_between(options_report, utc(2023, 7, 1), utc(2023, 8, 31))

    assert listed(moments) == [
        ("lead-14d", utc(2023, 7, 30, 13)),  # 09:00 EDT
        ("lead-7d", utc(2023, 8, 6, 13)),
        ("lead-1d", utc(2023, 8, 12, 13)),
        ("due", utc(2023, 8, 13, 13)),
        ("overdue-1", utc(2023, 8, 15, 13)),  # Tuesday, not Monday
        ("overdue-2", utc(2023, 8, 22, 13)),
        ("overdue-3", utc(2023, 8, 29, 13)),
    ]
    assert [m.kind for m in moments[3:5]] == [AlertKind.DUE, AlertKind.OVERDUE]


@pytest.mark.parametrize("offset", range(14))
def test_the_first_overdue_reminder_is_on_the_first_day_the_deadline_is_overdue(offset):
    scheduled_on = D(2023, 8, 7) + dt.timedelta(days=offset)  # every weekday and weekend day
    report = plan(scheduled_on)

    first = next(
        m
        for m in rules.moments_between(report, utc(2023, 7, 1), utc(2023, 12, 1))
        if m.kind == AlertKind.OVERDUE
    )

    day = first.at.astimezone(report.zone).date()
    assert deadline_rules.is_overdue(scheduled_on, day)
    assert not deadline_rules.is_overdue(scheduled_on, day - dt.timedelta(days=1))


def test_alerts_stay_at_nine_in_new_york_across_the_autumn_clock_change():
    # Clocks went back on Sunday 5 November 2023: 09:00 is 13:00 UTC before, 14:00 after.
    report = plan(D(2023, 11, 15))

    moments = rules.moments_between(report, utc(2023, 10, 1), utc(2023, 11, 30, 14))

    assert listed(moments) == [
        ("lead-14d", utc(2023, 11, 1, 13)),
        ("lead-7d", utc(2023, 11, 8, 14)),
        ("lead-1d", utc(2023, 11, 14, 14)),
        ("due", utc(2023, 11, 15, 14)),
        ("overdue-1", utc(2023, 11, 16, 14)),
        ("overdue-2", utc(2023, 11, 23, 14)),
        ("overdue-3", utc(2023, 11, 30, 14)),
    ]


def test_weekly_reminders_stay_at_nine_across_the_spring_clock_change():
    # Clocks went forward on Sunday 10 March 2024.
    report = plan(D(2024, 2, 28))

    moments = rules.moments_between(report, utc(2024, 2, 29), utc(2024, 3, 15))

    assert listed(moments) == [
        ("overdue-1", utc(2024, 2, 29, 14)),
        ("overdue-2", utc(2024, 3, 7, 14)),
        ("overdue-3", utc(2024, 3, 14, 13)),
    ]
    assert rules.local_moment(D(2024, 3, 10), report) == utc(2024, 3, 10, 13)


@pytest.mark.parametrize(
    "rule", ["lead-14d", "lead-7d", "lead-1d", "due", "overdue-1", "overdue-2"]
)
def test_window_edges_one_second_before_at_and_after_each_moment(rule):
    report = plan(D(2023, 8, 13))
    at = dict(listed(rules.moments_between(report, utc(2023, 7, 1), utc(2023, 9, 1))))[rule]

    ending_before = rules.moments_between(report, at - dt.timedelta(days=30), at - SECOND)
    ending_at = rules.moments_between(report, at - dt.timedelta(days=30), at)
    starting_at = rules.moments_between(report, at, at + dt.timedelta(hours=1))
    starting_after = rules.moments_between(report, at + SECOND, at + dt.timedelta(hours=1))

    assert rule not in [m.rule for m in ending_before]
    assert ending_at[-1].rule == rule
    assert [m.rule for m in starting_at] == [rule]
    assert starting_after == []


def test_next_moment_after_and_at_a_moment():
    report = plan(D(2023, 8, 13))
    due = utc(2023, 8, 13, 13)

    assert rules.next_moment(report, after=due - SECOND) == due
    assert rules.next_moment(report, after=due) == utc(2023, 8, 15, 13)
    assert rules.next_moment(report, after=due, inclusive=True) == due
    assert rules.next_moment(report, after=utc(2023, 7, 1)) == utc(2023, 7, 30, 13)


def test_overdue_reminders_never_end_while_the_deadline_is_open():
    report = plan(D(2023, 8, 13))

    assert rules.next_moment(report, after=utc(2026, 1, 1)) == utc(2026, 1, 6, 14)
    (reminder,) = rules.moments_between(report, utc(2026, 1, 1), utc(2026, 1, 7))
    assert reminder.rule == "overdue-126"


def test_lead_days_and_overdue_interval_come_from_the_schedule():
    report = plan(D(2023, 8, 16), lead_days=(3, 30), overdue_every_days=3)

    moments = rules.moments_between(report, utc(2023, 7, 1), utc(2023, 8, 21))

    assert [m.rule for m in moments] == ["lead-30d", "lead-3d", "due", "overdue-1", "overdue-2"]
    assert [m.at.date() for m in moments[-2:]] == [D(2023, 8, 17), D(2023, 8, 20)]


def test_no_lead_days_leaves_the_due_day_and_reminders():
    report = plan(D(2023, 8, 16), lead_days=())

    moments = rules.moments_between(report, utc(2023, 7, 1), utc(2023, 8, 17, 23))

    assert [m.rule for m in moments] == ["due", "overdue-1"]


def test_lead_days_are_normalised_longest_first():
    assert rules.normalise_lead_days([1, 14, 7, 14]) == (14, 7, 1)
    assert rules.normalise_lead_days([]) == ()


@pytest.mark.parametrize("value", ["14,7", [0], [367], [7.5], [True], None])
def test_lead_days_must_be_whole_days_within_a_year(value):
    with pytest.raises(ValueError):
        rules.normalise_lead_days(value)


def test_next_digest_is_the_next_half_past_nine_in_new_york():
    half_past_nine = utc(2023, 8, 14, 13, 30)

    assert rules.next_digest_at(half_past_nine - SECOND, NEW_YORK) == half_past_nine
    assert rules.next_digest_at(half_past_nine, NEW_YORK) == utc(2023, 8, 15, 13, 30)
    assert rules.next_digest_at(utc(2023, 8, 14, 3), NEW_YORK) == half_past_nine  # 23:00 on 13th


def test_retries_double_then_give_up():
    delays = [rules.retry_after(n) for n in range(1, rules.MAX_ATTEMPTS + 1)]

    assert delays[:-1] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 64)]
    assert delays[-1] is None
