"""Read a resolution: bytes or text in, a `Reading` out (no proposals yet; see
`intake.proposals`). Pure: no database, no clock.

    read_bytes(data, filename=None, language=None, strict_numbering=True) -> Reading
    read_text(text, language=None, strict_numbering=True) -> Reading
    detect_language(text) -> str
"""

import datetime as dt
import itertools
import re

from django.utils.translation import gettext_lazy as _

from intake.errors import IntakeError, Notice
from intake.languages import LANGUAGES
from intake.languages.grammar import Grammar, grammar
from intake.matching import ActorMatcher
from intake.model import OperativeParagraph, PreambularParagraph, Reading
from intake.reading.furniture import remove_furniture
from intake.reading.sources import Extracted, extract
from intake.reading.structure import Block, Layout, join_lines, lay_out
from intake.text import fold, is_cjk, squeeze, strip_markup

_CITATION = re.compile(r"(?<![\d/.])(\d{2,4})\s*\(\s*(\d{4})\s*\)")
_SYMBOL = re.compile(r"S/RES/(\d+)\s*\(\s*(\d{4})\s*\)")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BOLD_START = re.compile(r"\s*([^*]{0,12}?)\*\*([^*]+?)\*\*")
_NUMBER_PREFIX = re.compile(r"^\s*\**\s*\d{1,3}\s*[.．、]\s*")
_FURNITURE_NAMES = {
    "masthead": "masthead",
    "running_header": "running header",
    "job_number": "job number",
    "bar_code": "bar code",
    "page_number": "page number",
    "recycle": "recycling note",
    "footnote": "footnote",
    "footnote_marker": "footnote marker",
}


def read_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    language: str | None = None,
    strict_numbering: bool = True,
) -> Reading:
    """Read an uploaded file (text in any usual encoding, .docx or text PDF)."""
    return read_extracted(
        extract(data, filename=filename), language=language, strict_numbering=strict_numbering
    )


def read_extracted(
    extracted: Extracted, *, language: str | None = None, strict_numbering: bool = True
) -> Reading:
    """Read the text extracted from a file, with what the extraction noticed."""
    return read_text(
        extracted.text,
        language=language,
        strict_numbering=strict_numbering,
        source_format=extracted.format,
        notices=extracted.notices,
        footnote_markers=extracted.footnote_markers,
    )


def detect_language(text: str) -> str:
    """The language of a resolution's text: Chinese by its characters, the others by
    their most frequent small words (the tables' `markers`)."""
    sample = text[:30000]
    letters = sum(1 for c in sample if c.isalpha())
    if letters and sum(1 for c in sample if is_cjk(c)) > 0.3 * letters:
        return "zh"
    lowered = " " + re.sub(r"\s+", " ", sample.lower()) + " "
    scores = {
        code: sum(lowered.count(marker.lower()) for marker in language.markers)
        for code, language in LANGUAGES.items()
        if language.spaced
    }
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        raise IntakeError(
            "unknown_language",
            _("The language of the text could not be recognised (English, French or Chinese)."),
        )
    return best


