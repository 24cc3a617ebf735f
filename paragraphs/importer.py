"""Writes a parsed resolution into Resolution + Paragraph rows, idempotently."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from paragraphs.models import Paragraph, Resolution, resolution_symbol
from paragraphs.parsing import ParsedResolution


@dataclass
class ImportResult:
    resolution: Resolution
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _cited(number: int, year: int) -> Resolution:
    resolution, _created = Resolution.objects.get_or_create(
        number=number, defaults={"year": year, "symbol": resolution_symbol(number, year)}
    )
    return resolution


def _assign(instance, values: dict) -> list[str]:
    """Set the fields that differ; return their names (empty when nothing changed)."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


@transaction.atomic
def resolution_import(parsed: ParsedResolution) -> ImportResult:
    """Create or update a resolution and its paragraphs from parsed text.

    1. Upsert the resolution by number; only fields that differ are written, so a second
       import of the same text writes nothing.
    2. Upsert each paragraph by (kind, position), with its citations, creating stub rows
       for cited resolutions that are not loaded.
    3. Paragraphs the new text no longer has are removed, unless obligations hang on
       them: then the import is refused and nothing is written.
    """
    resolution = Resolution.objects.filter(number=parsed.number).first()
    result = ImportResult(resolution=resolution or Resolution(number=parsed.number))
    resolution = result.resolution
    header = {
        "symbol": parsed.symbol,
        "year": parsed.year,
        "adopted_on": parsed.adopted_on,
        "meeting_number": parsed.meeting_number,
    }
    if resolution.pk is None:
        _assign(resolution, header)
        resolution.save()
        result.created.append(resolution.symbol)
    elif changed := _assign(resolution, header):
        resolution.save(update_fields=changed)
        result.updated.append(resolution.symbol)

    cited = [_cited(number, year) for number, year in parsed.cites]
    if set(resolution.references.all()) != set(cited):
        resolution.references.set(cited)
        result.updated.append(_("%(symbol)s references") % {"symbol": resolution.symbol})

    existing = {(p.kind, p.position): p for p in resolution.paragraphs.prefetch_related("cites")}
    for parsed_paragraph in parsed.paragraphs:
        paragraph = existing.pop((parsed_paragraph.kind, parsed_paragraph.position), None)
        values = {
            "number": parsed_paragraph.number,
            "text_zh": parsed_paragraph.text,
            "lead_verb": parsed_paragraph.lead_verb[
                : Paragraph._meta.get_field("lead_verb").max_length
            ],
            "verb_category": parsed_paragraph.verb_category,
        }
        if paragraph is None:
            paragraph = Paragraph(
                resolution=resolution,
                kind=parsed_paragraph.kind,
                position=parsed_paragraph.position,
                **values,
            )
            paragraph.save()
            result.created.append(str(paragraph))
        elif changed := _assign(paragraph, values):
            paragraph.save(update_fields=changed)
            result.updated.append(str(paragraph))
        paragraph_cites = [_cited(number, year) for number, year in parsed_paragraph.cites]
        if set(paragraph.cites.all()) != set(paragraph_cites):
            paragraph.cites.set(paragraph_cites)
            if str(paragraph) not in result.created:
                result.updated.append(str(paragraph))

    for gone in existing.values():
        if gone.obligations.exists():
            raise ValidationError(
                _("%(paragraph)s is not in the new text but has obligations; move them first.")
                % {"paragraph": gone}
            )
        gone.delete()
        result.updated.append(_("%(paragraph)s removed") % {"paragraph": gone})
    return result
