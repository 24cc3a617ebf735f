import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from paragraphs.enums import ObligationStatus
from paragraphs.exceptions import EditConflict
from paragraphs.models import Obligation
from paragraphs.services import obligation_create, obligation_update
from reports.history import obligation_history
from tests.factories import ActorFactory, ObligationFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


def test_status_change_is_recorded_with_who_when_old_new_and_note(frozen_clock, analyst):
    obligation = ObligationFactory()

    obligation_update(
        obligation=obligation, by=analyst, status=ObligationStatus.IN_PROGRESS, reason="Drafting"
    )

    latest = obligation_history(obligation)[0]
    assert latest.user == analyst
    assert latest.at == dt.datetime(2023, 9, 1, 14, tzinfo=dt.UTC)
    assert latest.note == "Drafting"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("status", "Not started", "In progress")
    ]


def test_owner_and_analyst_changes_are_recorded(manager, analyst):
    obligation = ObligationFactory()
    old_owner, new_owner = obligation.owner, ActorFactory(code="unodc", name_en="UNODC")

    obligation_update(obligation=obligation, by=manager, owner=new_owner, assigned_analyst=analyst)

    changes = {c.field: (c.old, c.new) for c in obligation_history(obligation)[0].changes}
    assert changes == {"owner": (old_owner, new_owner), "assigned_analyst": (None, analyst)}


def test_transition_not_allowed_is_refused_and_nothing_changes(analyst):
    obligation = ObligationFactory(status=ObligationStatus.COMPLETED)
    history_before = obligation.history.count()

    with pytest.raises(ValidationError) as error:
        obligation_update(obligation=obligation, by=analyst, status=ObligationStatus.NOT_STARTED)

    assert "cannot go from “Completed” to “Not started”" in error.value.message_dict["status"][0]
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.COMPLETED
    assert obligation.history.count() == history_before


def test_unknown_status_is_refused(analyst):
    obligation = ObligationFactory()

    with pytest.raises(ValidationError, match="not a known status"):
        obligation_update(obligation=obligation, by=analyst, status="overdue")


def test_one_invalid_change_writes_none_of_the_others(analyst):
    obligation = ObligationFactory(note="original")

    with pytest.raises(ValidationError):
        obligation_update(obligation=obligation, by=analyst, note="new note", owner=None)

    obligation.refresh_from_db()
    assert obligation.note == "original"


def test_saving_the_same_values_writes_no_history(analyst):
    obligation = ObligationFactory()
    before = obligation.history.count()

    obligation_update(obligation=obligation, by=analyst, status=obligation.status, note="")

    assert obligation.history.count() == before


def test_status_outside_the_vocabulary_is_refused_by_the_database():
    obligation = ObligationFactory()

    with pytest.raises(IntegrityError, match="obligation_status_valid"), transaction.atomic():
        Obligation.objects.filter(pk=obligation.pk).update(status="overdue")


def test_stale_version_is_refused_with_the_current_object(analyst, manager):
    obligation = ObligationFactory()
    read_version = obligation.version
    obligation_update(obligation=obligation, by=manager, note="Manager's note")

    with pytest.raises(EditConflict) as conflict:
        obligation_update(
            obligation=obligation, by=analyst, note="Analyst's note", expected_version=read_version
        )

    assert conflict.value.current.note == "Manager's note"
    obligation.refresh_from_db()
    assert (obligation.note, obligation.version) == ("Manager's note", read_version + 1)


def test_obligation_create_records_who_and_why_with_its_contributors(frozen_clock, analyst):
    paragraph = ParagraphFactory()
    owner, helper = ActorFactory(), ActorFactory()

    obligation = obligation_create(
        paragraph=paragraph,
        key="9000-op1-report",
        summary="Report within 30 days",
        kind="report",
        owner=owner,
        contributors=[helper],
        by=analyst,
        note="Accepted from import draft #1.",
    )

    record = obligation.history.get()
    assert (record.history_user, record.history_change_reason) == (
        analyst,
        "Accepted from import draft #1.",
    )
    assert list(obligation.contributors.all()) == [helper]
    assert obligation.status == ObligationStatus.NOT_STARTED


def test_obligation_create_refuses_an_unknown_kind(analyst):
    with pytest.raises(ValidationError, match="kind"):
        obligation_create(
            paragraph=ParagraphFactory(),
            key="9000-op1-x",
            summary="x",
            kind="wish",
            owner=ActorFactory(),
            by=analyst,
        )

    assert not Obligation.objects.exists()
