"""A language table compiled into the patterns the readers and proposers use.

Compiled once per language (`grammar(code)`); the tables stay plain words.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass

from intake.languages import LANGUAGES, Language


def _alternation(words) -> str:
    # Longest first, so "Calls upon" is tried before "Calls" and "强调指出" before "强调".
    return "|".join(sorted(words, key=len, reverse=True))


def _escape_phrase(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in phrase.split())


@dataclass(frozen=True)
class Grammar:
    language: Language
    heading: re.Pattern
    adoption: re.Pattern
    opening: re.Pattern
    date: re.Pattern
    masthead: re.Pattern
    furniture: re.Pattern
    annex: re.Pattern
    preambular: re.Pattern
    lead_verb: re.Pattern
    secondary_verb: re.Pattern
    verb_categories: tuple[str, ...]  # by group index vN of lead_verb
    sub_paragraph: re.Pattern
    number: str  # pattern source, for the time expressions
    within: tuple[re.Pattern, ...]
    after_event: re.Pattern
    by_date: tuple[re.Pattern, ...]
    every: tuple[re.Pattern, ...]
    frequency: re.Pattern
    thereafter: re.Pattern
    until_expiry: re.Pattern
    until_date: re.Pattern
    regular_reports: tuple[re.Pattern, ...]
    same_cycle: tuple[re.Pattern, ...]
    mandate_extension: tuple[re.Pattern, ...]
    reporting_requirement: re.Pattern
    need: tuple[re.Pattern, ...]
    no_ask: tuple[re.Pattern, ...]
    report: re.Pattern
    report_split: re.Pattern
    standing: re.Pattern
    generic_addressees: re.Pattern
    addressee_glue: re.Pattern
    pronoun: re.Pattern
    object_start: re.Pattern | None
    government: tuple[re.Pattern, ...]
    authorities: re.Pattern
    consultation: re.Pattern
    stakeholders: re.Pattern
    head_nouns: re.Pattern

    def category(self, match: re.Match) -> str:
        index = int(match.lastgroup[1:]) if match.lastgroup else -1
        return self.verb_categories[index] if index >= 0 else "other"

    def parse_date(self, match: re.Match) -> dt.date | None:
        """The date matched by a pattern built with {date}; None when not a real date."""
        month = match["month"]
        month_number = int(month) if month.isdigit() else self.language.months.get(month.lower())
        try:
            return dt.date(int(match["year"]), month_number, int(match["day"]))
        except (TypeError, ValueError):
            return None

    def parse_number(self, words: str) -> int | None:
        """Digits or written words ("thirty", "quatre-vingt-dix", "一百二十") as an integer."""
        words = words.strip()
        if words.isdigit():
            return int(words)
        table, multipliers = self.language.numbers, self.language.multipliers
        if not self.language.spaced:
            # Positional: 一百二十 is 1x100 + 2x10; a leading 十 is ten.
            total, digit = 0, None
            for char in words:
                if char in multipliers:
                    total += (1 if digit is None else digit) * multipliers[char]
                    digit = None
                elif char in table:
                    digit = table[char]
                else:
                    return None
            return total + (digit or 0)
        tokens = re.findall(_alternation([*table, *multipliers]), words.lower())
        if not tokens:
            return None
        current = 0
        for token in tokens:
            if token in multipliers:
                current = (current or 1) * multipliers[token]
            else:
                current += table[token]
        return current


def _build(language: Language) -> Grammar:
    flags = re.IGNORECASE if language.spaced else 0
    boundary = r"\b" if language.spaced else ""
    months = _alternation(language.months) or r"\d{1,2}"
    date = language.date.replace("{months}", months)
    number_words = _alternation([re.escape(w) for w in (*language.numbers, *language.multipliers)])
    if language.spaced:
        number = rf"\d+|(?:{number_words})(?:[\s-]+(?:and[\s-]+|et[\s-]+)?(?:{number_words}))*"
    else:
        number = rf"\d+|[{''.join(language.numbers)}{''.join(language.multipliers)}]+"
    unit = _alternation([re.escape(u) for u in language.units])

    def expand(pattern: str) -> str:
        return (
            pattern.replace("{date}", date)
            .replace("{num}", number)
            .replace("{unit}", unit + (r"\b" if language.spaced else ""))
        )

    def compile_all(patterns, extra=0) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(expand(p), flags | extra) for p in patterns)

    verbs = list(language.verbs.items())
    order = sorted(range(len(verbs)), key=lambda i: len(verbs[i][0]), reverse=True)
    verb_groups = "|".join(f"(?P<v{i}>{verbs[i][0]})" for i in order)
    prefixes = _alternation([_escape_phrase(p) for p in language.verb_prefixes])
    suffixes = _alternation([_escape_phrase(s) for s in language.verb_suffixes])
    space = r"\s+" if language.spaced else r"\s*"
    lead = (
        (rf"(?:(?:{prefixes}){space})*" if prefixes else "")
        + rf"(?:{verb_groups}){boundary}"
        + (rf"(?:\s+(?:{suffixes})\b)?" if suffixes else "")
    )
    preambular_prefixes = _alternation([_escape_phrase(p) for p in language.preambular_prefixes])
    preambular = (
        rf"(?:(?:{preambular_prefixes}){space})*" if preambular_prefixes else ""
    ) + rf"(?:{_alternation([_escape_phrase(p) for p in language.preambular])}){boundary}"
    frequency = _alternation([_escape_phrase(f) for f in language.frequencies])
    masthead = "|".join(language.masthead)
    return Grammar(
        language=language,
        heading=re.compile(language.heading, re.IGNORECASE),
        adoption=re.compile(expand(language.adoption), re.IGNORECASE),
        opening=re.compile(language.opening, re.IGNORECASE),
        date=re.compile(date, flags),
        masthead=re.compile(masthead, re.IGNORECASE),
        furniture=re.compile("|".join(language.furniture), re.IGNORECASE),
        annex=re.compile(language.annex + r"\s*[:.]?", re.IGNORECASE),
        # Matched without case ("Further recalling"); the readers check that a paragraph
        # opens with a capital, which is what marks a paragraph's first word.
        preambular=re.compile(preambular, flags),
        lead_verb=re.compile(lead, flags),
        secondary_verb=re.compile(
            language.clause_link + lead, re.IGNORECASE if language.spaced else 0
        ),
        verb_categories=tuple(category for _, category in verbs),
        sub_paragraph=re.compile(language.sub_paragraph),
        number=number,
        within=compile_all(language.within),
        after_event=re.compile(language.after_event, flags),
        by_date=compile_all(language.by_date),
        every=compile_all(language.every),
        frequency=re.compile(rf"{boundary}(?:{frequency}){boundary}", flags),
        thereafter=re.compile(language.thereafter, flags),
        until_expiry=re.compile(language.until_expiry, flags),
        until_date=re.compile(expand(language.until_date), flags),
        regular_reports=compile_all(language.regular_reports),
        same_cycle=compile_all(language.same_cycle),
        mandate_extension=compile_all(language.mandate_extension),
        reporting_requirement=re.compile(language.reporting_requirement, flags),
        need=compile_all(language.need),
        no_ask=compile_all(language.no_ask),
        report=re.compile(language.report, flags),
        report_split=re.compile(language.report_split, flags),
        standing=re.compile(language.standing, flags),
        generic_addressees=re.compile("|".join(language.generic_addressees), flags),
        addressee_glue=re.compile(language.addressee_glue, flags),
        pronoun=re.compile(language.pronoun, flags),
        object_start=re.compile(language.object_start, flags) if language.object_start else None,
        government=tuple(re.compile(p) for p in language.government),
        authorities=re.compile(language.authorities, flags),
        consultation=re.compile(language.consultation),
        stakeholders=re.compile(language.stakeholders),
        head_nouns=re.compile(
            rf"(?:{_alternation([re.escape(n) for n in language.head_nouns])}){boundary}"
        ),
    )


@functools.cache
def grammar(code: str) -> Grammar:
    return _build(LANGUAGES[code])
