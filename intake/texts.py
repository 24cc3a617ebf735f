"""Writes of a resolution's paragraphs and their texts, for acceptance and the 2692 loader.

Every text written is stamped with who wrote it and from which draft; paragraphs keep
their rows (and so their obligations) when a text renumbers them.
"""

import datetime as dt
import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from intake import diff
from intake.models import Draft
from intake.reading import find_references
from intake.selectors import Plan, read_paragraphs
from paragraphs.enums import ParagraphKind, TextLanguage, VerbCategory
from paragraphs.history import stamp
from paragraphs.models import Paragraph, ParagraphText, Resolution, resolution_symbol
from reports.services import resolution_update

_REFERENCE = re.compile(r"(\d+) \((\d{4})\)")
# Numbers and positions are unique per resolution: paragraphs that move go through these
# (higher than any paragraph's) on the way.
AWAY = 10000


def iso_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _cited(reference: str) -> Resolution:
    number, year = (int(x) for x in _REFERENCE.fullmatch(reference).groups())
    resolution, _created = Resolution.objects.get_or_create(
        number=number, defaults={"year": year, "symbol": resolution_symbol(number, year)}
    )
    return resolution


def _paragraph_cites(paragraph: Paragraph, text: str, resolution: Resolution) -> None:
    cited = find_references([text], (resolution.number, resolution.year))
    if cited:
        paragraph.cites.add(*(_cited(reference) for reference in cited))


def _write_text(paragraph: Paragraph, read: diff.ReadParagraph, language: str, *, by, note):
    text = ParagraphText.objects.filter(paragraph=paragraph, language=language).first()
    text = text or ParagraphText(paragraph=paragraph, language=language)
    text.text = read.text
    text.lead_verb = read.lead_verb[: ParagraphText._meta.get_field("lead_verb").max_length]
    stamp(text, by=by, note=note)
    text.save()


def _create_paragraph(
    resolution: Resolution, read: diff.ReadParagraph, position: int, language: str, *, by, note
) -> Paragraph:
    paragraph = Paragraph(
        resolution=resolution,
        kind=read.kind,
        position=position,
        number=read.label if read.kind == ParagraphKind.OPERATIVE else None,
        verb_category=read.category if read.category in VerbCategory.values else "other",
    )
    stamp(paragraph, by=by, note=note)
    paragraph.save()
    _write_text(paragraph, read, language, by=by, note=note)
    _paragraph_cites(paragraph, read.text, resolution)
    return paragraph


def write_new_resolution(
    *, reading: dict, by, note: str
) -> tuple[Resolution, dict[int, Paragraph]]:
    """Create a resolution's facts, paragraphs and texts from a reading (a resolution
    only cited so far gets its facts filled in); returns it and its operative paragraphs
    by number. Also the write of the 2692 loader."""
    resolution, _created = Resolution.objects.get_or_create(
        number=reading["number"],
        defaults={"year": reading["year"], "symbol": reading["symbol"]},
    )
    resolution_update(
        resolution=resolution,
        by=by,
        note=note,
        symbol=reading["symbol"],
        year=reading["year"],
        adopted_on=iso_date(reading["adopted_on"]) or resolution.adopted_on,
        meeting_number=reading["meeting"] or resolution.meeting_number,
    )
    if reading["references"]:
        resolution.references.add(*(_cited(r) for r in reading["references"]))
    operative = {}
    positions = {ParagraphKind.PREAMBULAR: 0, ParagraphKind.OPERATIVE: 0}
    for read in read_paragraphs(reading):
        positions[read.kind] += 1
        paragraph = _create_paragraph(
            resolution, read, positions[read.kind], reading["language"], by=by, note=note
        )
        if read.kind == ParagraphKind.OPERATIVE:
            operative[read.label] = paragraph
    return resolution, operative


def add_language(reading: dict, plan: Plan, *, by, note: str) -> list[str]:
    paragraphs = {
        (p.kind, p.number if p.number is not None else p.position): p
        for p in Paragraph.objects.filter(resolution=plan.resolution)
    }
    language = reading["language"]
    for read in read_paragraphs(reading):
        _write_text(paragraphs[(read.kind, read.label)], read, language, by=by, note=note)
    return [
        _("%(symbol)s: text in %(language)s added to its %(count)d paragraphs.")
        % {
            "symbol": plan.resolution.symbol,
            "language": TextLanguage(reading["language"]).label,
            "count": len(paragraphs),
        }
    ]


