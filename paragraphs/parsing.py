"""Parse the Chinese text of a Security Council resolution into its paragraphs.

Pure Python on purpose: the importer, the admin and the tests all call
`parse_resolution()` without a database. The input is the text as published
(or as pasted by an analyst), so it tolerates CRLF, a BOM, full-width spaces
and punctuation, page-break gaps and `**bold**` markup around lead verbs.
"""

import datetime
import itertools
import re
from dataclasses import dataclass

_PREAMBULAR = "preambular"
_OPERATIVE = "operative"

# Lead verb phrase -> category value (the values of paragraphs.enums.VerbCategory,
# spelled out here so this module stays free of Django). Lookup is by the longest
# phrase a paragraph starts with, so "强调指出" wins over "强调" and
# "深为关切地注意到" (notes) over "深为关切" (expresses concern).
VERB_CATEGORIES: dict[str, str] = {
    "决定": "decides",
    "还决定": "decides",
    "又决定": "decides",
    "请": "requests",
    "还请": "requests",
    "又请": "requests",
    "促请": "calls_upon",
    "还促请": "calls_upon",
    "吁请": "calls_upon",
    "呼吁": "calls_upon",
    "鼓励": "encourages",
    "还鼓励": "encourages",
    "敦促": "urges",
    "还敦促": "urges",
    "强烈敦促": "urges",
    "要求": "demands",
    "还要求": "demands",
    "重申": "reaffirms",
    "还重申": "reaffirms",
    "再次重申": "reaffirms",
    "强调": "stresses",
    "还强调": "stresses",
    "再次强调": "stresses",
    "强调指出": "stresses",
    "回顾": "recalls",
    "还回顾": "recalls",
    "特别回顾": "recalls",
    "谴责": "condemns",
    "还谴责": "condemns",
    "强烈谴责": "condemns",
    "最强烈地谴责": "condemns",
    "注意到": "notes",
    "还注意到": "notes",
    "表示注意到": "notes",
    "深为关切地注意到": "notes",
    "关切地注意到": "notes",
    "严重关切地注意到": "notes",
    "满意地注意到": "notes",
    "赞赏地注意到": "notes",
    "认识到": "recognizes",
    "还认识到": "recognizes",
    "确认": "recognizes",
    "还确认": "recognizes",
    "欢迎": "welcomes",
    "还欢迎": "welcomes",
    "欣见": "welcomes",
    "还欣见": "welcomes",
    "表示关切": "expresses_concern",
    "表示严重关切": "expresses_concern",
    "深为关切": "expresses_concern",
    "痛惜": "deplores",
    "申明": "affirms",
    "还申明": "affirms",
}
_OTHER = "other"

# Examples quoted in error messages, so the user sees what a good line looks like.
_HEADER_EXAMPLE = "第 2692(2023)号决议"
_ADOPTION_EXAMPLE = "2023 年 7 月 14 日 安全理事会第 9377 次会议通过"
_OPENING_EXAMPLE = "安全理事会，"

# \d and \s are Unicode-aware, so full-width digits and the ideographic space match too.
_YEAR_IN_PARENS = r"\s*[(（]\s*(\d{4})\s*[)）]"
_HEADER_RE = re.compile(r"第\s*(\d{1,4})" + _YEAR_IN_PARENS + r"\s*号\s*决议")
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MEETING_RE = re.compile(r"第\s*(\d+)\s*次\s*会议")
_OPENING_RE = re.compile(r"安全理事会\s*[，,：:]?")
_OPERATIVE_RE = re.compile(r"(\d{1,3})\s*[.．、]\s*(.*)")
# A resolution is cited as "2476(2019)"; the lookbehind keeps a longer number
# such as a document symbol's "S/2019/198" from being cut into a citation.
_CITATION_RE = re.compile(r"(?<!\d)(\d{3,4})" + _YEAR_IN_PARENS)
# The first bold phrase and whatever precedes it, as in 深为关切地**注意到**.
_FIRST_BOLD_RE = re.compile(r"([^*]*)\*+([^*]+?)\*+")
# A preambular line that does not end like this was cut by a page break.
_TERMINATORS = ("，", ",", "；", ";", "。", ".", ":", "：")


class ResolutionFormatError(ValueError):
    """The text is not a resolution in the expected layout; the message says what to fix."""