def read_text(
    text: str,
    *,
    language: str | None = None,
    strict_numbering: bool = True,
    source_format: str = "text",
    notices: list[Notice] | tuple[Notice, ...] = (),
    footnote_markers: int = 0,
) -> Reading:
    """Read the text of one resolution.

    1. Normalise line ends and invisible characters; find the language (the caller's
       word wins, with a warning if the text says otherwise).
    2. Remove page furniture and footnotes, counting what was removed.
    3. Lay the lines out by structure: front matter, preambular and operative
       paragraphs, annexes.
    4. Read the header (number, year, symbol, adoption date and meeting).
    5. Check the operative numbering: from 1, consecutive, no duplicates.
    6. Build the paragraphs: text as written (without markup), lead verb and category.
    7. Find the mandate renewed and its expiry, and the resolutions referred to.
    """
    warnings: list[Notice] = list(notices)
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise IntakeError("empty", _("The text is empty."))
    detected = detect_language(text)
    if language is None:
        language = detected
    elif language not in LANGUAGES:
        raise IntakeError(
            "unknown_language",
            _("%(language)s is not a language the intake reads (en, fr, zh)."),
            language=language,
        )
    elif language != detected:
        warnings.append(
            Notice(
                "language_mismatch",
                _("The text was read as %(given)s as asked, but it looks like %(detected)s."),
                {"given": language, "detected": detected},
            )
        )
    g = grammar(language)

    cleaned = remove_furniture(text)
    if footnote_markers:
        cleaned.removed["footnote_marker"] += footnote_markers
    for kind, count in sorted(cleaned.removed.items()):
        warnings.append(
            Notice(
                f"removed_{kind}",
                _("Removed %(count)s line(s) or mark(s) of page furniture: %(kind)s."),
                {"count": count, "kind": _FURNITURE_NAMES.get(kind, kind)},
            )
        )

    layout = lay_out(cleaned.lines, g)
    number, year, adopted_on, meeting = _header(layout, cleaned.symbols, g, warnings)
    _check_numbering(layout.blocks, strict_numbering, warnings)
    for line in layout.unplaced:
        warnings.append(
            Notice(
                "unplaced_line",
                _("A line could not be placed in any paragraph and was left out: %(line)s"),
                {"line": line.plain[:80]},
            )
        )
    for opening in layout.unknown_openings:
        warnings.append(
            Notice(
                "unknown_preambular_opening",
                _("A preambular paragraph opens with words not in the table: %(words)s"),
                {"words": opening},
            )
        )

    vocabulary = _vocabulary(cleaned.lines)
    preambular = tuple(
        PreambularParagraph(position, _paragraph_text(block, g, vocabulary), block.opening)
        for position, block in enumerate(
            (b for b in layout.blocks if b.kind == "preambular"), start=1
        )
    )
    operative = tuple(
        _operative(block, g, vocabulary, warnings)
        for block in layout.blocks
        if block.kind == "operative"
    )
    if not operative:
        raise IntakeError(
            "no_operative",
            _(
                "No operative paragraphs were found: they are numbered 1., 2., ... after "
                "the preamble."
            ),
        )
    annexes = tuple(_annex_text(annex, g) for annex in layout.annexes)

    matcher = ActorMatcher(language, "\n".join(p.text for p in (*preambular, *operative)))
    mandate, expires_on = _mandate(operative, g, matcher)
    body = [p.text for p in (*preambular, *operative)]
    return Reading(
        symbol=f"S/RES/{number} ({year})",
        number=number,
        year=year,
        language=language,
        adopted_on=adopted_on,
        meeting=meeting,
        mandate=mandate,
        mandate_expires_on=expires_on,
        references=find_references(body, (number, year)),
        preambular=preambular,
        operative=operative,
        annexes=annexes,
        warnings=tuple(warnings),
        source_format=source_format,
    )


def _header(
    layout: Layout, symbols: list[str], g: Grammar, warnings: list[Notice]
) -> tuple[int, int, dt.date | None, int | None]:
    front = " ".join(line.folded for line in layout.front)
    heading = g.heading.search(front)
    if heading:
        number, year = int(heading["number"]), int(heading["year"])
    elif symbols:
        symbol = _SYMBOL.search(symbols[0])
        number, year = int(symbol[1]), int(symbol[2])
    else:
        raise IntakeError(
            "missing_header",
            _(
                "The resolution's number was not found: the text should start with a line "
                "such as “Resolution 2692 (2023)”, “Résolution 2692 (2023)” or "
                "“第 2692(2023)号决议”, or show its symbol S/RES/2692 (2023)."
            ),
        )
    adoption = g.adoption.search(front)
    adopted_on = g.parse_date(adoption) if adoption else None
    meeting = int(adoption["meeting"]) if adoption else None
    if adopted_on is None:
        warnings.append(
            Notice(
                "missing_adoption",
                _(
                    "The adoption line (date and meeting) was not found: deadlines counted "
                    "from adoption cannot be computed."
                ),
            )
        )
    elif adopted_on.year != year:
        warnings.append(
            Notice(
                "year_mismatch",
                _("The symbol gives the year %(year)s but the resolution was adopted on %(date)s."),
                {"year": year, "date": adopted_on.isoformat()},
            )
        )
    if not layout.opening_found:
        warnings.append(
            Notice(
                "missing_opening",
                _("The opening words (“The Security Council,”) were not found."),
            )
        )
    for line in layout.front:
        words = line.folded.strip()
        if (heading and heading[0] in words) or (adoption and words in adoption[0]):
            continue
        if any(grammar(code).date.fullmatch(words) for code in LANGUAGES):
            continue  # the masthead's date, on a line of its own
        warnings.append(
            Notice(
                "unplaced_line",
                _("A line before the preamble was not understood and was left out: %(line)s"),
                {"line": line.plain[:80]},
            )
        )
    return number, year, adopted_on, meeting


