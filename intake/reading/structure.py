"""Lines into paragraphs by the document's structure, not by its line ends.

A paragraph starts where the language's structure says one starts: a number ("1.",
full-width or not, "18.") for an operative paragraph, a phrase of the language's table ("Recalling",
"Se déclarant", "深为关切地注意到") for a preambular one. Every other line continues the
paragraph before it, across blank lines and page gaps alike, so a paragraph broken by a
page (furniture and all) comes back whole, and a wrapped line that happens to end with a
comma does not end a paragraph.

Chinese has no capitals to tell "重申" opening a paragraph from "重申" after a comma inside
one. When the text is hard-wrapped (a copy of a PDF), a line that fills the measure was
cut by the wrap, so what follows it continues the paragraph; only a line ending short,
with a comma or semicolon, can close one.
"""

import itertools
import re
import statistics
from dataclasses import dataclass, field

from intake.languages.grammar import Grammar
from intake.text import fold, strip_markup, width

_NUMBERED = re.compile(r"\s*(\d{1,3})\s*[.、]\s*(?=\S)")
_TERMINATORS = (",", ";", ":")
_FULL_STOPS = (".", "。")
_LEADING_MARKUP = re.compile(r"^\s*\**\s*")


@dataclass
class Line:
    raw: str  # as written, `**` markup kept (it marks the lead verb)
    plain: str  # markup removed
    folded: str  # `plain` folded for matching: offsets are those of `plain`

    @classmethod
    def of(cls, raw: str) -> "Line":
        raw = raw.strip()
        plain = strip_markup(raw).strip()
        return cls(raw, plain, fold(plain))


@dataclass
class Block:
    """A paragraph being assembled: its lines, each with whether a gap came before it."""

    kind: str  # preambular | operative
    number: int | None
    lines: list[tuple[Line, bool]] = field(default_factory=list)
    opening: str = ""


@dataclass
class Layout:
    front: list[Line]
    blocks: list[Block]
    annexes: list[list[Line | None]]
    unplaced: list[Line]
    opening_found: bool
    unknown_openings: list[str]


def lay_out(lines: list[str], g: Grammar) -> Layout:
    """Split the cleaned lines into front matter, paragraphs and annexes.

    1. The front matter runs to the opening line ("The Security Council,"); without one,
       to the first line that opens a paragraph.
    2. Each later line either opens a paragraph (operative by number, preambular by
       phrase), opens an annex, or continues the paragraph before it.
    """
    items = [Line.of(line) if line.strip() else None for line in lines]
    opening = next(
        (
            i
            for i, item in enumerate(items)
            if item is not None and g.opening.fullmatch(item.folded.strip())
        ),
        None,
    )
    if opening is None:
        start = next(
            (
                i
                for i, item in enumerate(items)
                if item is not None and (_NUMBERED.match(item.folded) or _opens_preambular(item, g))
            ),
            len(items),
        )
        front, body = items[:start], items[start:]
    else:
        front, body = items[:opening], items[opening + 1 :]
    layout = Layout(
        front=[item for item in front if item is not None],
        blocks=[],
        annexes=[],
        unplaced=[],
        opening_found=opening is not None,
        unknown_openings=[],
    )
    measure = None if _gapped(body) else _measure(body, g)
    _join(body, g, measure, layout, gapped=_gapped(body))
    return layout


def _measure(body: list[Line | None], g: Grammar) -> int | None:
    """The width a hard-wrapped text is cut at, or None when lines are not wrapped.

    Lines followed by another line of the same paragraph are mostly full: their median
    width is the measure. Chinese only (see the module docstring)."""
    if g.language.spaced:
        return None
    inner = [
        width(item.plain)
        for item, after in itertools.pairwise(body)
        if item is not None and after is not None
    ]
    if len(inner) < 8:
        return None
    measure = statistics.median(inner)
    close = sum(1 for w in inner if abs(w - measure) <= 4)
    return int(measure) if close >= 0.6 * len(inner) else None


def _gapped(body: list[Line | None]) -> bool:
    """Whether paragraphs are set apart by blank lines (pasted text, Word, a PDF read
    with its spacing): then a paragraph never starts inside a run of lines."""
    numbered = [
        before is None
        for before, item in itertools.pairwise([None, *body])
        if item is not None and _NUMBERED.match(_LEADING_MARKUP.sub("", item.folded))
    ]
    return bool(numbered) and sum(numbered) >= 0.8 * len(numbered)


