import datetime as dt

import pytest

from reports import scale
from reports.dashboard.views import CALENDAR_PER_DAY
from tests.factories import DeadlineFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


def test_october_2023_of_2692(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    response = client.get("/dashboard/calendar/?month=2023-10&resolution=2692")

    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert weeks[0][0]["date"] == dt.date(2023, 9, 25)  # weeks start on Monday
    assert weeks[-1][-1]["date"] == dt.date(2023, 11, 5)
    days = {day["date"]: day for week in weeks for day in week}
    october_15 = days[dt.date(2023, 10, 15)]["deadlines"]
    # The reports of the Secretary-General and UNODC, paragraph 9's progress report and
    # paragraph 10's annex.
    assert sorted(r["paragraph_number"] for r in october_15) == [1, 9, 9, 10]
    assert response.context["month_total"] == 4
    page = response.content.decode()
    assert "October 2023" in page
    assert 'href="?month=2023-09&amp;resolution=2692" rel="prev"' in page


def test_calendar_defaults_to_this_month(client, viewer, frozen_clock):
    client.force_login(viewer)

    response = client.get("/dashboard/calendar/")

    assert response.context["month"] == dt.date(2023, 9, 1)


def test_a_busy_day_lists_a_few_and_counts_the_rest(client, viewer, frozen_clock):
    schedule = ScheduleFactory()
    for _ in range(CALENDAR_PER_DAY + 3):
        DeadlineFactory(schedule=schedule, due_on=dt.date(2023, 9, 14))
    client.force_login(viewer)

    response = client.get("/dashboard/calendar/?month=2023-09")

    (day,) = [d for w in response.context["weeks"] for d in w if d["date"].day == 14]
    assert (len(day["deadlines"]), day["more"]) == (CALENDAR_PER_DAY, 3)
    assert "+3 more" in response.content.decode()


@pytest.mark.parametrize("month", ["2023-13", "October", "2023-10-01"])
def test_invalid_month_shows_the_form_error(client, viewer, month):
    client.force_login(viewer)

    response = client.get(f"/dashboard/calendar/?month={month}")

    assert response.status_code == 400
    assert response.context["form"].errors["month"] == ["Enter a month as YYYY-MM, e.g. 2023-10."]
    assert "weeks" not in response.context


@pytest.mark.parametrize("deadlines", [2, 600])
def test_calendar_query_count_is_constant(
    client, viewer, frozen_clock, django_assert_num_queries, deadlines
):
    scale.generate(
        scale.ScaleSpec(
            resolutions=2, obligations=20, deadlines=deadlines, today=dt.date(2023, 9, 1)
        )
    )
    client.force_login(viewer)
    client.get("/dashboard/calendar/")

    # session, user, permissions (user's, groups'), counts per day, deadlines (at most
    # CALENDAR_PER_DAY a day), resolution and owner choices, the header's unread count
    with django_assert_num_queries(9):
        response = client.get("/dashboard/calendar/?month=2023-06")
    assert response.status_code == 200