@dataclass(frozen=True)
class ParsedParagraph:
    kind: str
    position: int
    number: int | None
    text: str
    lead_verb: str
    verb_category: str
    cites: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ParsedResolution:
    number: int
    year: int
    adopted_on: datetime.date
    meeting_number: int
    paragraphs: tuple[ParsedParagraph, ...]

    @property
    def symbol(self) -> str:
        return f"S/RES/{self.number} ({self.year})"

    @property
    def preambular(self) -> tuple[ParsedParagraph, ...]:
        return tuple(p for p in self.paragraphs if p.kind == _PREAMBULAR)

    @property
    def operative(self) -> tuple[ParsedParagraph, ...]:
        return tuple(p for p in self.paragraphs if p.kind == _OPERATIVE)

    @property
    def cites(self) -> tuple[tuple[int, int], ...]:
        return tuple(dict.fromkeys(c for p in self.paragraphs for c in p.cites))


def parse_resolution(text: str) -> ParsedResolution:
    """Parse the Chinese text of one resolution.

    1. Normalise line endings, the BOM and surrounding whitespace; keep the non-blank lines.
    2. Read the front matter: header (number and year), adoption line (date and meeting),
       and the opening line 安全理事会.
    3. Split the rest at the first numbered line: preambular lines before it, operative after.
    4. Rejoin wrapped lines into paragraphs and check the operative numbering.
    5. Build each paragraph: clean text, lead verb and category, cited resolutions.

    Raises ResolutionFormatError with a message for the user when the layout is wrong.
    """
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ResolutionFormatError(
            "The text is empty: paste the Chinese text of a Security Council resolution."
        )

    number, year = _parse_header(lines[0])
    adopted_on, meeting_number = _parse_adoption(lines[1] if len(lines) > 1 else "", year)
    _check_opening(lines[2] if len(lines) > 2 else "")

    body = lines[3:]
    first_operative = next(
        (i for i, line in enumerate(body) if _OPERATIVE_RE.match(_strip_markup(line))),
        len(body),
    )
    preambular = _join_preambular(body[:first_operative])
    operative = _join_operative(body[first_operative:])

    itself = (number, year)
    paragraphs = [
        _build_paragraph(_PREAMBULAR, position, None, raw, itself)
        for position, raw in enumerate(preambular, start=1)
    ]
    paragraphs += [
        _build_paragraph(_OPERATIVE, op_number, op_number, raw, itself)
        for op_number, raw in operative
    ]
    return ParsedResolution(
        number=number,
        year=year,
        adopted_on=adopted_on,
        meeting_number=meeting_number,
        paragraphs=tuple(paragraphs),
    )


def _parse_header(line: str) -> tuple[int, int]:
    match = _HEADER_RE.fullmatch(_strip_markup(line))
    if match is None:
        raise ResolutionFormatError(
            f"Missing header: expected a line like '{_HEADER_EXAMPLE}' at the top of the file, "
            f"found '{_excerpt(line)}'."
        )
    return int(match[1]), int(match[2])


def _parse_adoption(line: str, year: int) -> tuple[datetime.date, int]:
    clean = _strip_markup(line)
    date_match = _DATE_RE.search(clean)
    meeting_match = _MEETING_RE.search(clean)
    if date_match is None and meeting_match is None:
        raise ResolutionFormatError(
            f"Missing adoption line: expected a line like '{_ADOPTION_EXAMPLE}' after the "
            f"header, found '{_excerpt(line)}'."
        )
    if date_match is None:
        raise ResolutionFormatError(
            f"The adoption line '{_excerpt(line)}' has no date like '2023 年 7 月 14 日'."
        )
    if meeting_match is None:
        raise ResolutionFormatError(
            f"The adoption line '{_excerpt(line)}' has no meeting number like '第 9377 次会议'."
        )
    try:
        adopted_on = datetime.date(*(int(part) for part in date_match.groups()))
    except ValueError:
        raise ResolutionFormatError(
            f"The adoption date '{date_match[0]}' is not a valid calendar date."
        ) from None
    # A resolution's symbol carries the year of its adoption, so a mismatch is a typo
    # in one of the two lines, and either would file the resolution wrongly.
    if adopted_on.year != year:
        raise ResolutionFormatError(
            f"The header gives the year {year} but the resolution was adopted on "
            f"{adopted_on.isoformat()}."
        )
    return adopted_on, int(meeting_match[1])


