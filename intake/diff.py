"""The difference between the paragraphs held and a newly read text of the same resolution
in the same language. Pure: no ORM.

Paragraphs are matched by text first, then by number, then by likeness, never by position
alone: inserting a paragraph renumbers the ones after it without moving their obligations
onto a neighbour's text.

    compare(held, read) -> list[Change]
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from intake.text import fold

# Two texts at least this alike (difflib's ratio) are one paragraph retouched.
ALIKE = 0.6

UNCHANGED, CHANGED, RENUMBERED, ADDED, REMOVED = (
    "unchanged",
    "changed",
    "renumbered",
    "added",
    "removed",
)


@dataclass(frozen=True)
class HeldParagraph:
    pk: int
    kind: str  # paragraphs.enums.ParagraphKind value
    label: int  # the number of an operative paragraph, the position of a preambular one
    text: str
    lead_verb: str = ""
    has_obligations: bool = False


@dataclass(frozen=True)
class ReadParagraph:
    kind: str
    label: int
    text: str
    lead_verb: str = ""
    category: str = "other"


@dataclass(frozen=True)
class Change:
    action: str  # UNCHANGED | CHANGED | RENUMBERED | ADDED | REMOVED
    kind: str
    held: HeldParagraph | None
    read: ReadParagraph | None

    @property
    def id(self) -> str:
        """Stable between the preview and the confirmation: kind, old and new label."""
        old = self.held.label if self.held else "-"
        new = self.read.label if self.read else "-"
        return f"{self.kind[:2]}-{old}-{new}"

    @property
    def blocked(self) -> bool:
        """A paragraph with obligations cannot be removed by a text."""
        return self.action == REMOVED and self.held is not None and self.held.has_obligations


def _same(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


def compare(held: list[HeldParagraph], read: list[ReadParagraph]) -> list[Change]:
    """Every paragraph held and read, paired, in the order of the new text (removed ones
    after the paragraph that preceded them).

    1. Same text (spaces and full-width forms aside): the same paragraph, perhaps renumbered.
    2. Same kind and number among those left: the same paragraph, retouched.
    3. Among those still left, the most alike pair above ALIKE: retouched and renumbered.
    4. What is left is added (read only) or removed (held only).
    """
    pairs: dict[int, HeldParagraph] = {}  # index in `read` -> held paragraph
    free = list(held)

    def take(index: int, candidate: HeldParagraph) -> None:
        pairs[index] = candidate
        free.remove(candidate)

    for index, paragraph in enumerate(read):
        same = [
            h for h in free if h.kind == paragraph.kind and _same(h.text) == _same(paragraph.text)
        ]
        if same:
            take(index, min(same, key=lambda h: abs(h.label - paragraph.label)))
    for index, paragraph in enumerate(read):
        if index in pairs:
            continue
        for candidate in free:
            if candidate.kind == paragraph.kind and candidate.label == paragraph.label:
                take(index, candidate)
                break
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, _same(h.text), _same(p.text)).ratio(), index, h.pk)
            for index, p in enumerate(read)
            if index not in pairs
            for h in free
            if h.kind == p.kind
        ),
        reverse=True,
    )
    for ratio, index, pk in scored:
        candidate = next((h for h in free if h.pk == pk), None)
        if ratio >= ALIKE and index not in pairs and candidate is not None:
            take(index, candidate)

    changes = []
    for index, paragraph in enumerate(read):
        match = pairs.get(index)
        if match is None:
            action = ADDED
        elif _same(match.text) != _same(paragraph.text):
            action = CHANGED
        elif match.label != paragraph.label:
            action = RENUMBERED
        else:
            action = UNCHANGED
        changes.append(Change(action, paragraph.kind, match, paragraph))
    for gone in free:
        after = max(
            (
                i
                for i, c in enumerate(changes)
                if c.kind == gone.kind and c.held is not None and c.held.label < gone.label
            ),
            default=-1,
        )
        changes.insert(after + 1, Change(REMOVED, gone.kind, gone, None))
    return changes


def same_structure(held: list[HeldParagraph], read: list[ReadParagraph]) -> str | None:
    """None when a text in another language has the paragraphs held (as many preambular
    paragraphs, the same operative numbers); else what differs, in words for the user."""

    def shape(paragraphs, kind):
        return sorted(p.label for p in paragraphs if p.kind == kind)

    held_pp, read_pp = shape(held, "preambular"), shape(read, "preambular")
    held_op, read_op = shape(held, "operative"), shape(read, "operative")
    if len(held_pp) != len(read_pp):
        return _("The resolution has %(held)d preambular paragraphs; this text has %(read)d.") % {
            "held": len(held_pp),
            "read": len(read_pp),
        }
    if held_op != read_op:
        missing = sorted(set(held_op) - set(read_op))
        extra = sorted(set(read_op) - set(held_op))
        return _(
            "The operative paragraphs differ: the resolution has %(held)d, this text %(read)d"
            " (missing here: %(missing)s; not held: %(extra)s)."
        ) % {
            "held": len(held_op),
            "read": len(read_op),
            "missing": ", ".join(map(str, missing)) or "-",
            "extra": ", ".join(map(str, extra)) or "-",
        }
    return None
