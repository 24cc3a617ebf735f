import datetime as dt
import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paragraphs.enums import ObligationStatus, ParagraphKind
from paragraphs.history import SYSTEM_USERNAME
from paragraphs.models import Obligation, Paragraph
from reports.enums import DeadlineState
from reports.models import Deadline

D = dt.date


def _deadlines(key):
    return list(
        Deadline.objects.filter(schedule__obligation__key=key)
        .order_by("sequence")
        .values_list("due_on", "state", "delivered_on", "document_symbol")
    )


def test_every_operative_paragraph_1_to_18_has_an_owned_obligation(res2692):
    operative = Paragraph.objects.filter(resolution=res2692, kind=ParagraphKind.OPERATIVE)

    for paragraph in operative.filter(number__lte=18):
        obligations = paragraph.obligations.all()
        assert obligations, f"paragraph {paragraph.number} has no obligation"
        assert all(o.owner_id for o in obligations)
    assert not operative.get(number=19).obligations.exists()


def test_load_sets_the_resolution_facts(res2692):
    assert res2692.mandate == "BINUH"
    assert res2692.mandate_expires_on == D(2024, 7, 15)
    assert res2692.renews.symbol == "S/RES/2645 (2022)"
    assert res2692.renews.adopted_on == D(2022, 7, 15)
    assert Paragraph.objects.get(resolution=res2692, number=9).summary_en.startswith("Asks BINUH")


def test_options_report_due_on_sunday_13_august_delivered_on_15th(res2692):
    (deadline,) = Deadline.objects.filter(schedule__obligation__key="2692-op18-options-report")

    assert deadline.due_on == D(2023, 8, 13)
    assert deadline.next_working_day == D(2023, 8, 14)
    assert deadline.state == DeadlineState.DELIVERED
    assert deadline.delivered_on == D(2023, 8, 15)
    assert deadline.document_symbol == ""  # no symbol is confirmed, none is invented
    assert deadline.timing(D(2023, 9, 1)) == "late"


def test_secretary_general_reports_follow_the_quarterly_mandate_cycle(res2692):
    assert _deadlines("2692-op1-sg-reports") == [
        (D(2023, 10, 15), "open", None, ""),
        (D(2024, 1, 15), "delivered", D(2024, 1, 15), "S/2024/62"),
        (D(2024, 4, 15), "delivered", D(2024, 4, 16), "S/2024/310"),
        (D(2024, 7, 15), "open", None, ""),
    ]


def test_unodc_reports_and_annex_ride_on_the_secretary_general_cycle(res2692):
    sg_dates = [row[0] for row in _deadlines("2692-op1-sg-reports")]

    assert [row[0] for row in _deadlines("2692-op9-unodc-reports")] == sg_dates
    assert [row[0] for row in _deadlines("2692-op10-gang-violence-annex")] == sg_dates
    assert [row[2] for row in _deadlines("2692-op9-unodc-reports")] == [
        D(2023, 10, 17),
        None,  # "about 24 January 2024": not confirmed to the day, left open
        D(2024, 4, 22),
        None,
    ]


def test_mandate_expiry_is_a_milestone_met_by_resolution_2743(res2692):
    assert _deadlines("2692-op1-renewal") == [
        (D(2024, 7, 15), "delivered", D(2024, 7, 12), "S/RES/2743 (2024)")
    ]


def test_deliveries_are_recorded_in_history_on_their_day_by_the_system_user(res2692):
    deadline = Deadline.objects.get(schedule__obligation__key="2692-op1-sg-reports", sequence=2)

    record = deadline.history.latest()
    assert record.history_user.username == SYSTEM_USERNAME
    assert record.history_date == dt.datetime(2024, 1, 15, 12, tzinfo=dt.UTC)
    assert record.state == DeadlineState.DELIVERED
    assert "S/2024/62" in record.history_change_reason


def test_history_as_of_1_september_2023(res2692):
    as_of = dt.datetime(2023, 9, 1, tzinfo=dt.UTC)

    states = {
        (row.schedule.obligation.key, row.sequence): row.state
        for row in Deadline.history.as_of(as_of).select_related("schedule__obligation")
    }
    assert states[("2692-op18-options-report", 1)] == DeadlineState.DELIVERED
    assert states[("2692-op1-sg-reports", 1)] == DeadlineState.OPEN
    assert states[("2692-op9-unodc-reports", 1)] == DeadlineState.OPEN
    report = Obligation.history.as_of(as_of).get(key="2692-op18-options-report")
    assert report.status == ObligationStatus.COMPLETED


def test_load_again_changes_nothing(res2692):
    before = (Obligation.history.count(), Deadline.history.count(), Obligation.objects.count())
    out = io.StringIO()

    with CaptureQueriesContext(connection) as queries:
        call_command("load_2692", stdout=out)

    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert (
        Obligation.history.count(),
        Deadline.history.count(),
        Obligation.objects.count(),
    ) == before
    assert "nothing changed" in out.getvalue()


def test_load_again_keeps_what_analysts_changed(res2692, analyst):
    obligation = Obligation.objects.get(key="2692-op6-arms-prohibition")
    obligation.summary = "Edited by an analyst"
    obligation.save()

    call_command("load_2692", stdout=io.StringIO())

    obligation.refresh_from_db()
    assert obligation.summary == "Edited by an analyst"
