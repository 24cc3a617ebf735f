import datetime as dt
import re

import pytest
import time_machine

from paragraphs.enums import ObligationStatus
from paragraphs.history import system_user
from paragraphs.services import obligation_update
from reports import scale
from reports.dashboard import selectors, snapshot
from reports.services import deadline_deliver
from tests.factories import (
    ActorFactory,
    DeadlineFactory,
    ObligationFactory,
    ParagraphFactory,
    ScheduleFactory,
)

pytestmark = pytest.mark.django_db

# Monday 4 September 2023, 10:00 in New York.
MONDAY = dt.datetime(2023, 9, 4, 14, 0, tzinfo=dt.UTC)


def _figures(response) -> dict:
    return response.context["figures"]


def _deliver(deadline, day: dt.date):
    return deadline_deliver(deadline=deadline, circulated_on=day, by=system_user())


# Access


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/dashboard/calendar/", "/dashboard/export/deadlines.csv"]
)
def test_anonymous_visitor_is_sent_to_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/",
        "/dashboard/calendar/",
        "/dashboard/export/obligations.csv",
        "/dashboard/export/deadlines.xlsx",
    ],
)
def test_user_without_a_role_is_refused(client, outsider, path):
    client.force_login(outsider)

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["viewer", "analyst", "manager"])
@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/",
        "/dashboard/calendar/",
        "/dashboard/export/obligations.csv",
        "/dashboard/export/deadlines.xlsx",
    ],
)
def test_every_role_sees_the_dashboards(client, request, role, path):
    client.force_login(request.getfixturevalue(role))

    assert client.get(path).status_code == 200


def test_dashboard_refuses_post(client, viewer):
    client.force_login(viewer)

    assert client.post("/dashboard/").status_code == 405


# Headline figures and the weekend rule


def test_weekend_delivery_on_the_next_working_day_counts_as_on_time(client, viewer, frozen_clock):
    schedule = ScheduleFactory()
    cases = [
        # (scheduled on, delivered on, on time?)
        (dt.date(2023, 8, 12), dt.date(2023, 8, 14), True),  # Saturday -> Monday
        (dt.date(2023, 8, 13), dt.date(2023, 8, 14), True),  # Sunday -> Monday
        (dt.date(2023, 8, 12), dt.date(2023, 8, 15), False),  # Saturday -> Tuesday
        (dt.date(2023, 8, 11), dt.date(2023, 8, 14), False),  # Friday -> Monday
        (dt.date(2023, 8, 16), dt.date(2023, 8, 16), True),  # Wednesday, same day
        (dt.date(2023, 8, 16), dt.date(2023, 8, 10), True),  # early
    ]
    for scheduled_on, delivered_on, _on_time in cases:
        _deliver(DeadlineFactory(schedule=schedule, due_on=scheduled_on), delivered_on)
    client.force_login(viewer)

    figures = _figures(client.get("/dashboard/"))

    assert figures["delivered_on_time"] == sum(1 for *_, on_time in cases if on_time) == 4
    assert figures["delivered_late"] == 2
    assert figures["on_time_percent"] == 67


def test_open_deadlines_are_counted_by_window_with_the_weekend_grace(client, viewer, frozen_clock):
    frozen_clock.move_to(MONDAY)
    schedule = ScheduleFactory()
    for day in [
        dt.date(2023, 9, 1),  # Friday: overdue on Monday
        dt.date(2023, 9, 2),  # Saturday: still due on Monday
        dt.date(2023, 9, 3),  # Sunday: still due on Monday
        dt.date(2023, 9, 4),  # today
        dt.date(2023, 9, 11),  # today + 7
        dt.date(2023, 9, 12),  # today + 8
        dt.date(2023, 10, 4),  # today + 30
        dt.date(2023, 12, 3),  # today + 90
        dt.date(2023, 12, 4),  # today + 91
    ]:
        DeadlineFactory(schedule=schedule, due_on=day)
    client.force_login(viewer)

    response = client.get("/dashboard/")

    figures = _figures(response)
    assert figures["overdue"] == 1
    assert figures["due_7"] == 4
    assert figures["due_30"] == 6
    assert figures["due_90"] == 7
    assert [r["scheduled_on"] for r in response.context["overdue"]] == [dt.date(2023, 9, 1)]
    assert [r["timing"] for r in response.context["upcoming"]][:4] == [
        "due",
        "due",
        "due",
        "upcoming",
    ]


