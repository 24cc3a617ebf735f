import datetime as dt
import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.history import SYSTEM_USERNAME
from paragraphs.models import Actor, Obligation, Paragraph, ParagraphText, Resolution
from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import Deadline

D = dt.date


DEADLINE_FACTS = ("due_on", "state", "circulated_on", "dated_on", "delivered_by", "document_symbol")


def _deadlines(key):
    return list(
        Deadline.objects.filter(schedule__obligation__key=key)
        .order_by("sequence")
        .values_list(
            "due_on", "state", "circulated_on", "dated_on", "delivered_by", "document_symbol"
        )
    )


# What each operative paragraph of the Chinese text asks of whom, read against the text:
# (owner, contributors) of each obligation. Paragraph 13 states an importance and 19 keeps
# the matter under review: neither asks anything of anyone.
OWNERS = {
    1: {("secretary-general", ("binuh",)), ("binuh", ("secretary-general",)),
        ("security-council", ())},
    2: {("binuh", ("secretary-general",)), ("binuh", ())},  # and the recalled 2645 capacity
    3: {("binuh", ())},  # the authorities are helped, not asked
    4: {("haitian-stakeholders", ("binuh",)), ("haitian-stakeholders", ())},
    5: {("binuh", ("ifis", "regional-organisations", "un-entities"))},
    6: {("member-states", ()), ("security-council", ())},  # no 2653 Committee in the text
    7: {("member-states", ())},
    8: {("binuh", ("panel-of-experts-2653", "sanctions-committee-2653"))},
    9: {("binuh", ("un-entities", "unodc")), ("binuh", ("secretary-general",)),
        ("unodc", ("secretary-general",))},
    10: {("binuh", ("secretary-general",))},
    11: {("binuh", ("ifis", "regional-organisations", "unct"))},
    12: {("member-states", ("ifis", "international-organisations", "other-entities"))},
    13: set(),
    14: {("binuh", ("secretary-general",))},
    15: {("not-named", ())},  # the paragraph names no one
    16: {("all-parties", ())},
    17: {("member-states", ("states-of-the-region",))},
    18: {("secretary-general", ("government-of-haiti",))},
    19: set(),
}  # fmt: skip


def test_every_operative_paragraph_has_the_owners_and_contributors_its_text_names(res2692):
    found = {number: set() for number in OWNERS}
    for obligation in Obligation.objects.filter(paragraph__resolution=res2692).prefetch_related(
        "contributors"
    ):
        contributors = tuple(sorted(a.code for a in obligation.contributors.all()))
        found[obligation.paragraph.number].add((obligation.owner.code, contributors))

    assert found == OWNERS


def test_the_actors_carry_the_words_of_the_text(res2692):
    text = "".join(
        ParagraphText.objects.filter(paragraph__resolution=res2692, language="zh").values_list(
            "text", flat=True
        )
    )
    for code in ("un-entities", "other-entities", "international-organisations",
                 "states-of-the-region", "all-parties"):  # fmt: skip
        name_zh = Actor.objects.get(code=code).name_zh
        assert name_zh in text, f"{code}: {name_zh} is not in the text"


def test_an_intention_is_recorded_as_one_with_its_outcome(res2692):
    intention = Obligation.objects.get(key="2692-op6-sanctions-review")

    assert intention.kind == ObligationKind.INTENTION
    assert intention.status == ObligationStatus.COMPLETED
    (evidence,) = intention.evidence.all()
    assert (evidence.document_symbol, evidence.dated) == ("S/RES/2700 (2023)", D(2023, 10, 19))


def test_load_sets_the_resolution_facts(res2692):
    assert res2692.mandate.code == "BINUH"
    assert res2692.mandate.name == "United Nations Integrated Office in Haiti"
    assert res2692.mandate_expires_on == D(2024, 7, 15)
    assert res2692.renews.symbol == "S/RES/2645 (2022)"
    assert res2692.renews.adopted_on == D(2022, 7, 15)
    assert Paragraph.objects.get(resolution=res2692, number=9).summary_en.startswith("Asks BINUH")


