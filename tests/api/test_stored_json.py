"""The obligations list reads each row's stored JSON while it is current, and only then
(reports.obligation_json): every change a row shows is in the next list, as if rendered
afresh."""

import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command
from django.db import connection

from mandate_tracker import prepared
from paragraphs.enums import ObligationStatus
from paragraphs.models import Obligation
from paragraphs.services import obligation_update
from reports import obligation_json
from reports.api.views import obligation_body
from reports.enums import ScheduleKind
from reports.models import Deadline, ObligationJson
from reports.services import deadline_deliver, deadline_reschedule, schedule_sync_deadlines
from tests.factories import (
    ActorFactory,
    ObligationFactory,
    ParagraphFactory,
    ResolutionFactory,
    ScheduleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/obligations/"


@pytest.fixture
def portfolio(frozen_clock, analyst):
    """Three obligations of one resolution, with contributors, an analyst and quarterly
    deadlines (the first on 15 October 2023, after the frozen day)."""
    resolution = ResolutionFactory()
    helper = ActorFactory(code="binuh")
    colleague = UserFactory(username="ana-two", role="analyst")
    obligations = []
    for number in (1, 2, 3):
        obligation = ObligationFactory(
            paragraph=ParagraphFactory(resolution=resolution, position=number),
            assigned_analyst=colleague,
        )
        obligation.contributors.set([helper])
        schedule = ScheduleFactory(
            obligation=obligation,
            kind=ScheduleKind.RECURRING,
            every_months=3,
            anchor_on=dt.date(2023, 7, 15),
        )
        schedule_sync_deadlines(schedule=schedule, by=analyst)
        obligations.append(obligation)
    return obligations


def _list(api, token, **params) -> list[dict]:
    response = api.get(LIST, token=token, **params)
    assert response.status_code == 200
    return response.json()["results"]


def _rendered_afresh(api, token, **params) -> list[dict]:
    ObligationJson.objects.all().delete()
    return _list(api, token, **params)


def test_a_page_is_stored_as_it_is_rendered_and_read_back_while_current(
    api, read_token, analyst, portfolio, django_assert_num_queries
):
    first = _list(api, read_token)  # rendered, stored; the token is now cached

    stored = {row.obligation_id: row for row in ObligationJson.objects.all()}
    assert set(stored) == {o.pk for o in portfolio}
    assert {row.version for row in stored.values()} == {1}
    assert {row.next_deadline for row in stored.values()} == {dt.date(2023, 10, 15)}
    with django_assert_num_queries(1):  # the page and its bodies
        assert _list(api, read_token) == first

    # What is stored is what is sent: a body altered in place shows...
    target = portfolio[0]
    ObligationJson.objects.filter(pk=target.pk).update(
        body=stored[target.pk].body.replace('"summary":"', '"summary":"ALTERED ')
    )
    assert _list(api, read_token)[0]["summary"].startswith("ALTERED ")
    # ...until its obligation moves on: then it is rendered again, with the change.
    obligation_update(obligation=target, by=analyst, note="Draft sent.")
    (row, *_rest) = _list(api, read_token)
    assert not row["summary"].startswith("ALTERED ")
    assert row["note"] == "Draft sent."
    assert row["version"] == ObligationJson.objects.get(pk=target.pk).version == 2


def _status(obligations, analyst):
    obligation_update(obligation=obligations[1], by=analyst, status=ObligationStatus.IN_PROGRESS)


def _delivery(obligations, analyst):
    deadline = Deadline.objects.filter(schedule__obligation=obligations[1]).order_by("sequence")[0]
    deadline_deliver(deadline=deadline, delivered_on=dt.date(2023, 9, 1), by=analyst)


def _rescheduled(obligations, analyst):
    """A next deadline that moves while its obligation does not."""
    deadline = Deadline.objects.filter(schedule__obligation=obligations[1]).order_by("sequence")[0]
    deadline_reschedule(
        deadline=deadline,
        scheduled_on=dt.date(2023, 10, 20),
        reason="Programme of work",
        by=analyst,
    )


def _actor_code(obligations, analyst):
    owner = obligations[1].owner
    owner.code = "renamed-owner"
    owner.save()


def _username(obligations, analyst):
    colleague = obligations[1].assigned_analyst
    colleague.username = "ana-renamed"
    colleague.save()


def _analyst_deleted(obligations, analyst):
    obligations[1].assigned_analyst.delete()


def _symbol(obligations, analyst):
    resolution = obligations[1].paragraph.resolution
    resolution.symbol = "S/RES/9999 (2023)"
    resolution.save()


def _paragraph_number(obligations, analyst):
    paragraph = obligations[1].paragraph
    paragraph.number = 42
    paragraph.save()


def _contributor_added(obligations, analyst):
    obligations[1].contributors.add(ActorFactory(code="unodc"))


def _contributors_cleared(obligations, analyst):
    obligations[1].contributors.clear()


@pytest.mark.parametrize(
    "change",
    [
        _status,
        _delivery,
        _rescheduled,
        _actor_code,
        _username,
        _analyst_deleted,
        _symbol,
        _paragraph_number,
        _contributor_added,
        _contributors_cleared,
    ],
)
def test_every_change_a_row_shows_is_in_the_next_list(api, read_token, analyst, portfolio, change):
    before = _list(api, read_token)

    change(portfolio, analyst)

    after = _list(api, read_token)
    assert after != before
    assert after == _rendered_afresh(api, read_token)


def test_a_listed_row_is_the_json_of_its_detail(api, read_token, analyst, portfolio, frozen_clock):
    # Overdue (its ETag says so), on time, and without a deadline; quotes and non-ASCII in
    # the stored part.
    obligation = portfolio[0]
    obligation.summary = 'Rapport « trimestriel » de l\'ONUDC, "3 mois", 第9段\u2028'
    obligation.save()
    later = Deadline.objects.filter(schedule__obligation=portfolio[1]).order_by("sequence")[0]
    deadline_reschedule(
        deadline=later, scheduled_on=dt.date(2023, 11, 3), reason="Later", by=analyst
    )
    ObligationFactory(paragraph=portfolio[2].paragraph)  # no deadline at all
    frozen_clock.move_to(dt.datetime(2023, 10, 20, 9, 0, tzinfo=dt.UTC))
    ObligationJson.objects.all().delete()
    _list(api, read_token)  # stored

    rows = _list(api, read_token)
    assert [(row["overdue"], row["next_deadline"]) for row in rows] == [
        (True, "2023-10-15"),
        (False, "2023-11-03"),
        (True, "2023-10-15"),
        (False, None),
    ]
    for row in rows:
        detail = api.get(row["url"], token=read_token)
        assert list(detail.json().items()) == list(row.items())
        assert detail["ETag"] == row["etag"]
    assert rows[0]["summary"] == obligation.summary


def test_the_day_moves_overdue_and_the_etag_without_rendering_again(
    api, read_token, portfolio, frozen_clock, django_assert_num_queries
):
    before = _list(api, read_token)
    assert {row["overdue"] for row in before} == {False}

    frozen_clock.move_to(dt.datetime(2023, 10, 20, 9, 0, tzinfo=dt.UTC))
    with django_assert_num_queries(1):
        after = _list(api, read_token)

    assert {row["overdue"] for row in after} == {True}
    assert all(row["etag"].endswith('-overdue"') for row in after)
    assert after == _rendered_afresh(api, read_token)


@pytest.mark.parametrize("write", [_status, _actor_code])
def test_a_body_is_labelled_with_what_it_was_rendered_from(
    api, read_token, analyst, portfolio, monkeypatch, write
):
    """A write that lands between the read of the rows and their storing (here: while the
    first row renders) leaves a body that is never read back."""
    render = obligation_body
    writes = []

    def render_then_write(row):
        body = render(row)
        if not writes:
            writes.append(write(portfolio, analyst))
        return body

    monkeypatch.setattr("reports.api.views.obligation_body", render_then_write)
    stale = _list(api, read_token)
    monkeypatch.setattr("reports.api.views.obligation_body", render)

    assert writes
    current = _list(api, read_token)
    assert current != stale
    assert current == _rendered_afresh(api, read_token)


def test_an_obligation_deleted_after_its_row_was_read_is_not_stored(
    api, read_token, portfolio, monkeypatch
):
    render = obligation_body
    deleted = portfolio[1]

    def render_then_delete(row):
        if Obligation.objects.filter(pk=deleted.pk).exists():
            Obligation.objects.filter(pk=deleted.pk).delete()
        return render(row)

    monkeypatch.setattr("reports.api.views.obligation_body", render_then_delete)
    rows = _list(api, read_token)
    monkeypatch.undo()

    assert [row["id"] for row in rows] == [o.pk for o in portfolio]  # the page as read
    assert set(ObligationJson.objects.values_list("pk", flat=True)) == {
        portfolio[0].pk,
        portfolio[2].pk,
    }
    assert [row["id"] for row in _list(api, read_token)] == [portfolio[0].pk, portfolio[2].pk]


def test_a_page_is_sent_when_its_bodies_cannot_be_stored(
    api, read_token, portfolio, monkeypatch, caplog
):
    # Any failure of the store; here its table is missing.
    broken = prepared.Statement(
        name="mt_test_broken_store",
        types=obligation_json.STORE.types,
        sql="INSERT INTO no_such_table SELECT * FROM unnest($1, $2, $3, $4, $5)",
    )
    monkeypatch.setattr(obligation_json, "STORE", broken)
    with caplog.at_level(logging.WARNING, logger="reports.obligation_json"):
        response = api.get(LIST, token=read_token)
    monkeypatch.undo()

    assert response.status_code == 200
    assert "Could not store the JSON of obligations" in caplog.text
    assert not ObligationJson.objects.exists()
    # The test's transaction is still usable, and the next page is stored.
    assert len(_list(api, read_token)) == 3
    assert ObligationJson.objects.count() == 3


def test_without_postgresql_every_page_is_rendered_and_nothing_stored(portfolio, monkeypatch):
    on_postgresql = obligation_json.page_after(0, 2, obligation_body)
    ObligationJson.objects.all().delete()
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the ORM's way, as on `make run`

    ids = [o.pk for o in portfolio]
    assert obligation_json.page_after(0, 2, obligation_body) == on_postgresql
    assert [e["id"] for e in obligation_json.by_id(ids[::-1], obligation_body)] == ids[::-1]
    monkeypatch.undo()
    assert not ObligationJson.objects.exists()


def test_the_command_stores_what_is_not_current(analyst, portfolio):
    out = io.StringIO()
    call_command("store_obligation_json", batch=2, stdout=out)

    assert "2 of 3 obligations" in out.getvalue()
    assert "Stored JSON is current for 3 obligations." in out.getvalue()
    assert ObligationJson.objects.count() == 3
    stored = {row.pk: row.body for row in ObligationJson.objects.all()}

    obligation_update(obligation=portfolio[2], by=analyst, note="Sent to BINUH.")
    call_command("store_obligation_json", stdout=io.StringIO())

    after = {row.pk: row for row in ObligationJson.objects.all()}
    assert after[portfolio[2].pk].version == 2
    assert '"note":"Sent to BINUH."' in after[portfolio[2].pk].body
    assert {pk: row.body for pk, row in after.items() if pk != portfolio[2].pk} == {
        pk: body for pk, body in stored.items() if pk != portfolio[2].pk
    }
