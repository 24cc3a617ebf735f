"""Reads of the intake: what a draft would do to the resolution held, for the preview and
for acceptance alike (acceptance computes it again, under lock)."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from intake import diff
from intake.models import Draft
from paragraphs.enums import ParagraphKind
from paragraphs.models import Paragraph, ParagraphText, Resolution

NEW, LANGUAGE, CHANGES, IDENTICAL = "new", "language", "changes", "identical"


@dataclass
class Plan:
    """What accepting a draft does.

    new: the resolution has no paragraphs yet; they are created with the proposals accepted.
    language: the text adds a language to the paragraphs held (refusal says why it cannot).
    changes: a different text in a language held; `changes` lists each paragraph.
    identical: the same text as held; nothing to apply.
    """

    mode: str
    resolution: Resolution | None
    changes: list[diff.Change] = field(default_factory=list)
    refusal: str | None = None

    @property
    def pending_changes(self) -> list[diff.Change]:
        return [c for c in self.changes if c.action != diff.UNCHANGED]


def read_paragraphs(reading: dict) -> list[diff.ReadParagraph]:
    return [
        diff.ReadParagraph(
            ParagraphKind.PREAMBULAR, p["position"], p["text"], p.get("opening", ""), "other"
        )
        for p in reading["preambular"]
    ] + [
        diff.ReadParagraph(
            ParagraphKind.OPERATIVE, p["number"], p["text"], p["lead_verb"], p["category"]
        )
        for p in reading["operative"]
    ]


def held_paragraphs(resolution: Resolution, language: str | None) -> list[diff.HeldParagraph]:
    """The resolution's paragraphs with their text in `language` (those without one are
    left out), or with no text at all when `language` is None (for the structure)."""
    paragraphs = (
        Paragraph.objects.filter(resolution=resolution)
        .annotate(obligation_count=Count("obligations"))
        .prefetch_related(
            Prefetch("texts", queryset=ParagraphText.objects.filter(language=language or ""))
        )
        .order_by("-kind", "position")
    )
    held = []
    for paragraph in paragraphs:
        texts = list(paragraph.texts.all())
        if language and not texts:
            continue
        held.append(
            diff.HeldParagraph(
                pk=paragraph.pk,
                kind=paragraph.kind,
                label=paragraph.number if paragraph.number is not None else paragraph.position,
                text=texts[0].text if texts else "",
                lead_verb=texts[0].lead_verb if texts else "",
                has_obligations=paragraph.obligation_count > 0,
            )
        )
    return held


def draft_plan(draft: Draft) -> Plan:
    resolution = Resolution.objects.filter(number=draft.number).first()
    if resolution is None or not resolution.paragraphs.exists():
        return Plan(NEW, resolution)
    read = read_paragraphs(draft.reading)
    if not ParagraphText.objects.filter(
        paragraph__resolution=resolution, language=draft.language
    ).exists():
        refusal = diff.same_structure(held_paragraphs(resolution, None), read)
        return Plan(LANGUAGE, resolution, refusal=refusal)
    changes = diff.compare(held_paragraphs(resolution, draft.language), read)
    if all(c.action == diff.UNCHANGED for c in changes):
        return Plan(IDENTICAL, resolution, changes)
    return Plan(CHANGES, resolution, changes)


def drafts_for_list():
    """The import page's list: drafts, latest first, with who read them."""
    # Not the text and the reading, which a list does not show: a resolution's worth each.
    return Draft.objects.select_related("created_by").defer("text", "reading")