def _opens_preambular(line: Line, g: Grammar) -> re.Match | None:
    text = _LEADING_MARKUP.sub("", line.folded)
    match = g.preambular.match(text)
    if match and g.language.spaced and not text[:1].isupper():
        return None
    return match


def _ends_with(line: Line | None, endings) -> bool:
    return line is not None and line.folded.rstrip().endswith(endings)


def _join(
    body: list[Line | None], g: Grammar, measure: int | None, layout: Layout, gapped: bool
) -> None:
    blocks, annexes = layout.blocks, layout.annexes
    expected, previous, gap = 1, None, True
    section = "preamble"
    for item in body:
        if item is None:
            gap = True
            if section == "annex":
                annexes[-1].append(None)
            continue
        line = item
        if g.annex.fullmatch(line.folded.strip()) and section != "preamble":
            section = "annex"
            annexes.append([line])
        elif section == "annex":
            annexes[-1].append(line)
        elif (number := _operative_number(line, g, expected, gap)) is not None:
            section = "operative"
            blocks.append(Block("operative", number, [(line, gap)]))
            expected = number + 1
        elif section == "preamble" and (
            opening := _preambular_start(line, previous, gap, g, measure, gapped)
        ):
            blocks.append(Block("preambular", None, [(line, gap)], opening))
        elif (
            section == "preamble" and gap and g.language.spaced and _unknown_opening(line, previous)
        ):
            layout.unknown_openings.append(line.plain[:40])
            blocks.append(Block("preambular", None, [(line, gap)], line.plain.split()[0]))
        elif blocks and not (
            gap
            and blocks[-1].kind == "operative"
            and _ends_with(previous, _FULL_STOPS)
            and not g.sub_paragraph.match(line.folded)
            and not line.folded[:1].islower()
        ):
            blocks[-1].lines.append((line, gap))
        else:
            layout.unplaced.append(line)
            continue
        previous, gap = line, False


def _operative_number(line: Line, g: Grammar, expected: int, gap: bool) -> int | None:
    text = _LEADING_MARKUP.sub("", line.folded)
    match = _NUMBERED.match(text)
    if match is None:
        return None
    number = int(match[1])
    if number == expected:
        return number
    # Not the next number: still a paragraph if a lead verb follows (a numbering error,
    # reported later), otherwise a wrapped line such as "10. of resolution ...".
    rest = _LEADING_MARKUP.sub("", text[match.end() :])
    if g.lead_verb.match(rest) and (not g.language.spaced or rest[:1].isupper()):
        return number
    return None


def _preambular_start(
    line: Line, previous: Line | None, gap: bool, g: Grammar, measure: int | None, gapped: bool
) -> str | None:
    match = _opens_preambular(line, g)
    if match is None:
        return None
    opening = strip_markup(_LEADING_MARKUP.sub("", line.raw))[: match.end()].strip()
    if previous is None:
        return opening
    if not _ends_with(previous, _TERMINATORS):
        return None
    if gap or g.language.spaced:
        return opening
    if gapped:
        return None
    # Chinese, same block: a full line was cut by the wrap, not by the paragraph's end. A
    # Chinese character is two columns, so a line with room left for one more ended.
    if measure is not None and width(previous.plain) >= measure - 1:
        return None
    return opening


def _unknown_opening(line: Line, previous: Line | None) -> bool:
    return line.folded[:1].isupper() and _ends_with(previous, _TERMINATORS)


def join_lines(lines: list[tuple[Line, bool]], g: Grammar, raw: bool = False) -> str:
    """Rejoin a paragraph's lines: Chinese runs on, English and French take a space, a
    word hyphenated at a line end is rejoined, and a sub-paragraph starts a new line."""
    text = ""
    for index, (line, _gap) in enumerate(lines):
        part = line.raw if raw else line.plain
        if index == 0:
            text = part
        elif g.sub_paragraph.match(line.folded):
            text += "\n" + part
        elif g.language.spaced:
            if re.search(r"[^\W\d_]-$", text) and line.plain[:1].isalpha():
                text += part  # "Secretary-\nGeneral", "troop-\ncontributing"
            else:
                text += " " + part
        else:
            tail, head = strip_markup(text)[-1:], line.plain[:1]
            text += " " + part if (tail + head).isascii() and (tail + head).isalnum() else part
    return text