def describe(change: diff.Change) -> str:
    kind = _("op.") if change.kind == ParagraphKind.OPERATIVE else _("pp.")
    old = change.held.label if change.held else None
    new = change.read.label if change.read else None
    if change.action == diff.ADDED:
        return _("%(kind)s %(new)s added") % {"kind": kind, "new": new}
    if change.action == diff.REMOVED:
        return _("%(kind)s %(old)s removed") % {"kind": kind, "old": old}
    if change.action == diff.RENUMBERED:
        return _("%(kind)s %(old)s renumbered %(new)s") % {"kind": kind, "old": old, "new": new}
    if old != new:
        return _("%(kind)s %(old)s changed and renumbered %(new)s") % {
            "kind": kind,
            "old": old,
            "new": new,
        }
    return _("%(kind)s %(old)s changed") % {"kind": kind, "old": old}


def apply_changes(draft: Draft, plan: Plan, *, confirmed: set[str], by, note: str) -> list[str]:
    """Apply the confirmed changes of a text in a language held.

    1. Work out the paragraphs as they will be: a change not confirmed leaves its paragraph
       as it is; refuse if a removed paragraph has obligations, or if two paragraphs would
       share a number.
    2. Remove, move (through numbers no paragraph has, as numbers are unique), retext,
       add. Obligations stay on their paragraph, which keeps its row.
    """
    chosen = [c for c in plan.pending_changes if c.id in confirmed]
    if not chosen:
        raise ValidationError(
            _("Confirm at least one change, or discard the draft."), code="nothing_confirmed"
        )
    for change in chosen:
        if change.blocked:
            raise ValidationError(
                _(
                    "Paragraph %(label)s has obligations and is not in the new text: move or "
                    "remove its obligations first."
                )
                % {"label": change.held.label},
                code="has_obligations",
            )
    language = draft.language
    # (kind, label, change): every paragraph as it will be. Paragraphs without a text in
    # this language were not compared; they keep their number and take part in the order.
    final: list[tuple[str, int, diff.Change | Paragraph]] = []
    for change in plan.changes:
        applied = change in chosen
        if change.action == diff.ADDED and not applied:
            continue
        if change.action == diff.REMOVED and applied:
            continue
        label = change.read.label if applied else change.held.label
        final.append((change.kind, label, change))
    compared = {c.held.pk for c in plan.changes if c.held}
    others = {
        p.pk: p
        for p in Paragraph.objects.filter(resolution=plan.resolution).exclude(pk__in=compared)
    }
    final += [(p.kind, p.number or p.position, p) for p in others.values()]
    labels = Counter((kind, label) for kind, label, _change in final)
    clashes = sorted(str(label) for (_kind, label), count in labels.items() if count > 1)
    if clashes:
        raise ValidationError(
            _(
                "Paragraph numbers would clash (%(labels)s): confirm together the changes that "
                "renumber them."
            )
            % {"labels": ", ".join(clashes)},
            code="clash",
        )

    for change in chosen:
        if change.action == diff.REMOVED:
            paragraph = Paragraph.objects.get(pk=change.held.pk)
            stamp(paragraph, by=by, note=note)
            paragraph.delete()
    kept = [c.held.pk for _k, _l, c in final if isinstance(c, diff.Change) and c.held]
    kept += list(others)
    originals = {p.pk: p for p in Paragraph.objects.filter(pk__in=kept)}
    Paragraph.objects.filter(pk__in=kept).update(position=F("position") + AWAY)
    Paragraph.objects.filter(pk__in=kept, number__isnull=False).update(number=F("number") + AWAY)
    resolution = plan.resolution
    order = Counter()
    for kind, label, item in sorted(final, key=lambda f: (f[0] != ParagraphKind.PREAMBULAR, f[1])):
        order[kind] += 1
        change = item if isinstance(item, diff.Change) else None
        applied = change in chosen
        if change is not None and change.held is None:
            _create_paragraph(resolution, change.read, order[kind], language, by=by, note=note)
            continue
        paragraph = originals[change.held.pk if change else item.pk]
        values = {
            "position": order[kind],
            "number": label if kind == ParagraphKind.OPERATIVE else None,
            "verb_category": (
                change.read.category
                if applied and change.read.category in VerbCategory.values
                else paragraph.verb_category
            ),
        }
        if all(getattr(paragraph, name) == value for name, value in values.items()):
            # Back where it was: no change to record.
            Paragraph.objects.filter(pk=paragraph.pk).update(**values)
        else:
            for name, value in values.items():
                setattr(paragraph, name, value)
            stamp(paragraph, by=by, note=note)
            paragraph.save(update_fields=list(values))
        if applied and change.action == diff.CHANGED:
            _write_text(paragraph, change.read, language, by=by, note=note)
            _paragraph_cites(paragraph, change.read.text, resolution)
    return [describe(c) for c in chosen]