def _check_opening(line: str) -> None:
    if _OPENING_RE.fullmatch(_strip_markup(line)) is None:
        raise ResolutionFormatError(
            f"Missing opening line: expected '{_OPENING_EXAMPLE}' after the adoption line, "
            f"found '{_excerpt(line)}'."
        )


def _join_preambular(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    pending: list[str] = []
    for line in lines:
        pending.append(line)
        if _strip_markup(line).endswith(_TERMINATORS):
            paragraphs.append(_join_lines(pending))
            pending = []
    if pending:
        paragraphs.append(_join_lines(pending))
    return paragraphs


def _join_operative(lines: list[str]) -> list[tuple[int, str]]:
    """Group numbered lines with their continuation lines and check the numbering."""
    numbered: list[tuple[int, list[str]]] = []
    for line in lines:
        match = _OPERATIVE_RE.match(_strip_markup(line))
        if match:
            # Drop the number from the raw line but keep its markup for the lead verb.
            raw = _OPERATIVE_RE.match(line.lstrip("*"))
            numbered.append((int(match[1]), [raw[2] if raw else match[2]]))
        else:
            numbered[-1][1].append(line)

    if not numbered:
        raise ResolutionFormatError(
            "No operative paragraphs found: expected numbered paragraphs like "
            "'1. **决定**……' after the preamble."
        )
    numbers = [op_number for op_number, _ in numbered]
    if numbers[0] != 1:
        raise ResolutionFormatError(
            f"Operative paragraphs must be numbered from 1, but the first one is {numbers[0]}."
        )
    for previous, current in itertools.pairwise(numbers):
        if current == previous:
            raise ResolutionFormatError(f"Operative paragraph {current} appears twice.")
        if current != previous + 1:
            raise ResolutionFormatError(
                "Operative paragraphs are not numbered consecutively: "
                f"{previous} is followed by {current}."
            )

    paragraphs = [(op_number, _join_lines(parts)) for op_number, parts in numbered]
    for op_number, raw in paragraphs:
        if not _clean_text(raw):
            raise ResolutionFormatError(f"Operative paragraph {op_number} has no text.")
    return paragraphs


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines: Chinese runs on without a space, but two ASCII words keep one."""
    joined = lines[0]
    for line in lines[1:]:
        glue = " " if _is_ascii_word(_strip_markup(joined)[-1:] + _strip_markup(line)[:1]) else ""
        joined += glue + line
    return joined


def _is_ascii_word(chars: str) -> bool:
    return chars.isascii() and chars.isalnum()


def _build_paragraph(
    kind: str, position: int, number: int | None, raw: str, itself: tuple[int, int]
) -> ParsedParagraph:
    text = _clean_text(raw)
    lead_verb, category = _lead_verb(raw, text)
    cites = ((int(match[1]), int(match[2])) for match in _CITATION_RE.finditer(text))
    return ParsedParagraph(
        kind=kind,
        position=position,
        number=number,
        text=text,
        lead_verb=lead_verb,
        verb_category=category,
        cites=tuple(c for c in dict.fromkeys(cites) if c != itself),
    )


def _lead_verb(raw: str, text: str) -> tuple[str, str]:
    """The lead verb and its category, preferring the phrase the source marks in bold.

    A bold phrase that opens the paragraph is the lead verb as written, known or not.
    Words before it count only when together they make a known phrase
    (深为关切地**注意到**), so a word set in bold later in a sentence is not taken
    for the verb; the longest known phrase the text starts with is used instead.
    """
    bold = _FIRST_BOLD_RE.match(re.sub(r"\s+", "", raw))
    if bold and bold[2].isalpha():
        prefix, marked = bold[1], bold[2]
        if not prefix:
            return marked, VERB_CATEGORIES.get(marked, _OTHER)
        if prefix + marked in VERB_CATEGORIES:
            return prefix + marked, VERB_CATEGORIES[prefix + marked]
    matches = [phrase for phrase in VERB_CATEGORIES if text.startswith(phrase)]
    if not matches:
        return "", _OTHER
    lead_verb = max(matches, key=len)
    return lead_verb, VERB_CATEGORIES[lead_verb]


def _clean_text(raw: str) -> str:
    return re.sub(r"\s+", " ", _strip_markup(raw)).strip()


def _strip_markup(line: str) -> str:
    # Bold markers, and any stray single asterisk, are formatting and never text.
    return line.replace("*", "").strip()


def _excerpt(line: str) -> str:
    return line if len(line) <= 40 else line[:40] + "…"