def test_overdue_starts_one_day_after_a_weekday_deadline(client, viewer, frozen_clock):
    DeadlineFactory(due_on=dt.date(2023, 9, 1))  # Friday, frozen clock's day
    client.force_login(viewer)

    assert _figures(client.get("/dashboard/"))["overdue"] == 0
    frozen_clock.move_to(dt.datetime(2023, 9, 2, 4, 0, tzinfo=dt.UTC))  # 00:00 in New York
    assert _figures(client.get("/dashboard/"))["overdue"] == 1


def test_open_obligations_and_status_counts(client, viewer, frozen_clock):
    ObligationFactory(status=ObligationStatus.NOT_STARTED)
    ObligationFactory(status=ObligationStatus.IN_PROGRESS)
    ObligationFactory(status=ObligationStatus.COMPLETED)
    ObligationFactory(status=ObligationStatus.NOT_APPLICABLE)
    client.force_login(viewer)

    figures = _figures(client.get("/dashboard/"))

    assert figures["obligations"] == 4
    assert figures["open_obligations"] == 2
    assert figures["status_completed"] == 1


def test_2692_after_the_mandate(client, viewer, res2692, frozen_clock):
    """1 August 2024: the BINUH period under 2692 ended on 15 July, renewed by 2743."""
    frozen_clock.move_to(dt.datetime(2024, 8, 1, 14, 0, tzinfo=dt.UTC))
    client.force_login(viewer)

    current = client.get("/dashboard/?resolution=2692")
    ended = client.get("/dashboard/?resolution=2692&periods=ended")

    # The default view is the current periods: 2692's is over (2743 has no text yet).
    assert (_figures(current)["obligations"], _figures(current)["overdue"]) == (0, 0)
    assert current.context["to_reconcile"] == []
    figures = _figures(ended)
    assert figures["obligations"] == 24
    # On time: the options report (Tuesday 15 August, within the tolerance), UNODC's report
    # of 17 October, S/2024/62 (15 January) and S/2024/310 (16 April) with their annexes
    # and progress reports (4), the renewal by 2743 (12 July). Late: UNODC's of 22 April.
    assert (figures["delivered_on_time"], figures["delivered_late"]) == (9, 1)
    # Delivered, date not confirmed: S/2023/768 and S/2024/508 with their annexes and
    # progress reports (6), UNODC's of about 24 January.
    assert figures["delivered_unconfirmed"] == 7
    # Nothing is overdue after the period; UNODC's fourth report, never found, is to
    # reconcile.
    assert (figures["overdue"], figures["to_reconcile"]) == (0, 1)
    (row,) = ended.context["to_reconcile"]
    assert (row["scheduled_on"], row["timing"]) == (dt.date(2024, 7, 15), "to_reconcile")
    assert f'href="/obligations/{row["obligation_id"]}/"' in ended.content.decode()


def test_2692_as_of_1_august_2024_and_as_of_today(client, viewer, res2692, frozen_clock):
    """The same day seen from today: the record of the past as it stood that evening."""
    frozen_clock.move_to(dt.datetime(2026, 12, 4, 14, 0, tzinfo=dt.UTC))
    client.force_login(viewer)

    then = _figures(client.get("/dashboard/?resolution=2692&periods=all&as_of=2024-08-01"))
    today = _figures(client.get("/dashboard/?resolution=2692&periods=all"))

    for figures in (then, today):
        assert (figures["overdue"], figures["to_reconcile"]) == (0, 1)
        assert figures["delivered_unconfirmed"] == 7
    assert _figures(client.get("/dashboard/"))["overdue"] == 0


# Lists, grid, owners


