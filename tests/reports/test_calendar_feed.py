import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from icalendar import Calendar

from reports import scale
from reports.dashboard import feeds
from reports.models import CalendarFeed, Deadline
from reports.services import calendar_feed_regenerate, calendar_feed_revoke

pytestmark = pytest.mark.django_db


def _feed_path(user) -> str:
    return f"/feeds/{feeds.feed_token(user.calendar_feed)}.ics"


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_is_created_from_the_dashboard_and_shown_there(client, viewer, res2692):
    client.force_login(viewer)

    response = client.post("/dashboard/feed/", {"action": "regenerate"})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/#calendar-feed"
    page = client.get("/dashboard/?resolution=2692&owner=unodc").content.decode()
    token = feeds.feed_token(CalendarFeed.objects.get(user=viewer))
    assert f'value="http://testserver/feeds/{token}.ics"' in page
    assert f'value="http://testserver/feeds/{token}.ics?resolution=2692&amp;owner=unodc"' in page
    assert "Your calendar feed URL is ready." in page


def test_feed_works_without_a_session_and_every_deadline_is_an_all_day_event(
    viewer, res2692, frozen_clock
):
    calendar_feed_regenerate(user=viewer)

    calendar = _parse(Client().get(_feed_path(viewer)))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == feeds.PRODID
    events = _events(calendar)
    deadlines = Deadline.objects.filter(schedule__obligation__paragraph__resolution=res2692)
    assert set(events) == {f"deadline-{d.pk}@mandate-tracker" for d in deadlines}
    options = deadlines.get(schedule__obligation__key="2692-op18-options-report")
    event = events[f"deadline-{options.pk}@mandate-tracker"]
    assert event.decoded("DTSTART") == dt.date(2023, 8, 13)  # a date: an all-day event
    assert event.decoded("DTEND") == dt.date(2023, 8, 14)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert str(event["SUMMARY"]) == (
        "Delivered: S/RES/2692 (2023) op. 18: Options report (30 days) (SG)"
    )
    assert "Circulated on: 2023-08-15" in str(event["DESCRIPTION"])
    assert "On time until 3 days after the scheduled date." in str(event["DESCRIPTION"])
    assert "Mandate period ends: 2024-07-15" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver/obligations/{options.schedule.obligation_id}/"


def test_feed_marks_what_an_ended_period_left_to_reconcile(viewer, res2692, frozen_clock):
    calendar_feed_regenerate(user=viewer)
    frozen_clock.move_to(dt.datetime(2024, 8, 1, 14, tzinfo=dt.UTC))

    events = _events(_parse(Client().get(_feed_path(viewer))))

    deadlines = Deadline.objects.filter(schedule__obligation__key="2692-op9-unodc-reports")
    summaries = [str(events[f"deadline-{d.pk}@mandate-tracker"]["SUMMARY"]) for d in deadlines]
    assert sorted(s.split(":")[0] for s in summaries) == [
        "Delivered",
        "Delivered",
        "Delivered",
        "To reconcile",
    ]
    first = deadlines.get(sequence=2)
    description = str(events[f"deadline-{first.pk}@mandate-tracker"]["DESCRIPTION"])
    assert "Delivered, date not confirmed." in description
    assert "Delivered by: 2024-01-25" in description


def test_feed_answers_head_and_refuses_post(viewer, res2692):
    calendar_feed_regenerate(user=viewer)
    client = Client()

    assert client.head(_feed_path(viewer)).status_code == 200
    assert client.post(_feed_path(viewer)).status_code == 405


def test_uids_and_content_are_stable_across_fetches(viewer, res2692, frozen_clock):
    calendar_feed_regenerate(user=viewer)
    client = Client()

    first = client.get(_feed_path(viewer))
    frozen_clock.move_to(dt.datetime(2023, 9, 2, 14, 0, tzinfo=dt.UTC))
    second = client.get(_feed_path(viewer))

    assert list(_events(_parse(first))) == list(_events(_parse(second)))
    assert first.content == second.content


