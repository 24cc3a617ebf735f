"""POST /api/v1/imports/: the command's input and output over HTTP, with the roles."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.models import Draft
from paragraphs.models import Resolution
from tests.api.conftest import bearer

TEXTS = Path(__file__).parents[1] / "intake" / "texts"
CORPUS = Path(__file__).parents[1] / "intake" / "corpus"
EN = (TEXTS / "mini.en.txt").read_text(encoding="utf-8")
URL = "/api/v1/imports/"

pytestmark = pytest.mark.django_db


def test_dry_run_answers_with_the_reading_and_writes_nothing(api, read_token):
    response = api.post(URL, {"text": EN, "dry_run": True}, token=read_token)

    body = response.json()
    assert response.status_code == 200
    assert list(body) == [
        "symbol",
        "number",
        "year",
        "language",
        "adopted_on",
        "meeting",
        "mandate",
        "mandate_expires_on",
        "references",
        "preambular",
        "operative",
        "annexes",
        "warnings",
    ]
    assert (body["symbol"], body["mandate"], body["mandate_expires_on"]) == (
        "S/RES/9950 (2031)",
        "UNTAMV",
        "2032-04-30",
    )
    assert body["operative"][1]["proposals"][0]["due_dates"] == ["2031-05-10"]
    assert not Draft.objects.exists()
    assert not Resolution.objects.exists()


def test_analyst_with_a_writable_token_gets_a_draft_to_review(api, write_token, analyst):
    response = api.post(URL, {"text": EN, "language": "en"}, token=write_token)

    draft = Draft.objects.get()
    assert response.status_code == 201
    assert response.json()["draft"] == draft.pk
    assert response.json()["url"] == f"http://testserver/import/drafts/{draft.pk}/"
    assert response.json()["plan"] == "new"
    assert draft.created_by == analyst
    assert not Resolution.objects.filter(number=9950).exists()


def test_file_upload_as_multipart(client, make_token, manager):
    data = (CORPUS / "s-res-9902-2031.fr.docx").read_bytes()

    response = client.post(
        URL,
        {"file": SimpleUploadedFile("9902.docx", data), "dry_run": "true"},
        headers=bearer(make_token(manager)),
    )

    assert response.status_code == 200
    assert (response.json()["language"], response.json()["number"]) == ("fr", 9902)


@pytest.mark.parametrize(
    ("who", "read_only", "status"),
    [
        ("viewer", False, 403),
        ("analyst", True, 403),
        ("analyst", False, 201),
        ("manager", False, 201),
    ],
)
def test_only_analysts_and_managers_with_writable_tokens_keep_drafts(
    api, make_token, request, who, read_only, status
):
    token = make_token(request.getfixturevalue(who), read_only=read_only)

    response = api.post(URL, {"text": EN}, token=token)

    assert response.status_code == status
    assert Draft.objects.count() == (1 if status == 201 else 0)


def test_anonymous_is_a_401(api):
    assert api.post(URL, {"text": EN, "dry_run": True}).status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "a\u0000b", "dry_run": True}, 400, "invalid"),
        ({"text": "Minutes\n\n1. Opening.", "dry_run": True}, 400, None),
        ({"text": EN, "dry_run": True, "lang": "en"}, 400, "invalid"),
        ({"text": EN, "language": "de", "dry_run": True}, 400, "invalid"),
        ({"dry_run": True}, 400, "invalid"),
        ({"text": "x" * (2 * 1024 * 1024 + 1), "dry_run": True}, 400, "invalid"),
    ],
)
def test_bad_input_is_a_4xx_with_the_reason(api, write_token, body, status, code):
    response = api.post(URL, body, token=write_token)

    assert response.status_code == status
    assert response.json()["message"]
    if code:
        assert response.json()["code"] == code
    assert not Draft.objects.exists()


def test_unreadable_file_says_why(client, write_token):
    response = client.post(
        URL, {"file": SimpleUploadedFile("r.txt", b"abc\x00def" * 10)}, headers=bearer(write_token)
    )
    large = client.post(
        URL,
        {"file": SimpleUploadedFile("r.txt", b"x" * (2 * 1024 * 1024 + 1))},
        headers=bearer(write_token),
    )

    assert (response.status_code, response.json()["code"]) == (400, "nul_bytes")
    assert (large.status_code, large.json()["code"]) == (413, "too_large")
