"""Loads a curated data file: actors, obligations, schedules and the public record.

Create-only: anything that exists already is left as analysts have it, so loading again
changes nothing. History is dated when things happened (creation at adoption, each
delivery on its day) and attributed to the system user, so "as of" views tell the real
story.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from paragraphs.enums import ParagraphKind
from paragraphs.history import noon_utc, stamp, system_user
from paragraphs.models import (
    Actor,
    Mandate,
    Obligation,
    Paragraph,
    Resolution,
    resolution_symbol,
)
from paragraphs.services import evidence_add, obligation_update
from reports.enums import DeadlineState
from reports.models import Deadline, Schedule
from reports.services import deadline_deliver, resolution_update, schedule_sync_deadlines

SCHEDULE_FIELDS = (
    "label",
    "kind",
    "on_date",
    "within_days",
    "anchor_on",
    "every_days",
    "every_months",
    "until",
    "rationale",
)


class CuratedDataError(ValueError):
    pass


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.created.append(what)


def read_curated(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CuratedDataError(f"{path}: {error}") from error
    if not isinstance(data, dict) or "resolution" not in data or "paragraphs" not in data:
        raise CuratedDataError(f"{path}: expected 'resolution' and 'paragraphs' sections.")
    return data


def resolution_text_path(data: dict) -> Path:
    return settings.BASE_DIR / data["resolution"]["text"]


@transaction.atomic
def load_curated(data: dict) -> LoadResult:
    """Apply a curated file to an imported resolution.

    1. Related resolutions, actors and the resolution's own facts (mandate, renewal).
    2. Paragraph summaries and obligations with their schedules and deadlines, dated at
       adoption.
    3. The public record: deliveries on the day they happened.
    """
    result = LoadResult()
    by = system_user()
    spec = data["resolution"]
    try:
        resolution = Resolution.objects.get(number=spec["number"])
    except Resolution.DoesNotExist as error:
        raise CuratedDataError(f"Import the text of resolution {spec['number']} first.") from error
    if resolution.adopted_on is None:
        raise CuratedDataError(f"{resolution.symbol} has no adoption date; import its text first.")
    adopted_at = noon_utc(resolution.adopted_on)

    mandates = {m["code"]: _load_mandate(m, result) for m in data.get("mandates", [])}
    for related in sorted(data.get("related", []), key=lambda r: r["number"]):
        _load_related(related, mandates, by, result)
    # Through the service: a mandate expiry filled in moves the deadlines derived from it.
    resolution_update(
        resolution=resolution,
        by=by,
        **_blank(
            resolution,
            {
                "title": spec.get("title", ""),
                "mandate": mandates.get(spec.get("mandate")),
                "mandate_expires_on": spec.get("mandate_expires_on"),
                "renews": (
                    Resolution.objects.get(number=spec["renews"]) if spec.get("renews") else None
                ),
            },
        ),
    )
    actors = {a["code"]: _load_actor(a, result) for a in data.get("actors", [])}

    paragraphs = {
        p.number: p
        for p in Paragraph.objects.filter(resolution=resolution, kind=ParagraphKind.OPERATIVE)
    }
    pending_alignment = []
    for number, entry in data["paragraphs"].items():
        paragraph = paragraphs.get(number)
        if paragraph is None:
            raise CuratedDataError(f"{resolution.symbol} has no operative paragraph {number}.")
        _fill_blank(paragraph, {"summary_en": entry.get("summary", "")})
        for spec_obligation in entry.get("obligations") or []:
            obligation = _load_obligation(
                paragraph, spec_obligation, actors, by, adopted_at, result
            )
            if obligation is not None:
                pending_alignment += [(obligation, s) for s in spec_obligation.get("schedules", [])]

    # Aligned schedules need their target to exist, so schedules come after obligations.
    for obligation, spec_schedule in sorted(pending_alignment, key=lambda p: "aligned_to" in p[1]):
        _load_schedule(obligation, spec_schedule, by, adopted_at, result)

    for entry in data.get("record", []):
        _load_delivery(entry, by, result)
    return result


def _blank(instance, values: dict) -> dict:
    """The values for fields that are still empty; a value someone has edited is kept."""
    return {name: value for name, value in values.items() if value and not getattr(instance, name)}


def _fill_blank(instance, values: dict) -> None:
    """Set fields that are still empty (of rows no deadline derives from)."""
    changed = _blank(instance, values)
    for name, value in changed.items():
        setattr(instance, name, value)
    if changed:
        instance.save(update_fields=list(changed))


def _load_mandate(spec: dict, result: LoadResult) -> Mandate:
    mandate, created = Mandate.objects.get_or_create(
        code=spec["code"], defaults={"name": spec.get("name", "")}
    )
    if created:
        result.add(f"mandate {mandate.code}")
    return mandate


def _load_related(spec: dict, mandates: dict, by, result: LoadResult) -> None:
    """A resolution the text cites or that renews it, as a record (no text): its facts
    through the service, so a renewal ends its predecessor's period."""
    resolution, created = Resolution.objects.get_or_create(
        number=spec["number"],
        defaults={"year": spec["year"], "symbol": resolution_symbol(spec["number"], spec["year"])},
    )
    if created:
        result.add(resolution.symbol)
    values = {k: spec.get(k) for k in ("adopted_on", "title", "mandate_expires_on")}
    values["meeting_number"] = spec.get("meeting")
    values["mandate"] = mandates.get(spec.get("mandate"))
    if spec.get("renews"):
        values["renews"] = Resolution.objects.filter(number=spec["renews"]).first()
    resolution_update(resolution=resolution, by=by, **_blank(resolution, values))


