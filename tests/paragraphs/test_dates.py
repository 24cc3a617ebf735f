"""One window of dates (paragraphs.dates), enforced by every way in: forms, the API, the
admin, the services and the database; and pages that draw dates survive any date anyway.

A deadline rescheduled to 9999-12-31 or delivered on 0001-01-01 once took the dashboard
and every calendar feed down for everyone.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from paragraphs.dates import EARLIEST, LATEST, clamp, in_window, validate_tracked_date
from reports.dashboard.selectors import TimelineRow
from reports.dashboard.timeline import layout
from reports.enums import ScheduleKind
from reports.models import Deadline, Schedule
from reports.services import deadline_deliver, deadline_reschedule, schedule_sync_deadlines
from tests.factories import ResolutionFactory, ScheduleFactory

pytestmark = pytest.mark.django_db
BAD = ["0001-01-01", "1945-12-31", "2101-01-01", "9999-12-31"]


@pytest.fixture
def report(frozen_clock, analyst):
    schedule = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=30)
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=analyst)
    return deadline


def test_the_window_edges():
    assert in_window(EARLIEST) and in_window(LATEST)
    assert not in_window(EARLIEST - dt.timedelta(days=1))
    assert not in_window(LATEST + dt.timedelta(days=1))
    assert clamp(dt.date.min) == EARLIEST and clamp(dt.date.max) == LATEST
    with pytest.raises(ValidationError) as error:
        validate_tracked_date(dt.date.max)
    assert error.value.messages == ["Enter a date between Jan. 1, 1946 and Dec. 31, 2100."]


@pytest.mark.parametrize("day", BAD)
def test_the_services_refuse_dates_outside_the_window(report, analyst, day):
    day = dt.date.fromisoformat(day)
    with pytest.raises(ValidationError) as moved:
        deadline_reschedule(deadline=report, scheduled_on=day, reason="Typo", by=analyst)
    assert list(moved.value.message_dict) == ["scheduled_on"]
    if day < EARLIEST:  # a later day is refused as in the future first
        with pytest.raises(ValidationError) as delivered:
            deadline_deliver(deadline=report, circulated_on=day, by=analyst)
        assert list(delivered.value.message_dict) == ["circulated_on"]
    report.refresh_from_db()
    assert (report.scheduled_on, report.version) == (dt.date(2023, 8, 13), 1)


@pytest.mark.parametrize("day", BAD)
def test_the_pages_refuse_dates_outside_the_window(client, report, analyst, day):
    client.force_login(analyst)

    moved = client.post(
        f"/deadlines/{report.pk}/reschedule/",
        {f"reschedule-{report.pk}-{k}": v for k, v in
         {"version": 1, "scheduled_on": day, "reason": "Typo"}.items()},
    )  # fmt: skip
    delivered = client.post(
        f"/deadlines/{report.pk}/deliver/",
        {f"deliver-{report.pk}-{k}": v for k, v in {"version": 1, "circulated_on": day}.items()},
    )

    assert (moved.status_code, delivered.status_code) == (400, 400)
    assert "Enter a date between" in moved.content.decode()
    report.refresh_from_db()
    assert report.version == 1


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_admin_refuses_dates_outside_the_window(client, report, day):
    client.force_login(get_user_model().objects.create_superuser("root", password="x-Pw-123456"))

    response = client.post(
        f"/admin/reports/deadline/{report.pk}/change/",
        {
            "schedule": report.schedule_id,
            "sequence": 1,
            "due_on": "2023-08-13",
            "scheduled_on": day,
            "state": "open",
            "opened_version": 1,
        },
    )

    assert response.status_code == 200
    assert "Enter a date between" in str(response.context["adminform"].form.errors)
    report.refresh_from_db()
    assert report.scheduled_on == dt.date(2023, 8, 13)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("scheduled_on", dt.date(9999, 12, 31)),
        ("due_on", dt.date(1, 1, 1)),
        ("circulated_on", dt.date(1, 1, 1)),
        ("dated_on", dt.date(9999, 12, 31)),
        ("delivered_by", dt.date(1, 1, 1)),
    ],
)
def test_the_database_refuses_dates_outside_the_window(report, column, value):
    changes = {column: value}
    if column in ("circulated_on", "dated_on", "delivered_by"):
        changes["state"] = "delivered"
    with pytest.raises(IntegrityError, match="in_window"), transaction.atomic():
        Deadline.objects.filter(pk=report.pk).update(**changes)


def test_a_resolution_date_outside_the_window_is_refused_by_the_database(db):
    resolution = ResolutionFactory()
    with pytest.raises(IntegrityError, match="in_window"), transaction.atomic():
        type(resolution).objects.filter(pk=resolution.pk).update(
            mandate_expires_on=dt.date(9999, 12, 31)
        )


def test_a_rule_giving_thousands_of_deadlines_is_refused(frozen_clock, analyst):
    schedule = Schedule(
        obligation=ScheduleFactory(
            obligation__paragraph__resolution__mandate_expires_on=None
        ).obligation,
        kind=ScheduleKind.RECURRING,
        every_days=1,
        until=dt.date(2100, 12, 31),
    )

    with pytest.raises(ValidationError) as error:
        schedule.full_clean()

    assert "more than 500 deadlines" in " ".join(error.value.messages)


def test_a_rule_reaching_past_the_window_is_refused(frozen_clock, analyst):
    schedule = ScheduleFactory(
        kind=ScheduleKind.WITHIN_DAYS,
        within_days=32_000,
        obligation__paragraph__resolution__mandate_expires_on=None,
    )

    with pytest.raises(ValidationError) as error:
        schedule_sync_deadlines(schedule=schedule, by=analyst)

    assert "Enter a date between" in " ".join(error.value.messages)
    assert not Deadline.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "/dashboard/calendar/?month=9999-12",
        "/dashboard/calendar/?month=0001-01",
        "/dashboard/calendar/?month=2101-01",
        "/dashboard/?as_of=0001-01-01",
        "/dashboard/?due_from=0001-01-01",
        "/dashboard/export/deadlines.csv?as_of=0001-01-01",
    ],
)
def test_out_of_range_months_and_days_are_a_clear_400(client, viewer, res2692, query):
    client.force_login(viewer)

    response = client.get(query)

    assert response.status_code == 400
    assert "between" in response.content.decode()


def test_the_edges_of_the_window_still_draw(client, viewer, report, frozen_clock):
    """The last month of the window has no next month to link to; the page draws anyway."""
    client.force_login(viewer)

    for month in ("1946-01", "2100-12"):
        assert client.get("/dashboard/calendar/", {"month": month}).status_code == 200


def test_the_timeline_draws_whatever_dates_it_is_given():
    """The database refuses such dates; the chart must not fail on one that got in."""
    resolution = ResolutionFactory.build(adopted_on=dt.date.min, mandate_expires_on=dt.date.max)
    row = TimelineRow(
        schedule_id=1,
        obligation_id=1,
        resolution=resolution,
        paragraph_number=1,
        label="Report",
        deadlines=[
            {
                "sequence": 1,
                "due_on": dt.date.max,
                "scheduled_on": dt.date.max,
                "delivered_on": dt.date.min,
                "timing_label": "Late",
            }
        ],
    )

    chart = layout([row], today=dt.date(2023, 9, 1))

    assert chart.start < chart.end
    assert all(chart.plot_left <= mark.x <= chart.plot_right for mark in chart.rows[1].marks)


def test_the_feed_draws_the_last_day_of_the_calendar():
    from reports.dashboard.feeds import build_calendar

    row = {
        "id": 1,
        "obligation_id": 1,
        "scheduled_on": dt.date.max,
        "due_on": dt.date.max,
        "delivered_on": None,
        "dated_on": None,
        "circulated_on": None,
        "delivered_by": None,
        "delivery_evidence": "",
        "document_symbol": "",
        "tolerance_days": 0,
        "period_ends_on": None,
        "updated_at": dt.datetime(2023, 9, 1, tzinfo=dt.UTC),
        "version": 1,
        "state": "open",
        "resolution_symbol": "S/RES/1 (2023)",
        "paragraph_number": 1,
        "schedule_label": "Report",
        "obligation_summary": "Report",
        "owner": "SG",
    }

    ical = build_calendar([row], name="Test", obligation_url=lambda pk: f"http://x/{pk}/")

    assert b"DTSTART;VALUE=DATE:99991231" in ical