def test_feed_filters_by_resolution_and_owner(viewer, res2692):
    calendar_feed_regenerate(user=viewer)

    calendar = _parse(Client().get(f"{_feed_path(viewer)}?resolution=2692&owner=unodc"))

    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert len(summaries) == 4
    assert all("op. 9: UNODC report" in s for s in summaries)
    assert "S/RES/2692 (2023)" in str(calendar["X-WR-CALNAME"])


@pytest.mark.parametrize("query", ["resolution=1", "owner=nobody"])
def test_feed_with_invalid_filters_is_a_bad_request(viewer, res2692, query):
    calendar_feed_regenerate(user=viewer)

    response = Client().get(f"{_feed_path(viewer)}?{query}")

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_feed_needs_its_exact_secret(viewer, analyst, res2692):
    calendar_feed_regenerate(user=viewer)
    token = feeds.feed_token(viewer.calendar_feed)
    key, signature = token.split(".")
    client = Client()

    assert client.get(f"/feeds/{key}.{signature[:-1]}x.ics").status_code == 404
    assert client.get(f"/feeds/{key}x.{signature}.ics").status_code == 404
    assert client.get(f"/feeds/{key}.ics").status_code == 404
    # A key alone (as stored in the database) signed with another secret opens nothing.
    assert client.get(f"/feeds/{key}.forged-signature.ics").status_code == 404


def test_revoked_feed_stops(client, viewer, res2692):
    calendar_feed_regenerate(user=viewer)
    path = _feed_path(viewer)
    client.force_login(viewer)

    response = client.post("/dashboard/feed/", {"action": "revoke"})

    assert response.status_code == 302
    assert not CalendarFeed.objects.filter(user=viewer).exists()
    assert Client().get(path).status_code == 404


def test_regenerated_feed_replaces_the_old_url(viewer, res2692):
    calendar_feed_regenerate(user=viewer)
    old = _feed_path(viewer)

    calendar_feed_regenerate(user=viewer)
    viewer.refresh_from_db()

    assert Client().get(old).status_code == 404
    assert Client().get(_feed_path(viewer)).status_code == 200
    assert CalendarFeed.objects.filter(user=viewer).count() == 1


def test_feed_stops_when_its_user_loses_the_role_or_is_deactivated(viewer, res2692):
    calendar_feed_regenerate(user=viewer)
    path = _feed_path(viewer)
    viewer.groups.remove(Group.objects.get(name="viewer"))

    assert Client().get(path).status_code == 404
    viewer.groups.add(Group.objects.get(name="viewer"))
    viewer.is_active = False
    viewer.save()
    assert Client().get(path).status_code == 404


def test_revoke_without_a_feed_is_harmless(viewer):
    assert calendar_feed_revoke(user=viewer) is False


def test_feed_management_needs_a_signed_in_viewer_and_post(client, outsider, viewer):
    assert client.post("/dashboard/feed/", {"action": "regenerate"}).status_code == 302
    client.force_login(outsider)
    assert client.post("/dashboard/feed/", {"action": "regenerate"}).status_code == 403
    client.force_login(viewer)
    assert client.get("/dashboard/feed/").status_code == 405
    response = client.post("/dashboard/feed/", {"action": "publish"})
    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()


def test_feed_management_checks_csrf(viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)

    assert client.post("/dashboard/feed/", {"action": "regenerate"}).status_code == 403
    page = client.get("/dashboard/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/dashboard/feed/", {"action": "regenerate", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert CalendarFeed.objects.filter(user=viewer).exists()


@pytest.mark.parametrize("deadlines", [2, 600])
def test_feed_query_count_is_constant(viewer, frozen_clock, django_assert_num_queries, deadlines):
    scale.generate(
        scale.ScaleSpec(
            resolutions=3, obligations=30, deadlines=deadlines, today=dt.date(2023, 9, 1)
        )
    )
    calendar_feed_regenerate(user=viewer)
    path = _feed_path(viewer)

    # feed and its user, permissions (user's, groups'), deadlines (one server-side cursor)
    with django_assert_num_queries(4):
        response = Client().get(path)
    assert len(_parse(response).walk("VEVENT")) == deadlines
