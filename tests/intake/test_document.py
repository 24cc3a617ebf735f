"""The JSON document, and the labelled set against the aims."""

import io
import json

from django.core.management import call_command

from intake.accuracy import measure
from intake.document import read_document, to_json
from intake.management.commands.intake_accuracy import Command
from tests.intake.helpers import CORPUS


def test_to_json_has_the_documented_shape():
    document = to_json(read_document((CORPUS / "s-res-2692-2023.zh.txt").read_bytes()))

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
    assert (document["symbol"], document["adopted_on"], document["meeting"]) == (
        "S/RES/2692 (2023)",
        "2023-07-14",
        9377,
    )
    assert (document["mandate"], document["mandate_expires_on"]) == ("BINUH", "2024-07-15")
    assert document["preambular"][0] == {
        "position": 1,
        "text": document["preambular"][0]["text"],
        "opening": "回顾",
    }
    paragraph = document["operative"][17]
    assert {k: paragraph[k] for k in ("number", "lead_verb", "category")} == {
        "number": 18,
        "lead_verb": "请",
        "category": "requests",
    }
    assert paragraph["proposals"] == [
        {
            "key": "op18-secretary-general-report",
            "addressees": ["Secretary-General", "Government of Haiti"],
            "kind": "report",
            "schedule": {"kind": "within_days", "within_days": 30},
            "due_dates": ["2023-08-13"],
            "source": paragraph["text"].rstrip("；"),
            "actors": [
                {
                    "code": "secretary-general",
                    "name": "Secretary-General",
                    "role": "owner",
                    "new": False,
                },
                {
                    "code": "government-of-haiti",
                    "name": "Government of Haiti",
                    "role": "contributor",
                    "new": False,
                },
            ],
        }
    ]
    assert json.loads(json.dumps(document)) == document


def test_to_json_warnings_are_code_and_message():
    document = to_json(read_document((CORPUS / "s-res-9901-2031.en.txt").read_bytes()))

    assert {
        "code": "removed_bar_code",
        "message": "Removed 1 line(s) or mark(s) of page furniture: bar code.",
    } in document["warnings"]


def test_labelled_set_meets_the_aims():
    report = measure(CORPUS)
    total = report.total()

    assert [row.error for row in report.rows if row.error] == []
    assert (total["structure"].precision, total["structure"].recall) == (1.0, 1.0)
    assert (total["lead_verbs"].precision, total["lead_verbs"].recall) == (1.0, 1.0)
    # No deadline invented, and at least 95% found.
    assert total["deadlines"].precision == 1.0
    assert total["deadlines"].recall >= 0.95
    assert total["addressees"].recall >= 0.90


def test_intake_accuracy_command_prints_json_figures():
    out = io.StringIO()

    call_command(Command(), "--json", stdout=out)

    figures = json.loads(out.getvalue())
    assert figures["overall"]["deadlines"]["precision"] == 1.0
    assert {row["file"] for row in figures["files"]} >= {
        "s-res-2692-2023.zh.txt",
        "s-res-2692-2023.zh.pdfcopy.txt",
        "s-res-9904-2032.en.pdf",
    }
