"""The mandate pages, recording a resolution without text, and closing or carrying forward
an ended period's obligations in the browser."""

import datetime as dt

import pytest

from paragraphs.enums import ObligationStatus
from paragraphs.models import Mandate, Obligation, Resolution
from reports.enums import DeadlineState
from reports.models import Deadline

pytestmark = pytest.mark.django_db
AFTER_THE_PERIOD = dt.datetime(2024, 8, 1, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def after_the_period(res2692, frozen_clock):
    frozen_clock.move_to(AFTER_THE_PERIOD)
    return res2692


def test_the_mandate_list_shows_the_chain_and_what_is_to_reconcile(
    client, viewer, after_the_period
):
    client.force_login(viewer)

    response = client.get("/mandates/")

    assert response.status_code == 200
    (row,) = response.context["mandates"]
    assert [r.number for r in row["resolutions"]] == [2476, 2645, 2692, 2743]
    assert (row["current"].number, row["to_reconcile"]) == (2743, 1)
    assert "Record a resolution" not in response.content.decode()  # viewers only read


def test_the_mandate_page_draws_the_chain_its_timeline_and_the_list_to_reconcile(
    client, viewer, after_the_period
):
    client.force_login(viewer)

    response = client.get("/mandates/BINUH/")

    page = response.content.decode()
    assert response.status_code == 200
    states = {row["resolution"].number: row["state"] for row in response.context["chain"]}
    assert states == {2476: "ended", 2645: "ended", 2692: "ended", 2743: "current"}
    assert "recorded, no text yet" in page  # 2743
    (row,) = response.context["to_reconcile"]
    assert (row["paragraph_number"], row["sequence"]) == (9, 4)
    assert page.count('class="band band-') == 4
    assert 'class="mark timing-to_reconcile"' in page
    # Nothing to carry forward to until 2743's text is imported; closing needs a role.
    assert "Import the text of the renewing resolution" not in page  # no edit role
    assert 'action="/obligations/' not in page


def test_an_unknown_mandate_is_404(client, viewer, db):
    client.force_login(viewer)

    assert client.get("/mandates/NOPE/").status_code == 404


def test_an_analyst_closes_an_ended_obligation_with_a_reason(client, analyst, after_the_period):
    client.force_login(analyst)
    unodc = Obligation.objects.get(key="2692-op9-unodc-reports")
    page = client.get("/mandates/BINUH/").content.decode()
    assert "Import the text of the renewing resolution to carry it forward." in page

    empty = client.post(f"/obligations/{unodc.pk}/close/", {f"close-{unodc.pk}-reason": ""})
    closed = client.post(
        f"/obligations/{unodc.pk}/close/",
        {f"close-{unodc.pk}-reason": "<b>Renewed by 2743; UNODC reports continue there</b>"},
    )

    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    assert closed.status_code == 302 and closed["Location"] == "/mandates/BINUH/"
    unodc.refresh_from_db()
    assert unodc.status == ObligationStatus.CLOSED
    page = client.get(f"/obligations/{unodc.pk}/").content.decode()
    assert "&lt;b&gt;Renewed by 2743" in page  # the reason, in the history, escaped
    assert "Closed with its period" in page


def test_a_viewer_cannot_close_or_carry_forward(client, viewer, after_the_period):
    client.force_login(viewer)
    unodc = Obligation.objects.get(key="2692-op9-unodc-reports")

    for action in ("close", "carry-forward"):
        response = client.post(f"/obligations/{unodc.pk}/{action}/", {})
        assert response.status_code == 403
    unodc.refresh_from_db()
    assert unodc.status != ObligationStatus.CLOSED


def test_carrying_forward_to_a_paragraph_of_an_unrelated_resolution_is_refused(
    client, analyst, after_the_period
):
    client.force_login(analyst)
    unodc = Obligation.objects.get(key="2692-op9-unodc-reports")
    foreign = after_the_period.paragraphs.get(number=3)  # 2692 does not renew itself

    response = client.post(
        f"/obligations/{unodc.pk}/carry-forward/", {f"carry-{unodc.pk}-paragraph": foreign.pk}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Obligation.objects.count() == 24


def test_recording_a_renewal_in_the_browser(client, analyst, after_the_period):
    client.force_login(analyst)

    bad = client.post(
        "/resolutions/record/",
        {"number": 2785, "year": 2024, "adopted_on": "2025-07-14", "renews": 2743},
    )
    too_early = client.post(
        "/resolutions/record/",
        {"number": 2785, "year": 2024, "adopted_on": "2024-07-01", "renews": 2743},
    )

    assert bad.status_code == 400
    assert "The year is the year of adoption." in bad.content.decode()
    assert too_early.status_code == 400
    assert "A resolution renews one adopted before it." in too_early.content.decode()
    assert not Resolution.objects.filter(number=2785).exists()
    ok = client.post(
        "/resolutions/record/",
        {
            "number": 2785,
            "year": 2024,
            "adopted_on": "2024-07-31",
            "mandate_expires_on": "2025-07-31",
            "renews": 2743,
        },
    )
    assert ok.status_code == 302 and ok["Location"] == "/mandates/BINUH/"
    recorded = Resolution.objects.get(number=2785)
    assert (recorded.symbol, recorded.mandate.code, recorded.renews.number) == (
        "S/RES/2785 (2024)",
        "BINUH",
        2743,
    )
    assert recorded.history.latest().history_user == analyst


def test_recording_needs_an_edit_role(client, viewer, db):
    client.force_login(viewer)

    assert client.get("/resolutions/record/").status_code == 403
    assert client.post("/resolutions/record/", {"number": 1}).status_code == 403


def test_a_report_and_its_annex_are_delivered_in_one_action_in_the_browser(
    client, analyst, res2692_august_2023, frozen_clock
):
    frozen_clock.move_to(dt.datetime(2023, 10, 24, 14, 0, tzinfo=dt.UTC))
    client.force_login(analyst)
    report = Deadline.objects.get(schedule__obligation__key="2692-op1-sg-reports", sequence=1)
    annex = Deadline.objects.get(
        schedule__obligation__key="2692-op10-gang-violence-annex", sequence=1
    )
    page = client.get(f"/obligations/{report.schedule.obligation_id}/").content.decode()
    assert f'name="deliver-{report.pk}-also" value="{annex.pk}"' in page

    response = client.post(
        f"/deadlines/{report.pk}/deliver/",
        {
            f"deliver-{report.pk}-version": 1,
            f"deliver-{report.pk}-document_symbol": "S/2023/768",
            f"deliver-{report.pk}-delivered_by": "2023-10-23",
            f"deliver-{report.pk}-evidence": "Briefing at the 9449th meeting",
            f"deliver-{report.pk}-also": [annex.pk],
        },
    )

    assert response.status_code == 302
    annex.refresh_from_db()
    assert (annex.state, annex.delivered_by, annex.document_symbol) == (
        DeadlineState.DELIVERED,
        dt.date(2023, 10, 23),
        "S/2023/768",
    )
    page = client.get(f"/obligations/{report.schedule.obligation_id}/").content.decode()
    assert "date not confirmed" in page and "existed by" in page
    assert "Delivered, date not confirmed" in page


def test_a_delivery_that_says_nothing_is_a_form_error(
    client, analyst, res2692_august_2023, frozen_clock
):
    client.force_login(analyst)
    report = Deadline.objects.get(schedule__obligation__key="2692-op18-options-report")

    response = client.post(f"/deadlines/{report.pk}/deliver/", {f"deliver-{report.pk}-version": 1})

    assert response.status_code == 400
    assert "Say when it was delivered" in response.content.decode()
    report.refresh_from_db()
    assert report.state == DeadlineState.OPEN


def test_a_new_mandate_is_found_by_its_code_and_a_code_with_a_slash_is_refused(
    client, analyst, after_the_period
):
    client.force_login(analyst)
    fields = {"number": 2800, "year": 2024, "adopted_on": "2024-07-20"}

    slashed = client.post("/resolutions/record/", {**fields, "new_mandate": "BINUH/2"})
    same = client.post("/resolutions/record/", {**fields, "new_mandate": "binuh"})

    assert slashed.status_code == 400
    assert "A code cannot contain a slash." in slashed.content.decode()
    assert same.status_code == 302 and same["Location"] == "/mandates/BINUH/"
    assert Resolution.objects.get(number=2800).mandate.code == "BINUH"
    assert Mandate.objects.count() == 1
