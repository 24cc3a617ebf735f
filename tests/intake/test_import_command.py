"""manage.py import_resolution: one JSON document on a dry run, a draft otherwise."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import Draft, DraftStatus
from intake.services import draft_accept
from paragraphs.history import SYSTEM_USERNAME
from paragraphs.models import Obligation, ParagraphText, Resolution

TEXTS = Path(__file__).parent / "texts"
CORPUS = Path(__file__).parent / "corpus"

# The Chinese layout the old importer read (bold lead verbs, full-width separators).
OTHER_RESOLUTION = """
第 2701(2023)号决议

2023 年 10 月 19 日 安全理事会第 9999 次会议通过

安全理事会,

回顾其第 2692(2023)号决议,

**欢迎**会员国的支持,

1．**决定**延长措施;
2．**请**秘书长在 60 天内提交报告;
"""

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("import_resolution", *map(str, args), stdout=out)
    return out.getvalue()


def test_dry_run_json_is_one_document_with_the_documented_fields_and_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        output = _run(CORPUS / "s-res-9901-2031.en.pdf", "--dry-run", "--json")

    document = json.loads(output)  # the whole output: exactly one JSON document
    assert list(document) == [
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
    assert (document["symbol"], document["language"], document["meeting"]) == (
        "S/RES/9901 (2031)",
        "en",
        10412,
    )
    assert (document["adopted_on"], document["mandate_expires_on"]) == (
        "2031-03-28",
        "2032-03-31",
    )
    assert "9884 (2030)" in document["references"]
    assert set(document["preambular"][0]) == {"position", "text", "opening"}
    operative = document["operative"][1]
    assert set(operative) == {"number", "lead_verb", "category", "text", "proposals"}
    assert (operative["number"], operative["lead_verb"]) == (2, "Requests")
    assert set(operative["proposals"][0]) >= {
        "addressees",
        "kind",
        "schedule",
        "due_dates",
        "source",
    }
    assert all(set(w) == {"code", "message"} for w in document["warnings"])
    assert queries.captured_queries == []
    assert not Draft.objects.exists()


def test_dry_run_reads_a_french_file_with_the_language_given():
    output = _run(CORPUS / "s-res-9902-2031.fr.docx", "--dry-run", "--lang", "fr")

    assert output.startswith("S/RES/9902 (2031) [fr]")


def test_without_dry_run_a_draft_is_kept_and_nothing_is_tracked():
    output = _run(TEXTS / "mini.en.txt")

    draft = Draft.objects.get()
    assert f"Draft #{draft.pk} kept for review (new): /import/drafts/{draft.pk}/" in output
    assert draft.created_by.username == SYSTEM_USERNAME
    assert draft.status == DraftStatus.OPEN
    assert not Resolution.objects.filter(number=9950).exists()
    assert not Obligation.objects.exists()


def test_json_without_dry_run_names_the_draft(analyst):
    document = json.loads(_run(TEXTS / "mini.en.txt", "--json", "--by", analyst.username))

    draft = Draft.objects.get()
    assert (document["draft"], document["plan"], document["url"]) == (
        draft.pk,
        "new",
        f"/import/drafts/{draft.pk}/",
    )
    assert draft.created_by == analyst


def test_the_old_chinese_layout_is_read_and_accepted(tmp_path, analyst):
    path = tmp_path / "2701.txt"
    path.write_text(OTHER_RESOLUTION, encoding="utf-8")
    _run(path)

    draft_accept(draft=Draft.objects.get(), by=analyst, accept_pending=True)

    texts = ParagraphText.objects.filter(paragraph__resolution__number=2701)
    assert texts.count() == 4
    assert texts.get(paragraph__number=2).lead_verb == "请"
    assert not texts.filter(text__contains="*").exists()
    assert Resolution.objects.get(number=2701).references.get().number == 2692


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "No such file"),
        ("nul.txt", b"abc\x00def" * 10, "NUL bytes"),
        ("minutes.txt", b"Minutes of the meeting\n\n1. Opening.", "number was not found"),
    ],
)
def test_unreadable_input_is_a_command_error_with_the_reason(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError) as error:
        _run(path, "--dry-run", "--json")

    assert str(path) in str(error.value)
    assert message in str(error.value)
    assert not Draft.objects.exists()
