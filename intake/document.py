"""The intake's public entry points: read and propose, then project to JSON.

    read_document(data, filename=None, language=None, strict_numbering=True) -> Reading
    read_resolution_text(text, language=None, strict_numbering=True) -> Reading
    to_json(reading) -> dict

`to_json` is a pure projection of the dataclass tree: the shape the import command's
--json and the API return. Dates are ISO strings; messages are rendered in the active
language.
"""

import dataclasses
import datetime as dt
from typing import Any

from intake.model import Proposal, Reading, Schedule
from intake.proposals import propose
from intake.reading import read_extracted, read_text
from intake.reading.sources import extract


def read_document(
    data: bytes,
    *,
    filename: str | None = None,
    language: str | None = None,
    strict_numbering: bool = True,
) -> Reading:
    """Read an uploaded file and propose its obligations."""
    reading, _text = read_document_and_text(
        data, filename=filename, language=language, strict_numbering=strict_numbering
    )
    return reading


def read_document_and_text(
    data: bytes,
    *,
    filename: str | None = None,
    language: str | None = None,
    strict_numbering: bool = True,
) -> tuple[Reading, str]:
    """Read an uploaded file; also return the text extracted from it, which a draft keeps
    as the record of what was read."""
    extracted = extract(data, filename=filename)
    reading = read_extracted(extracted, language=language, strict_numbering=strict_numbering)
    return propose(reading), extracted.text


def read_resolution_text(
    text: str, *, language: str | None = None, strict_numbering: bool = True
) -> Reading:
    """Read pasted text and propose its obligations."""
    return propose(read_text(text, language=language, strict_numbering=strict_numbering))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def schedule_json(schedule: Schedule | None) -> dict[str, Any] | None:
    """The schedule's rule: its kind and the fields that are set (dates as ISO)."""
    if schedule is None:
        return None
    fields = {}
    for item in dataclasses.fields(schedule):
        value = getattr(schedule, item.name)
        if item.name == "due_dates" or value in (None, False):
            continue
        fields[item.name] = _iso(value) if isinstance(value, dt.date) else value
    return fields


def proposal_json(proposal: Proposal) -> dict[str, Any]:
    return {
        # Additive: what another proposal's schedule names in `aligned_to`.
        "key": proposal.key,
        "addressees": [a.name for a in proposal.addressees],
        "kind": proposal.kind,
        "schedule": schedule_json(proposal.schedule),
        "due_dates": [
            d.isoformat() for d in (proposal.schedule.due_dates if proposal.schedule else ())
        ],
        "source": proposal.source,
        # Additive: the codes behind `addressees`, for matching actors in the database.
        "actors": [
            {"code": a.code, "name": a.name, "role": a.role, "new": a.new}
            for a in proposal.addressees
        ],
    }


def to_json(reading: Reading) -> dict[str, Any]:
    return {
        "symbol": reading.symbol,
        "number": reading.number,
        "year": reading.year,
        "language": reading.language,
        "adopted_on": _iso(reading.adopted_on),
        "meeting": reading.meeting,
        "mandate": reading.mandate,
        "mandate_expires_on": _iso(reading.mandate_expires_on),
        "references": list(reading.references),
        "preambular": [
            {"position": p.position, "text": p.text, "opening": p.opening}
            for p in reading.preambular
        ],
        "operative": [
            {
                "number": p.number,
                "lead_verb": p.lead_verb,
                "category": p.category,
                "text": p.text,
                "proposals": [proposal_json(q) for q in p.proposals],
            }
            for p in reading.operative
        ],
        "annexes": list(reading.annexes),
        "warnings": [{"code": w.code, "message": w.message} for w in reading.warnings],
    }
