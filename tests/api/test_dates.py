"""The API refuses dates outside the tracked window (paragraphs.dates) with a 400."""

import pytest

from reports.enums import ScheduleKind
from reports.services import schedule_sync_deadlines
from tests.factories import ScheduleFactory

pytestmark = pytest.mark.django_db
BAD = ["0001-01-01", "1945-12-31", "2101-01-01", "9999-12-31"]


@pytest.fixture
def report(frozen_clock, analyst):
    schedule = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=30)
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=analyst)
    return deadline


@pytest.mark.parametrize("day", BAD)
def test_the_api_refuses_dates_outside_the_window(api, write_token, report, day):
    url = f"/api/v1/deadlines/{report.pk}/"
    etag = api.get(url, token=write_token)["ETag"]

    moved = api.post(
        f"{url}reschedule/",
        {"scheduled_on": day, "reason": "Typo"},
        token=write_token,
        headers={"If-Match": etag},
    )
    delivered = api.post(
        f"{url}deliver/", {"delivered_on": day}, token=write_token, headers={"If-Match": etag}
    )

    assert moved.status_code == delivered.status_code == 400
    assert list(moved.json()["fields"]) == ["scheduled_on"]
    assert list(delivered.json()["fields"]) == ["delivered_on"]