def test_upcoming_and_overdue_lists_link_to_the_obligation(client, viewer, frozen_clock):
    overdue = DeadlineFactory(due_on=dt.date(2023, 8, 1))
    upcoming = DeadlineFactory(due_on=dt.date(2023, 9, 20))
    client.force_login(viewer)

    response = client.get("/dashboard/")

    assert [r["id"] for r in response.context["overdue"]] == [overdue.pk]
    assert [r["id"] for r in response.context["upcoming"]] == [upcoming.pk]
    page = response.content.decode()
    assert f'href="/obligations/{overdue.schedule.obligation_id}/"' in page
    assert "31 days late" in page
    assert "19 days left" in page


def test_lists_are_cut_and_say_so(client, viewer, frozen_clock):
    schedule = ScheduleFactory()
    for n in range(selectors.LIST_LIMIT + 3):
        DeadlineFactory(schedule=schedule, due_on=dt.date(2023, 8, 1) - dt.timedelta(days=n))
    client.force_login(viewer)

    response = client.get("/dashboard/")

    assert len(response.context["overdue"]) == selectors.LIST_LIMIT
    assert _figures(response)["overdue"] == selectors.LIST_LIMIT + 3
    assert "The first 50 of 53 are listed" in response.content.decode()


def test_status_grid_of_2692(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    response = client.get("/dashboard/")

    (row,) = response.context["grid"]
    statuses = {cell.number: cell.status for cell in row.cells}
    assert list(statuses) == list(range(1, 20))
    assert statuses[18] == ObligationStatus.COMPLETED
    assert statuses[19] == "none"  # "remains seized" asks nothing
    assert statuses[4] == ObligationStatus.NOT_STARTED
    assert 'class="cell cell-completed"' in response.content.decode()


def test_status_grid_marks_a_paragraph_with_an_overdue_deadline(client, viewer, frozen_clock):
    late = DeadlineFactory(due_on=dt.date(2023, 8, 1))
    resolution = late.schedule.obligation.paragraph.resolution
    ObligationFactory(
        paragraph=ParagraphFactory(resolution=resolution), status=ObligationStatus.IN_PROGRESS
    )
    client.force_login(viewer)

    (row,) = client.get("/dashboard/").context["grid"]

    assert [(c.status, c.overdue) for c in row.cells] == [
        ("overdue", 1),
        (ObligationStatus.IN_PROGRESS, 0),
    ]


def test_cell_status_rules():
    assert selectors.cell_status({}, 0) == "none"
    assert selectors.cell_status({"completed": 2}, 1) == "overdue"
    assert selectors.cell_status({"completed": 2}, 0) == "completed"
    assert selectors.cell_status({"not_started": 1, "not_applicable": 1}, 0) == "not_started"
    assert selectors.cell_status({"not_started": 1, "completed": 1}, 0) == "in_progress"


def test_by_owner_counts(client, viewer, frozen_clock):
    sg = ActorFactory(code="sg", name_en="Secretary-General", abbreviation="SG")
    unodc = ActorFactory(code="unodc-test", name_en="UNODC office")
    late = DeadlineFactory(schedule=ScheduleFactory(obligation=ObligationFactory(owner=sg)))
    _deliver(late, dt.date(2023, 8, 20))
    DeadlineFactory(
        schedule=ScheduleFactory(obligation=ObligationFactory(owner=unodc)),
        due_on=dt.date(2023, 8, 1),
    )
    client.force_login(viewer)

    owners = {o.label: o for o in client.get("/dashboard/").context["owners"]}

    assert list(owners) == ["UNODC office", "SG"]  # the one with something overdue first
    sg, other = owners["SG"], owners["UNODC office"]
    assert (sg.delivered_late, sg.overdue, sg.counts["completed"]) == (1, 0, 1)
    assert (other.overdue, other.delivered_late, other.open_obligations) == (1, 0, 1)


# Filters


def test_filters_narrow_every_figure(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    response = client.get("/dashboard/?resolution=2692&owner=unodc&status=not_applicable")

    figures = _figures(response)
    assert (figures["obligations"], figures["deadlines"]) == (0, 0)
    response = client.get("/dashboard/?owner=unodc")
    assert _figures(response)["obligations"] == 1  # paragraph 13 asks nothing of UNODC
    assert [o.label for o in response.context["owners"]] == ["UNODC"]
    assert response.context["chart"].rows[1].label.startswith("9 · UNODC report")


def test_date_range_narrows_deadlines(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    figures = _figures(client.get("/dashboard/?due_from=2023-08-01&due_to=2023-08-31"))

    assert figures["deadlines"] == 1  # the options report
    assert (figures["delivered_on_time"], figures["delivered_late"]) == (1, 0)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("as_of=yesterday", "as_of", "Enter a valid date."),
        ("as_of=2099-01-01", "as_of", "“As of” cannot be in the future."),
        ("as_of=0001-01-01", "as_of", "Enter a date between"),
        ("due_to=9999-12-31", "due_to", "Enter a date between"),
        ("resolution=99999", "resolution", "Select a valid choice."),
        ("owner=nobody", "owner", "Select a valid choice."),
        ("status=late", "status", "Select a valid choice."),
        ("due_from=2024-01-02&due_to=2024-01-01", "due_to", "The end of the date range"),
    ],
)
def test_invalid_filters_show_the_form_error(client, viewer, res2692, query, field, message):
    client.force_login(viewer)

    response = client.get(f"/dashboard/?{query}")

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "figures" not in response.context
    assert "Nothing is shown until the filters above are corrected." in response.content.decode()


def test_filter_links_keep_the_query_string(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    page = client.get("/dashboard/?resolution=2692&owner=unodc").content.decode()

    assert 'href="/dashboard/export/deadlines.csv?resolution=2692&amp;owner=unodc"' in page
    assert 'href="/dashboard/calendar/?resolution=2692&amp;owner=unodc"' in page


def test_dashboard_escapes_user_written_text(client, viewer, frozen_clock):
    DeadlineFactory(
        schedule=ScheduleFactory(label="<script>alert(1)</script>"), due_on=dt.date(2023, 9, 5)
    )
    client.force_login(viewer)

    page = client.get("/dashboard/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# As of a past day


def test_2692_as_of_1_september_2023_from_a_later_day(client, viewer, res2692, frozen_clock):
    frozen_clock.move_to(dt.datetime(2024, 8, 1, 14, 0, tzinfo=dt.UTC))
    client.force_login(viewer)

    now = client.get("/dashboard/?resolution=2692&periods=all")
    then = client.get("/dashboard/?resolution=2692&as_of=2023-09-01")

    assert _figures(now)["delivered_on_time"] + _figures(now)["delivered_late"] == 10
    figures = _figures(then)
    # The options report was delivered (on time, within the tolerance), nothing else yet...
    assert (figures["delivered_on_time"], figures["delivered_late"]) == (1, 0)
    # ...and the first quarterly reports of 15 October were not yet due.
    assert figures["overdue"] == 0
    upcoming = then.context["upcoming"]
    assert [(r["scheduled_on"], r["timing"]) for r in upcoming] == [
        (dt.date(2023, 10, 15), "upcoming")
    ] * 4
    assert {r["paragraph_number"] for r in upcoming} == {1, 9, 10}
    (row,) = then.context["grid"]
    assert {c.number: c.status for c in row.cells}[18] == ObligationStatus.COMPLETED
    assert "As it stood at the end of Sept. 1, 2023" in then.content.decode()


def test_2692_as_of_the_monday_after_the_options_report_fell_due(
    client, viewer, res2692, frozen_clock
):
    client.force_login(viewer)

    # Due Sunday 13 August: on Monday 14th it is still due, not overdue; not yet delivered.
    response = client.get("/dashboard/?resolution=2692&as_of=2023-08-14")

    figures = _figures(response)
    assert (figures["overdue"], figures["due_7"], figures["delivered_late"]) == (0, 1, 0)
    assert response.context["upcoming"][0]["timing"] == "due"
    # On Tuesday 15th it was circulated: delivered, on time within the schedule's tolerance.
    figures = _figures(client.get("/dashboard/?resolution=2692&as_of=2023-08-15"))
    assert (figures["overdue"], figures["delivered_on_time"]) == (0, 1)


def test_as_of_replays_a_history_built_in_the_test(client, viewer, db):
    """Created on 1 March, owner changed on 10 March, delivered on 20 March, and a second
    obligation created on 25 March: each day's dashboard sees exactly what was true."""
    first_owner = ActorFactory(code="first-owner", name_en="First owner")
    second_owner = ActorFactory(code="second-owner", name_en="Second owner")
    with time_machine.travel(dt.datetime(2024, 3, 1, 15, 0, tzinfo=dt.UTC), tick=False):
        obligation = ObligationFactory(owner=first_owner)
        deadline = DeadlineFactory(
            schedule=ScheduleFactory(obligation=obligation), due_on=dt.date(2024, 3, 15)
        )
        # Two writes in one frozen instant: the as-of view must still see the obligation once.
        obligation_update(obligation=obligation, by=system_user(), note="Same instant.")
    with time_machine.travel(dt.datetime(2024, 3, 10, 15, 0, tzinfo=dt.UTC), tick=False):
        obligation_update(obligation=obligation, by=system_user(), owner=second_owner)
    with time_machine.travel(dt.datetime(2024, 3, 20, 15, 0, tzinfo=dt.UTC), tick=False):
        _deliver(deadline, dt.date(2024, 3, 19))
    with time_machine.travel(dt.datetime(2024, 3, 25, 15, 0, tzinfo=dt.UTC), tick=False):
        ObligationFactory()
    client.force_login(viewer)

    def owners_on(day):
        response = client.get(f"/dashboard/?as_of={day}")
        return _figures(response), [(o.label, o.obligations) for o in response.context["owners"]]

    with time_machine.travel(dt.datetime(2024, 4, 1, 15, 0, tzinfo=dt.UTC), tick=False):
        before = client.get("/dashboard/?as_of=2024-02-29")
        figures, owners = owners_on("2024-03-05")
        assert _figures(before)["obligations"] == 0
        assert (figures["obligations"], figures["due_30"], figures["overdue"]) == (1, 1, 0)
        assert owners == [("First owner", 1)]
        figures, owners = owners_on("2024-03-18")
        assert (figures["overdue"], owners) == (1, [("Second owner", 1)])
        figures, owners = owners_on("2024-03-20")
        assert (figures["overdue"], figures["delivered_late"], figures["obligations"]) == (0, 1, 1)
        figures, _owners = owners_on("2024-03-31")
        assert figures["obligations"] == 2


def test_as_of_hides_a_deletion(db, frozen_clock):
    deadline = DeadlineFactory()
    frozen_clock.move_to(dt.datetime(2023, 9, 5, 14, 0, tzinfo=dt.UTC))
    deadline.delete()

    def count(day):
        return snapshot.take(snapshot.Filters(as_of=day), today=day).deadlines.count()

    assert count(dt.date(2023, 9, 1)) == 1
    assert count(dt.date(2023, 9, 5)) == 0


def test_as_of_uses_the_project_time_zone_for_the_end_of_the_day(db, frozen_clock):
    # 02:00 UTC on 2 September is still 1 September in New York.
    frozen_clock.move_to(dt.datetime(2023, 9, 2, 2, 0, tzinfo=dt.UTC))
    DeadlineFactory()

    def count(day):
        return snapshot.take(snapshot.Filters(as_of=day), today=day).deadlines.count()

    assert count(dt.date(2023, 8, 31)) == 0
    assert count(dt.date(2023, 9, 1)) == 1


# Timeline


def test_timeline_rows_are_the_schedules_in_view(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    response = client.get("/dashboard/?resolution=2692")

    chart = response.context["chart"]
    labels = [row.label for row in chart.rows]
    assert labels[0] == "S/RES/2692 (2023)"
    assert "18 · Options report (30 days)" in labels
    assert response.context["timeline_total"] == 6
    options = next(r for r in chart.rows if r.label.startswith("18 ·"))
    (mark,) = options.marks
    assert mark.deadline["timing"] == "on_time"  # Tuesday 15 August, within the tolerance
    assert mark.delivered_x > mark.x
    page = response.content.decode()
    assert page.count('<circle class="mark"') == 18
    assert 'class="today"' in page


def test_timeline_draws_at_most_its_row_limit(client, viewer, frozen_clock):
    obligation = ObligationFactory()
    for _ in range(selectors.TIMELINE_ROWS + 2):
        DeadlineFactory(schedule=ScheduleFactory(obligation=obligation))
    client.force_login(viewer)

    response = client.get("/dashboard/")

    assert response.context["timeline_rows_shown"] == selectors.TIMELINE_ROWS
    assert response.context["timeline_total"] == selectors.TIMELINE_ROWS + 2
    assert "The first 40 are drawn" in response.content.decode()


def test_by_owner_from_summaries_equals_counting_every_deadline(frozen_clock):
    """The live dashboard sums the obligations' deadline summaries; a date range (here one
    that holds every deadline) counts the deadlines themselves: both must agree."""
    _portfolio(4, 60, 400)
    every_date = snapshot.Filters(due_from=dt.date(1900, 1, 1), due_to=dt.date(2100, 1, 1))
    today = dt.date(2023, 9, 1)
    live = snapshot.take(snapshot.Filters(), today=today)
    counted = snapshot.take(every_date, today=today)
    assert selectors.counts_from_summaries(live)
    assert not selectors.counts_from_summaries(counted)

    from_summaries = selectors.by_owner(live)
    from_deadlines = selectors.by_owner(counted)

    assert [vars(row) for row in from_summaries] == [vars(row) for row in from_deadlines]
    figures = selectors.headline(from_summaries)
    assert figures["deadlines"] == 400
    assert figures["delivered_on_time"] and figures["delivered_late"] and figures["waived"]


# A constant number of queries whatever the size


def _portfolio(resolutions, obligations, deadlines):
    scale.generate(
        scale.ScaleSpec(
            resolutions=resolutions,
            obligations=obligations,
            deadlines=deadlines,
            today=dt.date(2023, 9, 1),
        )
    )


@pytest.mark.parametrize(("resolutions", "obligations", "deadlines"), [(1, 1, 2), (15, 120, 600)])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # session, user, permissions (user's, groups'), per owner (obligations, deadlines;
        # the headline figures are their sums), upcoming, overdue, grid (resolutions,
        # paragraphs, obligations, overdue), timeline (schedules, deadlines), feed,
        # resolution and owner choices, the header's unread count. (The generated mandates
        # are open-ended: all in the default view of current periods.)
        ("", 18),
        # the same, as of a day (history tables instead of live ones)
        ("as_of=2023-06-01", 18),
        # + the resolution looked up; the grid needs no resolution query
        (f"resolution={scale.FIRST_NUMBER}", 18),
        # every period: + the deadlines to reconcile (none can be in current periods)
        ("periods=all", 19),
    ],
)
def test_dashboard_query_count_is_constant(
    client,
    viewer,
    frozen_clock,
    django_assert_num_queries,
    resolutions,
    obligations,
    deadlines,
    query,
    queries,
):
    _portfolio(resolutions, obligations, deadlines)
    client.force_login(viewer)
    client.get("/dashboard/")  # warm the session

    with django_assert_num_queries(queries):
        response = client.get(f"/dashboard/?{query}")

    assert response.status_code == 200


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_dashboard_in_other_languages_keeps_svg_coordinates_numeric(
    client, viewer, res2692, frozen_clock, language
):
    client.force_login(viewer)

    response = client.get("/dashboard/?resolution=2692", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert response["Content-Language"] == language
    coordinates = re.findall(
        r'<circle class="mark" cx="([^"]+)" cy="([^"]+)"', response.content.decode()
    )
    assert len(coordinates) == 18
    assert all(float(x) > 0 and float(y) > 0 for x, y in coordinates)