def _check_numbering(blocks: list[Block], strict: bool, warnings: list[Notice]) -> None:
    numbers = [b.number for b in blocks if b.kind == "operative"]
    problems = []
    if numbers and numbers[0] != 1:
        problems.append(
            (
                "numbering_start",
                _("Operative paragraphs must be numbered from 1, but the first is %(first)s."),
                {"first": numbers[0]},
            )
        )
    for previous, current in itertools.pairwise(numbers):
        if current == previous:
            problems.append(
                (
                    "numbering_duplicate",
                    _("Operative paragraph %(n)s appears twice."),
                    {"n": current},
                )
            )
        elif current != previous + 1:
            problems.append(
                (
                    "numbering_gap",
                    _(
                        "Operative paragraphs are not consecutive: %(previous)s is followed "
                        "by %(current)s."
                    ),
                    {"previous": previous, "current": current},
                )
            )
    if problems and strict:
        _code, template, params = problems[0]
        raise IntakeError("bad_numbering", template, **params)
    warnings.extend(Notice(code, template, params) for code, template, params in problems)


def _vocabulary(lines: list[str]) -> set[str]:
    return {word.lower() for line in lines for word in re.findall(r"[^\W\d_]{4,}", line)}


def _paragraph_text(block: Block, g: Grammar, vocabulary: set[str], raw: bool = False) -> str:
    return squeeze(_dehyphenate(join_lines(block.lines, g, raw=raw), vocabulary))


def _dehyphenate(text: str, vocabulary: set[str]) -> str:
    # A line-end hyphen is kept ("troop-contributing") unless the document also writes
    # the word whole, which shows it was only cut by the wrap ("implemen-tation").
    def whole(match: re.Match) -> str:
        joined = match[1] + match[2]
        return joined if joined.lower() in vocabulary and len(match[1]) > 1 else match[0]

    return re.sub(r"([^\W\d_]+)-([^\W\d_]+)", whole, text)


def _operative(
    block: Block, g: Grammar, vocabulary: set[str], warnings: list[Notice]
) -> OperativeParagraph:
    raw = _NUMBER_PREFIX.sub("", _paragraph_text(block, g, vocabulary, raw=True))
    text = squeeze(strip_markup(raw))
    lead_verb, category = _lead_verb(raw, text, g)
    if category == "other" and (not lead_verb or not g.lead_verb.fullmatch(fold(lead_verb))):
        warnings.append(
            Notice(
                "unknown_verb",
                _("Operative paragraph %(n)s opens with a verb not in the table: %(verb)s"),
                {"n": block.number, "verb": lead_verb or text[:20]},
            )
        )
    return OperativeParagraph(block.number, lead_verb, category, text)


def _lead_verb(raw: str, text: str, g: Grammar) -> tuple[str, str]:
    """The lead verb as written and its category. A phrase set in bold at the start is
    the lead verb (with what precedes it, as in 深为关切地**注意到**); otherwise the
    table's longest phrase the paragraph opens with; otherwise the first word."""
    bold = _BOLD_START.match(raw)
    if bold:
        phrase = (bold[1] + bold[2]).strip()
        known = g.lead_verb.fullmatch(fold(phrase))
        if known or not bold[1].strip():
            return phrase, g.category(known) if known else "other"
    match = g.lead_verb.match(fold(text))
    if match:
        return text[: match.end()].strip(), g.category(match)
    first = text.split()[0] if g.language.spaced and text else text[:2]
    return first.strip(",;:"), "other"


def _annex_text(lines: list, g: Grammar) -> str:
    parts: list[str] = []
    current: list = []
    for item in [*lines, None]:
        if item is None:
            if current:
                parts.append(join_lines([(line, False) for line in current], g))
            current = []
        elif current and (
            g.sub_paragraph.match(item.folded) or re.match(r"\d{1,3}\s*[.、]", item.folded)
        ):
            parts.append(join_lines([(line, False) for line in current], g))
            current = [item]
        else:
            current.append(item)
    return squeeze("\n".join(parts))


def _mandate(
    operative: tuple[OperativeParagraph, ...], g: Grammar, matcher: ActorMatcher
) -> tuple[str | None, dt.date | None]:
    for paragraph in operative:
        if paragraph.category != "decides":
            continue
        folded = fold(paragraph.text)
        for pattern in g.mandate_extension:
            match = pattern.search(folded)
            if not match:
                continue
            mentions = [m for m in matcher.find(match["mission"]) if m.code != "*generic*"]
            missions = [m for m in mentions if m.mission] or mentions
            if not missions:
                continue
            mission = missions[-1]
            return mission.acronym or mission.name, g.parse_date(match)
    return None, None


def find_references(texts: list[str], itself: tuple[int, int]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for text in texts:
        for match in _CITATION.finditer(fold(text)):
            number, year = int(match[1]), int(match[2])
            if (number, year) != itself and 1900 <= year <= 2100:
                found.setdefault(f"{number} ({year})")
    return tuple(found)