def _load_actor(spec: dict, result: LoadResult) -> Actor:
    actor, created = Actor.objects.get_or_create(
        code=spec["code"],
        defaults={
            "name_en": spec["en"],
            "name_zh": spec["zh"],
            "abbreviation": spec.get("abbr", ""),
        },
    )
    if created:
        result.add(f"actor {actor.code}")
    return actor


def _load_obligation(paragraph, spec, actors, by, at, result) -> Obligation | None:
    """Create the obligation if its key is new; return it only when created."""
    if Obligation.objects.filter(key=spec["key"]).exists():
        return None
    try:
        owner = actors[spec["owner"]]
        contributors = [actors[code] for code in spec.get("contributors", [])]
    except KeyError as error:
        raise CuratedDataError(f"{spec['key']}: unknown actor {error.args[0]!r}.") from error
    obligation = Obligation(
        paragraph=paragraph,
        key=spec["key"],
        summary=spec["summary"],
        kind=spec["kind"],
        owner=owner,
    )
    _validate(obligation, spec["key"])
    stamp(obligation, by=by, note="Loaded from the curated data file.", at=at)
    obligation.save()
    obligation.contributors.set(contributors)
    if "outcome" in spec:
        _load_outcome(obligation, spec["outcome"], by)
    result.add(obligation.key)
    return obligation


def _load_outcome(obligation, spec: dict, by) -> None:
    """What became of an obligation, on the day it did: the document that shows it as
    evidence, and the status it reached."""
    at = noon_utc(spec["dated"])
    try:
        evidence_add(
            obligation=obligation,
            by=by,
            document_symbol=spec.get("document_symbol", ""),
            dated=spec["dated"],
            note=spec.get("note", ""),
            at=at,
        )
        obligation_update(
            obligation=obligation, by=by, status=spec["status"], reason=spec.get("note", ""), at=at
        )
    except ValidationError as error:
        raise CuratedDataError(f"{obligation.key}: {' '.join(error.messages)}") from error


def _load_schedule(obligation, spec, by, at, result) -> None:
    schedule = Schedule(obligation=obligation, **{k: spec[k] for k in SCHEDULE_FIELDS if k in spec})
    if "aligned_to" in spec:
        schedule.aligned_to = (
            Schedule.objects.filter(obligation__key=spec["aligned_to"]).order_by("id").first()
        )
        if schedule.aligned_to is None:
            raise CuratedDataError(
                f"{obligation.key}: {spec['aligned_to']} has no schedule to align to."
            )
    _validate(schedule, obligation.key)
    stamp(schedule, by=by, note="Loaded from the curated data file.", at=at)
    schedule.save()
    deadlines = schedule_sync_deadlines(
        schedule=schedule, by=by, note="Loaded from the curated data file.", at=at
    )
    result.add(f"{obligation.key} schedule ({len(deadlines)} deadlines)")


# What a record entry may say of a delivery, as `deadline_deliver` takes it.
DELIVERY_KEYS = {
    "circulated_on": "circulated_on",
    "dated_on": "dated_on",
    "delivered_by": "delivered_by",
    "evidence": "evidence",
    "document_symbol": "document_symbol",
}


def _load_delivery(entry: dict, by, result: LoadResult) -> None:
    """A delivery of the public record, as far as it is known, recorded on the day it is
    known by (circulation, else the document's date, else the bounding date). `with`
    names the occurrences delivered together with it (an annex of the report)."""
    deadline = _occurrence(entry["obligation"], entry["occurrence"])
    if deadline.state != DeadlineState.OPEN:
        return
    facts = {name: entry[key] for key, name in DELIVERY_KEYS.items() if entry.get(key)}
    known_on = entry.get("circulated_on") or entry.get("dated_on") or entry.get("delivered_by")
    if known_on is None:
        raise CuratedDataError(f"Record {entry['obligation']}: no date to record it on.")
    also = [_occurrence(key, entry["occurrence"]).pk for key in entry.get("with", [])]
    try:
        deadline_deliver(
            deadline=deadline,
            by=by,
            note=f"Public record: {entry.get('source', '')}".strip(),
            at=noon_utc(known_on),
            also=also,
            **facts,
        )
    except ValidationError as error:
        raise CuratedDataError(
            f"Record {entry['obligation']}: {' '.join(error.messages)}"
        ) from error
    result.add(f"delivery {entry['obligation']} #{entry['occurrence']}")


def _occurrence(key: str, sequence: int) -> Deadline:
    deadline = Deadline.objects.filter(schedule__obligation__key=key, sequence=sequence).first()
    if deadline is None:
        raise CuratedDataError(f"Record: {key} has no occurrence {sequence}.")
    return deadline


def _validate(instance, where: str) -> None:
    try:
        instance.full_clean(exclude=["paragraph", "obligation", "owner"])
    except ValidationError as error:
        raise CuratedDataError(f"{where}: {'; '.join(error.messages)}") from error