def test_the_renewals_are_records_without_text(res2692):
    renewal = Resolution.objects.get(number=2743)
    sanctions = Resolution.objects.get(number=2700)

    assert (renewal.adopted_on, renewal.meeting_number) == (D(2024, 7, 12), 9684)
    assert (renewal.renews, renewal.mandate, renewal.mandate_expires_on) == (
        res2692,
        res2692.mandate,
        D(2025, 7, 15),
    )
    assert sanctions.adopted_on == D(2023, 10, 19)
    assert not renewal.has_text and not sanctions.has_text
    chain = Resolution.objects.filter(mandate=res2692.mandate).order_by("adopted_on")
    assert [r.number for r in chain] == [2476, 2645, 2692, 2743]


def test_options_report_due_on_sunday_13_august_circulated_on_15th(res2692):
    (deadline,) = Deadline.objects.filter(schedule__obligation__key="2692-op18-options-report")

    assert deadline.due_on == D(2023, 8, 13)
    assert deadline.next_working_day == D(2023, 8, 14)
    assert deadline.state == DeadlineState.DELIVERED
    assert (deadline.circulated_on, deadline.dated_on) == (D(2023, 8, 15), None)
    assert deadline.document_symbol == ""  # no symbol is confirmed, none is invented
    # Monday 14 August by the weekend rule, plus the default tolerance of 3 days.
    assert deadline.schedule.tolerance_days == 3
    assert deadline.timing(D(2023, 9, 1)) == rules.Timing.ON_TIME


def test_secretary_general_reports_are_delivered_as_far_as_it_is_known(res2692):
    assert _deadlines("2692-op1-sg-reports") == [
        (D(2023, 10, 15), "delivered", None, None, D(2023, 10, 23), "S/2023/768"),
        (D(2024, 1, 15), "delivered", None, D(2024, 1, 15), None, "S/2024/62"),
        (D(2024, 4, 15), "delivered", None, D(2024, 4, 16), None, "S/2024/310"),
        (D(2024, 7, 15), "delivered", None, None, D(2024, 7, 3), "S/2024/508"),
    ]
    timings = [
        d.timing(D(2024, 8, 1))
        for d in Deadline.objects.filter(schedule__obligation__key="2692-op1-sg-reports").order_by(
            "sequence"
        )
    ]
    assert timings == ["unconfirmed", "on_time", "on_time", "unconfirmed"]


def test_the_annex_and_the_progress_report_travel_with_each_report(res2692):
    sg = _deadlines("2692-op1-sg-reports")

    for key in ("2692-op10-gang-violence-annex", "2692-op9-progress-reports"):
        assert _deadlines(key) == sg


def test_unodc_reports_ride_on_the_secretary_general_cycle(res2692):
    sg_dates = [row[0] for row in _deadlines("2692-op1-sg-reports")]
    unodc = _deadlines("2692-op9-unodc-reports")

    assert [row[0] for row in unodc] == sg_dates
    assert [row[1:5] for row in unodc] == [
        ("delivered", D(2023, 10, 17), None, None),
        ("delivered", None, None, D(2024, 1, 25)),  # "released yesterday" on 25 January
        ("delivered", D(2024, 4, 22), None, None),
        ("open", None, None, None),  # not found: to reconcile
    ]
    deadlines = Deadline.objects.filter(schedule__obligation__key="2692-op9-unodc-reports")
    assert [d.timing(D(2024, 8, 1)) for d in deadlines.order_by("sequence")] == [
        "on_time",
        "unconfirmed",
        "late",
        "to_reconcile",
    ]


def test_mandate_expiry_is_a_milestone_met_by_resolution_2743(res2692):
    assert _deadlines("2692-op1-renewal") == [
        (D(2024, 7, 15), "delivered", None, D(2024, 7, 12), None, "S/RES/2743 (2024)")
    ]


def test_after_the_period_nothing_is_overdue_and_one_report_is_to_reconcile(res2692):
    today = D(2024, 8, 1)

    assert not Deadline.objects.overdue(today=today).exists()
    (left,) = Deadline.objects.to_reconcile(today=today)
    assert (left.schedule.obligation.key, left.sequence) == ("2692-op9-unodc-reports", 4)


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
