"""Drafts and their acceptance, against the database: nothing is tracked before a draft is
accepted, and a text never changes what is held without a confirmation."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from intake import diff
from intake.errors import IntakeError
from intake.models import Decision, Draft, DraftStatus
from intake.selectors import CHANGES, IDENTICAL, LANGUAGE, NEW, draft_plan
from intake.services import (
    draft_accept,
    draft_create,
    draft_discard,
    draft_proposal_update,
    resolution_text_load,
)
from paragraphs.enums import ParagraphKind
from paragraphs.models import Actor, Obligation, Paragraph, ParagraphText, Resolution
from reports.models import Deadline, DeadlineSummary, Schedule

TEXTS = Path(__file__).parent / "texts"
EN = (TEXTS / "mini.en.txt").read_text(encoding="utf-8")
FR = (TEXTS / "mini.fr.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def _accepted(text: str, by, **kwargs) -> Draft:
    draft = draft_create(by=by, text=text)
    return draft_accept(draft=draft, by=by, accept_pending=True, **kwargs)


def _operative(number: int, language: str = "en") -> str:
    return ParagraphText.objects.get(
        paragraph__resolution__number=9950, paragraph__number=number, language=language
    ).text


def test_draft_tracks_nothing_before_acceptance(analyst, frozen_clock):
    draft = draft_create(by=analyst, text=EN)

    assert draft.status == DraftStatus.OPEN
    assert (draft.symbol, draft.language, draft.number) == ("S/RES/9950 (2031)", "en", 9950)
    assert draft.proposals.count() == 4
    assert not Resolution.objects.filter(number=9950).exists()
    assert not Obligation.objects.exists()
    assert not Deadline.objects.exists()
    assert not Actor.objects.filter(code="untamv").exists()
    assert draft_plan(draft).mode == NEW


def test_accept_creates_resolution_paragraphs_obligations_and_deadlines(analyst, frozen_clock):
    draft = _accepted(EN, analyst)

    resolution = Resolution.objects.get(number=9950)
    assert draft.status == DraftStatus.ACCEPTED
    assert (draft.decided_by, draft.resolution) == (analyst, resolution)
    assert (resolution.adopted_on, resolution.meeting_number) == (dt.date(2031, 4, 10), 10500)
    assert (resolution.mandate.code, resolution.mandate_expires_on) == (
        "UNTAMV",
        dt.date(2032, 4, 30),
    )
    assert list(resolution.references.values_list("number", flat=True)) == [9901]
    assert Paragraph.objects.filter(resolution=resolution).count() == 6
    assert _operative(2).startswith("Requests the Secretary-General")
    assert Obligation.objects.filter(paragraph__resolution=resolution).count() == 4
    # The unknown mission is created on acceptance, named as the text names it.
    assert Actor.objects.get(code="untamv").name_en == (
        "United Nations Transition Assistance Mission in Veloria"
    )
    report = Obligation.objects.get(paragraph__number=2)
    assert (report.owner.code, report.kind) == ("secretary-general", "report")
    # The deadline is derived by the schedule services: 30 days after adoption.
    assert list(Deadline.objects.filter(schedule__obligation=report).values_list("due_on")) == [
        (dt.date(2031, 5, 10),)
    ]
    assert DeadlineSummary.objects.get(obligation=report).next_deadline == dt.date(2031, 5, 10)


def test_acceptance_is_in_the_history_with_who_and_which_draft(analyst, frozen_clock):
    draft = _accepted(EN, analyst)

    text = ParagraphText.objects.get(paragraph__number=2, paragraph__resolution__number=9950)
    record = text.history.get()
    obligation = Obligation.objects.get(paragraph__number=2)
    assert record.history_user == analyst
    assert f"draft #{draft.pk}" in record.history_change_reason
    assert draft.sha256[:12] in record.history_change_reason
    assert obligation.history.get().history_user == analyst
    assert f"draft #{draft.pk}" in obligation.history.get().history_change_reason


def test_pending_proposals_must_be_decided(analyst, frozen_clock):
    draft = draft_create(by=analyst, text=EN)

    with pytest.raises(ValidationError) as error:
        draft_accept(draft=draft, by=analyst)

    assert error.value.code == "pending"
    assert not Resolution.objects.filter(number=9950).exists()


def test_rejected_proposal_is_not_tracked_and_edited_one_is_as_edited(analyst, frozen_clock):
    draft = draft_create(by=analyst, text=EN)
    report, calls_upon = (
        draft.proposals.get(paragraph_number=2),
        draft.proposals.get(paragraph_number=3),
    )
    draft_proposal_update(
        proposal=report,
        by=analyst,
        decision=Decision.ACCEPTED,
        owner_code="unodc",
        owner_name="UNODC",
        kind="report",
        summary="Options for police support",
        schedule={"kind": "within_days", "within_days": 60},
    )
    draft_proposal_update(proposal=calls_upon, by=analyst, decision=Decision.REJECTED)
    for other in draft.proposals.filter(paragraph_number=1):
        draft_proposal_update(proposal=other, by=analyst, decision=Decision.REJECTED)

    draft_accept(draft=draft, by=analyst)

    (obligation,) = Obligation.objects.all()
    assert (obligation.owner.code, obligation.summary) == ("unodc", "Options for police support")
    assert Schedule.objects.get(obligation=obligation).within_days == 60
    assert list(Deadline.objects.values_list("due_on", flat=True)) == [dt.date(2031, 6, 9)]


def test_edit_refuses_a_schedule_without_its_fields(analyst):
    draft = draft_create(by=analyst, text=EN)
    proposal = draft.proposals.get(paragraph_number=2)

    with pytest.raises(ValidationError, match="within_days"):
        draft_proposal_update(proposal=proposal, by=analyst, schedule={"kind": "within_days"})


def test_discarded_draft_cannot_be_accepted(analyst):
    draft = draft_discard(draft=draft_create(by=analyst, text=EN), by=analyst)

    with pytest.raises(ValidationError) as error:
        draft_accept(draft=draft, by=analyst, accept_pending=True)

    assert error.value.code == "draft_closed"
    assert not Resolution.objects.filter(number=9950).exists()


def test_french_text_is_added_to_the_same_paragraphs(analyst, frozen_clock):
    _accepted(EN, analyst)
    obligations = set(Obligation.objects.values_list("pk", "paragraph_id"))
    draft = draft_create(by=analyst, text=FR)

    assert draft_plan(draft).mode == LANGUAGE
    assert draft.proposals.count() == 0
    draft_accept(draft=draft, by=analyst)

    assert _operative(4, "fr") == "Décide de rester saisi de la question."
    assert _operative(4, "en") == "Decides to remain seized of the matter."
    assert Paragraph.objects.filter(resolution__number=9950).count() == 6
    assert set(Obligation.objects.values_list("pk", "paragraph_id")) == obligations


def test_language_with_another_structure_is_refused_with_the_reason(analyst, frozen_clock):
    _accepted(EN, analyst)
    three = FR.replace("\n\n4. Décide de rester", " Décide de rester")
    draft = draft_create(by=analyst, text=three)

    with pytest.raises(ValidationError, match="missing here: 4"):
        draft_accept(draft=draft, by=analyst)

    assert not ParagraphText.objects.filter(language="fr").exists()


CHANGED = (
    EN.replace("within 30 days", "within 60 days")
    .replace(
        "3. Calls upon Member States",
        "3. Urges the Government of Veloria to reform the police;\n\n4. Calls upon Member States",
    )
    .replace("4. Decides to remain", "5. Decides to remain")
)


def test_changed_text_is_matched_by_number_and_text_not_position(analyst, frozen_clock):
    _accepted(EN, analyst)
    draft = draft_create(by=analyst, text=CHANGED)

    plan = draft_plan(draft)

    assert plan.mode == CHANGES
    assert [(c.action, c.held and c.held.label, c.read and c.read.label) for c in plan.changes][
        2:
    ] == [
        (diff.UNCHANGED, 1, 1),
        (diff.CHANGED, 2, 2),
        (diff.ADDED, None, 3),
        (diff.RENUMBERED, 3, 4),
        (diff.RENUMBERED, 4, 5),
    ]


def test_changed_text_applies_only_what_is_confirmed(analyst, frozen_clock):
    _accepted(EN, analyst)
    calls_upon = Obligation.objects.get(paragraph__number=3)
    draft = draft_create(by=analyst, text=CHANGED)
    ids = {c.action + str(c.read and c.read.label): c.id for c in draft_plan(draft).changes}

    draft_accept(
        draft=draft,
        by=analyst,
        confirmed={ids["added3"], ids["renumbered4"], ids["renumbered5"]},
    )

    # The 30-day change was not confirmed: the text is as it was.
    assert "within 30 days" in _operative(2)
    assert _operative(3).startswith("Urges the Government of Veloria")
    # The obligation stays on its own paragraph, now numbered 4.
    calls_upon.refresh_from_db()
    assert calls_upon.paragraph.number == 4
    assert _operative(4).startswith("Calls upon Member States")
    assert draft_plan(draft_create(by=analyst, text=CHANGED)).pending_changes[0].action == (
        diff.CHANGED
    )


def test_confirmed_text_change_is_in_the_history(analyst, frozen_clock):
    _accepted(EN, analyst)
    draft = draft_create(by=analyst, text=EN.replace("within 30 days", "within 60 days"))
    (change,) = draft_plan(draft).pending_changes

    draft_accept(draft=draft, by=analyst, confirmed={change.id})

    text = ParagraphText.objects.get(paragraph__number=2, language="en")
    old, new = text.history.order_by("history_date")
    assert ("within 30 days" in old.text, "within 60 days" in new.text) == (True, True)
    assert new.history_user == analyst
    assert f"draft #{draft.pk}" in new.history_change_reason


def test_renumbering_without_its_insertion_is_refused_as_a_clash(analyst, frozen_clock):
    _accepted(EN, analyst)
    draft = draft_create(by=analyst, text=CHANGED)
    ids = {c.action + str(c.read and c.read.label): c.id for c in draft_plan(draft).changes}

    with pytest.raises(ValidationError) as error:
        draft_accept(draft=draft, by=analyst, confirmed={ids["renumbered4"]})

    assert error.value.code == "clash"


def test_paragraph_with_obligations_cannot_disappear(analyst, frozen_clock):
    _accepted(EN, analyst)
    without_3 = EN.replace(
        "3. Calls upon Member States to support the transition;\n\n", ""
    ).replace("4. Decides to remain", "3. Decides to remain")
    draft = draft_create(by=analyst, text=without_3)
    changes = draft_plan(draft).pending_changes
    removed = next(c for c in changes if c.action == diff.REMOVED)

    assert removed.blocked
    with pytest.raises(ValidationError, match="has obligations") as error:
        draft_accept(draft=draft, by=analyst, confirmed={c.id for c in changes})

    assert error.value.code == "has_obligations"
    assert Paragraph.objects.filter(resolution__number=9950, kind="operative").count() == 4


def test_identical_text_has_nothing_to_apply(analyst, frozen_clock):
    _accepted(EN, analyst)
    draft = draft_create(by=analyst, text=EN + "\n")

    assert draft_plan(draft).mode == IDENTICAL
    with pytest.raises(ValidationError) as error:
        draft_accept(draft=draft, by=analyst)
    assert error.value.code == "identical"


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), ("a\x00b", "nul_bytes"), ("x" * (2 * 1024 * 1024 + 1), "too_large")],
)
def test_unreadable_input_is_refused_with_a_code(analyst, text, code):
    with pytest.raises(IntakeError) as error:
        draft_create(by=analyst, text=text)

    assert error.value.code == code
    assert not Draft.objects.exists()


def test_2692_loads_its_seed_text_with_26_preambular_and_19_operative(res2692):
    paragraphs = Paragraph.objects.filter(resolution=res2692)

    assert paragraphs.filter(kind=ParagraphKind.PREAMBULAR).count() == 26
    assert list(
        paragraphs.filter(kind=ParagraphKind.OPERATIVE).values_list("number", flat=True)
    ) == list(range(1, 20))
    assert not ParagraphText.objects.filter(text__contains="*").exists()
    text = ParagraphText.objects.get(paragraph__resolution=res2692, paragraph__number=18)
    assert (text.language, text.lead_verb) == ("zh", "请")
    assert text.text.startswith("请秘书长与海地协商")
    assert set(res2692.references.values_list("number", flat=True)) >= {2645}


def test_2692_text_loaded_again_changes_nothing(res2692, analyst):
    before = list(ParagraphText.history.values_list("pk", flat=True))

    seed = Path(__file__).parents[2] / "paragraphs" / "data" / "s-res-2692-2023.zh.txt"
    resolution_text_load(data=seed.read_bytes(), filename=seed.name, by=analyst)

    assert list(ParagraphText.history.values_list("pk", flat=True)) == before


@pytest.mark.parametrize(
    "name",
    [
        "s-res-2692-2023.zh.pdf",
        "s-res-9901-2031.en.docx",
        "s-res-9902-2031.fr.pdf",
        "s-res-9903-2031.zh.gb18030.txt",
        "s-res-9904-2032.en.utf16.txt",
        "s-res-9905-2032.fr.bom.txt",
    ],
)
def test_every_labelled_resolution_is_accepted_whole(analyst, frozen_clock, name):
    data = (Path(__file__).parent / "corpus" / name).read_bytes()
    draft = draft_create(by=analyst, data=data, filename=name)

    draft_accept(draft=draft, by=analyst, accept_pending=True)

    obligations = Obligation.objects.filter(paragraph__resolution__number=draft.number)
    assert obligations.count() == draft.proposals.count() > 0
    with_schedule = draft.proposals.exclude(schedule=None).count()
    assert Schedule.objects.filter(obligation__in=obligations).count() == with_schedule
    # Every schedule has its deadlines, and their obligation its summary, from the services.
    assert not Schedule.objects.filter(obligation__in=obligations, deadlines=None).exists()
    assert DeadlineSummary.objects.filter(obligation__in=obligations).count() == with_schedule


def test_2692_accepted_from_the_un_pdf_has_the_curated_deadlines(analyst, frozen_clock):
    data = (Path(__file__).parent / "corpus" / "s-res-2692-2023.zh.pdf").read_bytes()

    draft_accept(
        draft=draft_create(by=analyst, data=data, filename="2692.pdf"),
        by=analyst,
        accept_pending=True,
    )

    def due(number, owner):
        return list(
            Deadline.objects.filter(
                schedule__obligation__paragraph__number=number,
                schedule__obligation__owner__code=owner,
            )
            .order_by("sequence")
            .values_list("due_on", flat=True)
        )

    resolution = Resolution.objects.get(number=2692)
    assert (resolution.mandate.code, resolution.mandate_expires_on) == (
        "BINUH",
        dt.date(2024, 7, 15),
    )
    assert due(18, "secretary-general") == [dt.date(2023, 8, 13)]
    # The Secretary-General's reports follow UNODC's quarterly cycle (the curated data's).
    quarterly = [dt.date(2023, 10, 15), dt.date(2024, 1, 15), dt.date(2024, 4, 15)]
    assert due(1, "secretary-general") == [*quarterly, dt.date(2024, 7, 15)]
    assert due(9, "unodc") == [*quarterly, dt.date(2024, 7, 15)]


def test_preamble_insertion_and_removal_of_a_paragraph_without_obligations(analyst, frozen_clock):
    _accepted(EN, analyst)
    reaffirming = "Reaffirming its commitment to Veloria,\n\nRecalling its resolution"
    changed = EN.replace("Recalling its resolution", reaffirming).replace(
        "\n\n4. Decides to remain seized of the matter.", ""
    )
    draft = draft_create(by=analyst, text=changed)
    changes = draft_plan(draft).pending_changes

    draft_accept(draft=draft, by=analyst, confirmed={c.id for c in changes})

    assert sorted((c.action, c.kind) for c in changes) == [
        (diff.ADDED, "preambular"),
        (diff.REMOVED, "operative"),
        (diff.RENUMBERED, "preambular"),
        (diff.RENUMBERED, "preambular"),
    ]
    preamble = ParagraphText.objects.filter(
        paragraph__resolution__number=9950, paragraph__kind="preambular"
    ).order_by("paragraph__position")
    assert [t.text.split()[0] for t in preamble] == ["Reaffirming", "Recalling", "Welcoming"]
    operative = Paragraph.objects.filter(resolution__number=9950, kind="operative")
    assert list(operative.order_by("number").values_list("number", "position")) == [
        (1, 1),
        (2, 2),
        (3, 3),
    ]
    assert Obligation.objects.filter(paragraph__resolution__number=9950).count() == 4
