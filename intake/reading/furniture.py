"""Page furniture: what the printed page adds around the resolution's text.

Mastheads ("United Nations  S/RES/2692 (2023)", "Security Council  Distr.: General
14 July 2023"), job numbers ("23-13843 (E)"), bar codes ("*2313843*"), page numbers ("2/5",
"Page 2"), running headers (the symbol alone on a line), "Please recycle", footnote lines
at a page's foot and their markers in the text. A line is furniture when nothing but such
pieces is left on it; a date counts only beside another piece, since "14 July 2023," can
be a wrapped line of text.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from intake.languages import LANGUAGES
from intake.languages.grammar import grammar
from intake.reading.sources import PAGE_BREAK
from intake.text import SUPERSCRIPTS, fold

_SYMBOL = r"S/RES/\d+\s*\(\s*\d{4}\s*\)"
_PIECES = {
    "masthead": None,  # the languages' names of the UN and the Council, filled below
    "running_header": _SYMBOL,
    "masthead_distribution": (
        r"Distr\.?\s*:?\s*(?:General|G[ée]n[ée]rale|Limited|Limit[ée]e|Restricted)"
    ),
    "job_number": r"\b\d{2}-\d{5}\b(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}",
    "bar_code": r"\*\d{6,9}\*",
    "page_number": (
        r"\b\d{1,3}\s*/\s*\d{1,3}\b|\bPage\s+\d+(?:\s+(?:of|sur)\s+\d+)?|第\s*\d+\s*页|"
        r"-\s*\d{1,3}\s*-"
    ),
    "recycle": None,  # "Please recycle" and its translations, filled below
}
_REPORTED = {"masthead_distribution": "masthead"}
_LEFTOVER = re.compile(r"[\s.:;|•·–_-]*")
_BARE_PAGE = re.compile(r"\d{1,3}")
_FOOTNOTE = re.compile(
    r"(?P<mark>[" + SUPERSCRIPTS + r"]+|\d{1,2}|\*{1,3})\s+"
    r"(?=(?:[SAE]/\d|[SAE]/[A-Z]|See\b|Voir\b|见|参看|Official\s+Records|Documents\s+officiels|"
    r"《|https?:|Resolution|Résolution|第))"
)
_SUPERSCRIPT_RUN = re.compile("[" + SUPERSCRIPTS + "]+")


def _pieces() -> list[tuple[str, re.Pattern]]:
    names, recycle, dates = [], [], []
    for code in LANGUAGES:
        g = grammar(code)
        names.append(g.masthead.pattern)
        recycle.append(g.furniture.pattern)
        dates.append(g.date.pattern)
    patterns = dict(_PIECES, masthead="|".join(names), recycle="|".join(recycle))
    compiled = [(kind, re.compile(p, re.IGNORECASE)) for kind, p in patterns.items()]
    # Dates are removed last and only count beside another piece.
    compiled.append(
        ("date", re.compile("|".join(f"(?:{d})" for d in _rename(dates)), re.IGNORECASE))
    )
    return compiled


def _rename(patterns: list[str]) -> list[str]:
    # The same group names in several alternatives are not allowed: number them.
    return [re.sub(r"\(\?P<(\w+)>", rf"(?P<\1_{i}>", p) for i, p in enumerate(patterns)]


_COMPILED = _pieces()
_OPENINGS = [grammar(code).opening for code in LANGUAGES]


@dataclass
class Cleaned:
    lines: list[str]  # "" where a blank line or furniture was: a gap
    removed: Counter = field(default_factory=Counter)
    symbols: list[str] = field(default_factory=list)


def furniture_kinds(line: str) -> list[str] | None:
    """The kinds of furniture a line is made of, or None when it is text."""
    folded = fold(line).strip()
    if not folded or any(p.fullmatch(folded) for p in _OPENINGS):
        return None
    if _BARE_PAGE.fullmatch(folded):
        return ["page_number"]
    kinds, rest = [], folded
    for kind, pattern in _COMPILED:
        rest, count = pattern.subn(" ", rest)
        if count:
            kinds.append(kind)
    if not kinds or kinds == ["date"] or not _LEFTOVER.fullmatch(rest):
        return None
    reported = {_REPORTED.get(k, k) for k in kinds} - {"date"}
    if "masthead" in reported:
        reported.discard("running_header")  # the symbol printed in the masthead
    return sorted(reported)


def remove_furniture(text: str) -> Cleaned:
    """Replace furniture lines and footnotes with gaps; drop footnote markers.

    1. Classify each line; furniture lines and page breaks become gaps.
    2. A run of footnote lines just above a gap that was furniture or a page break (the
       foot of a page), or at the end, is removed, and so is the marker each one left in
       the text above it ("(2019),1" or a superscript).
    """
    cleaned = Cleaned(lines=[])
    page_foot: list[int] = []  # indexes of lines where a page's foot ends
    for raw in text.replace(PAGE_BREAK, "\n" + PAGE_BREAK + "\n").split("\n"):
        line = raw.rstrip()
        if line == PAGE_BREAK:
            page_foot.append(len(cleaned.lines))
            cleaned.lines.append("")
            continue
        kinds = furniture_kinds(line)
        if kinds is None:
            cleaned.lines.append(line)
            continue
        for kind in kinds:
            cleaned.removed[kind] += 1
        symbol = re.search(_SYMBOL, fold(line))
        if symbol:
            cleaned.symbols.append(symbol[0])
        page_foot.append(len(cleaned.lines))
        cleaned.lines.append("")
    page_foot.append(len(cleaned.lines))
    _remove_footnotes(cleaned, page_foot)
    return cleaned


def _remove_footnotes(cleaned: Cleaned, page_foot: list[int]) -> None:
    lines = cleaned.lines
    for foot in sorted(set(page_foot)):
        # Walk up from the foot over blank lines and the footnote block.
        end = foot
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        start = end
        footnote_starts = []
        while start > 0 and lines[start - 1].strip() and end - start < 8:
            candidate = fold(lines[start - 1]).strip()
            if _FOOTNOTE.match(candidate):
                footnote_starts.append(start - 1)
            start -= 1
            if footnote_starts and footnote_starts[-1] == start:
                # Keep going only while the block above is still footnotes.
                above = lines[start - 1] if start > 0 else ""
                if not _FOOTNOTE.match(fold(above).strip()):
                    break
        if not footnote_starts:
            continue
        first = min(footnote_starts)
        marks = []
        for index in range(first, end):
            match = _FOOTNOTE.match(fold(lines[index]).strip())
            if match:
                marks.append(match["mark"])
            lines[index] = ""
            cleaned.removed["footnote"] += 1 if match else 0
        for mark in marks:
            _remove_marker(lines, first, mark, cleaned)
    for index, line in enumerate(lines):
        stripped, count = _SUPERSCRIPT_RUN.subn("", line)
        if count:
            lines[index] = stripped
            cleaned.removed["footnote_marker"] += count


def _remove_marker(lines: list[str], before: int, mark: str, cleaned: Cleaned) -> None:
    if not mark.isdigit():
        return  # a superscript marker is removed with all the others
    glued = re.compile(
        r"(?<=[^\W\d_]|[)\]\"'.,;:，。；：”’])" + re.escape(mark) + r"(?=[\s,.;:，。；：)]|$)"
    )
    for index in range(before - 1, max(-1, before - 80), -1):
        matches = list(glued.finditer(lines[index]))
        if matches:
            last = matches[-1]
            lines[index] = lines[index][: last.start()] + lines[index][last.end() :]
            cleaned.removed["footnote_marker"] += 1
            return
