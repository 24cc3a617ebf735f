"""The import pages: who may do what, bad input answered with a 4xx and a message (never a
500), and the review from upload to acceptance."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intake import diff
from intake.models import Decision, Draft, DraftStatus
from intake.selectors import draft_plan
from intake.services import draft_accept, draft_create
from paragraphs.models import Obligation, ParagraphText, Resolution

TEXTS = Path(__file__).parent / "texts"
CORPUS = Path(__file__).parent / "corpus"
EN = (TEXTS / "mini.en.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def _post_text(client, text, **extra):
    return client.post("/import/", {"text": text, "language": "", **extra})


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/import/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_viewer_reads_the_page_without_the_form_and_cannot_import(client, viewer):
    client.force_login(viewer)

    page = client.get("/import/")
    posted = _post_text(client, EN)

    assert page.status_code == 200
    assert 'name="text"' not in page.content.decode()
    assert posted.status_code == 403
    assert not Draft.objects.exists()


def test_outsider_cannot_read_the_page(client, outsider):
    client.force_login(outsider)

    assert client.get("/import/").status_code == 403


@pytest.mark.parametrize("role", ["analyst", "manager"])
def test_analyst_and_manager_paste_a_text_and_get_its_draft(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = _post_text(client, EN)

    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/import/drafts/{draft.pk}/"
    assert (draft.created_by, draft.source_format) == (user, "paste")
    assert not Resolution.objects.filter(number=9950).exists()


def test_upload_of_a_word_file_is_read(client, analyst):
    client.force_login(analyst)
    data = (CORPUS / "s-res-9901-2031.en.docx").read_bytes()

    response = client.post(
        "/import/", {"file": SimpleUploadedFile("9901.docx", data), "language": "en"}
    )

    draft = Draft.objects.get()
    assert response.status_code == 302
    assert (draft.filename, draft.source_format, draft.number) == ("9901.docx", "docx", 9901)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Upload a file or paste the resolution"),
        ({"text": "Minutes of the meeting\n\n1. Opening."}, "header"),
        ({"text": "a\x00b"}, "Null characters are not allowed"),
        ({"file": SimpleUploadedFile("r.txt", b"abc\x00def" * 10)}, "NUL bytes"),
        ({"file": SimpleUploadedFile("r.pdf", b"%PDF-1.4 garbage")}, "PDF could not be read"),
        ({"file": SimpleUploadedFile("big.txt", b"x" * (2 * 1024 * 1024 + 1))}, "2048 KB"),
        ({"text": EN, "language": "de"}, "Select a valid choice"),
        (
            {"text": EN, "file": SimpleUploadedFile("r.txt", EN.encode())},
            "not both",
        ),
    ],
)
def test_bad_input_is_a_400_with_a_clear_message(client, analyst, fields, message):
    client.force_login(analyst)

    response = client.post("/import/", {"language": "", **fields})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Draft.objects.exists()


def test_draft_page_shows_what_was_read_and_the_proposals(client, analyst, viewer):
    draft = draft_create(by=analyst, text=EN)
    client.force_login(viewer)

    response = client.get(f"/import/drafts/{draft.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "UNTAMV" in page and "2032-04-30" in page
    assert "Requests" in page
    assert page.count('class="proposal"') == 4
    # A viewer sees the proposals, not the forms to decide them.
    assert "proposal-form" not in page and "accept-form" not in page


def test_viewer_cannot_decide_a_proposal_or_accept(client, analyst, viewer):
    draft = draft_create(by=analyst, text=EN)
    proposal = draft.proposals.first()
    client.force_login(viewer)

    rejected = client.post(f"/import/proposals/{proposal.pk}/", {"decision": "rejected"})
    accepted = client.post(f"/import/drafts/{draft.pk}/accept/", {"accept_pending": "on"})

    assert (rejected.status_code, accepted.status_code) == (403, 403)
    proposal.refresh_from_db()
    assert proposal.decision == Decision.PENDING
    assert not Resolution.objects.filter(number=9950).exists()


def _proposal_fields(proposal, **changes):
    return {
        "decision": "accepted",
        "owner_code": proposal.owner_code,
        "new_owner": "",
        "kind": proposal.kind,
        "summary": proposal.summary,
        "schedule_kind": (proposal.schedule or {}).get("kind", ""),
        "within_days": (proposal.schedule or {}).get("within_days", ""),
        **changes,
    }


def test_analyst_edits_rejects_and_accepts(client, analyst, frozen_clock):
    draft = draft_create(by=analyst, text=EN)
    report = draft.proposals.get(paragraph_number=2)
    client.force_login(analyst)

    edited = client.post(
        f"/import/proposals/{report.pk}/",
        _proposal_fields(report, new_owner="Police Support Unit", summary="Police options"),
    )
    for other in draft.proposals.exclude(pk=report.pk):
        client.post(f"/import/proposals/{other.pk}/", _proposal_fields(other, decision="rejected"))
    accepted = client.post(f"/import/drafts/{draft.pk}/accept/", {})

    resolution = Resolution.objects.get(number=9950)
    assert edited.status_code == 302
    assert accepted.status_code == 302
    assert accepted["Location"] == f"/resolutions/{resolution.pk}/"
    (obligation,) = Obligation.objects.all()
    assert (obligation.owner.name_en, obligation.summary) == (
        "Police Support Unit",
        "Police options",
    )


def test_bad_proposal_edit_is_a_400_with_the_reason(client, analyst):
    draft = draft_create(by=analyst, text=EN)
    report = draft.proposals.get(paragraph_number=2)
    client.force_login(analyst)

    response = client.post(
        f"/import/proposals/{report.pk}/",
        _proposal_fields(report, schedule_kind="within_days", within_days=""),
    )

    assert response.status_code == 400
    assert "This schedule needs: within_days." in response.content.decode()


def test_accept_with_proposals_to_review_is_a_400(client, analyst):
    draft = draft_create(by=analyst, text=EN)
    client.force_login(analyst)

    response = client.post(f"/import/drafts/{draft.pk}/accept/", {})

    assert response.status_code == 400
    assert "still to review" in response.content.decode()
    assert Draft.objects.get().status == DraftStatus.OPEN


def test_changed_text_page_lists_changes_and_applies_the_ticked_ones(client, analyst, frozen_clock):
    draft_accept(draft=draft_create(by=analyst, text=EN), by=analyst, accept_pending=True)
    draft = draft_create(by=analyst, text=EN.replace("within 30 days", "within 60 days"))
    (change,) = draft_plan(draft).pending_changes
    client.force_login(analyst)

    page = client.get(f"/import/drafts/{draft.pk}/").content.decode()
    nothing = client.post(f"/import/drafts/{draft.pk}/accept/", {})
    applied = client.post(f"/import/drafts/{draft.pk}/accept/", {"change": [change.id]})

    assert change.action == diff.CHANGED
    assert "op. 2 changed" in page and "within 60 days" in page
    assert nothing.status_code == 400
    assert applied.status_code == 302
    assert "within 60 days" in ParagraphText.objects.get(paragraph__number=2, language="en").text


def test_discard_closes_the_draft_and_applies_nothing(client, analyst):
    draft = draft_create(by=analyst, text=EN)
    client.force_login(analyst)

    response = client.post(f"/import/drafts/{draft.pk}/discard/")
    again = client.post(f"/import/drafts/{draft.pk}/discard/")

    assert response.status_code == 302
    assert again.status_code == 400
    assert Draft.objects.get().status == DraftStatus.DISCARDED
    assert not Resolution.objects.filter(number=9950).exists()


def test_unknown_draft_is_a_404(client, analyst):
    client.force_login(analyst)

    assert client.get("/import/drafts/999/").status_code == 404
    assert client.post("/import/proposals/999/", {}).status_code == 404


@pytest.mark.parametrize(
    ("language", "first", "other"),
    [
        ("fr", "le Secrétaire général de lui faire rapport", "the Secretary-General to report"),
        ("en", "the Secretary-General to report", "le Secrétaire général de lui faire rapport"),
        ("zh-hans", "the Secretary-General to report", "le Secrétaire général de lui faire"),
    ],
)
def test_resolution_page_shows_the_readers_language_first_and_the_others_on_demand(
    client, analyst, frozen_clock, language, first, other
):
    draft_accept(draft=draft_create(by=analyst, text=EN), by=analyst, accept_pending=True)
    fr = (TEXTS / "mini.fr.txt").read_text(encoding="utf-8")
    draft_accept(draft=draft_create(by=analyst, text=fr), by=analyst)
    resolution = Resolution.objects.get(number=9950)
    client.force_login(analyst)

    page = client.get(f"/resolutions/{resolution.pk}/", HTTP_ACCEPT_LANGUAGE=language)

    article = page.content.decode().split('id="op2"')[1].split("</article>")[0]
    shown, on_demand = article.split('<details class="other-languages">')
    assert page.status_code == 200
    assert first in shown and other not in shown
    assert other in on_demand


@pytest.mark.parametrize("count", [1, 12])
def test_import_page_query_count_is_constant(client, analyst, django_assert_num_queries, count):
    for _ in range(count):
        draft_create(by=analyst, text=EN)
    client.force_login(analyst)
    client.get("/import/")  # warm the session and permission caches

    # session, user, user permissions, group permissions (role check), the header's unread
    # count, the drafts (+who read them)
    with django_assert_num_queries(6):
        response = client.get("/import/")

    assert response.content.decode().count("/import/drafts/") == count
