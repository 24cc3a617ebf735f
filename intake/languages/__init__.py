"""Everything language-specific the intake knows, one table per language.

A table (`Language`) holds words and small patterns only: the parsing and proposing code
never names a word of its own. Adding Spanish, Russian or Arabic is writing `es.py`,
`ru.py` or `ar.py` in this shape and listing it in `LANGUAGES`.

Patterns are regular expressions matched against the *folded* text (`intake.text.fold`):
full-width digits and punctuation are ASCII there, so `,` also matches the full-width
comma and `(` the full-width parenthesis. Placeholders in braces are filled by
`intake.languages.grammar`: `{date}` (a date in
the language, groups day/month/year), `{num}` (a number in digits or words, group n) and
`{unit}` (a unit of time, group unit).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    # Words are separated by spaces: rejoined lines take one, and phrases match on word
    # boundaries. Chinese runs on.
    spaced: bool
    # Characters typical of the language, used to detect it (with `markers`).
    markers: tuple[str, ...]

    # -- Front matter ----------------------------------------------------------------
    heading: str  # "Resolution 2692 (2023)": groups number, year
    adoption: str  # "Adopted by ... at its 9377th meeting, on {date}": group meeting
    opening: str  # "The Security Council,"
    months: dict[str, int]
    date: str  # groups day, month (a name from `months`, or digits), year

    # -- Page furniture --------------------------------------------------------------
    masthead: tuple[str, ...]  # names printed in the masthead: "United Nations", ...
    furniture: tuple[str, ...]  # whole lines that are never text: "Please recycle", "Page 2"
    annex: str  # a heading line opening an annex

    # -- Paragraphs ------------------------------------------------------------------
    preambular: tuple[str, ...]  # words opening a preambular paragraph ("Recalling")
    preambular_prefixes: tuple[str, ...]  # adverbs that may come first ("Further", "还")
    verbs: dict[str, str]  # operative lead verb pattern -> VerbCategory value
    verb_prefixes: tuple[str, ...]  # "Further", "Also", "还", "强烈"
    verb_suffixes: tuple[str, ...]  # "further" in "Requests further", "en outre"
    # What may stand before a second lead verb inside a paragraph ("..., and further
    # requests"); the verb itself is matched from `verbs`, without its capital.
    clause_link: str
    sub_paragraph: str  # "(a)", "(i)", "(一)" at a line start

    # -- Who is asked ----------------------------------------------------------------
    # Between two addressees of one verb ("Member States, including States of the region").
    addressee_glue: str
    pronoun: str  # "him", "le", "其": the addressee of the clause before
    object_start: str  # "to", "de": where what is asked begins after the addressees
    need: tuple[str, ...]  # "the need for {who} to": a statement that still asks (group who)
    no_ask: tuple[str, ...]  # "remain seized", "intends to": asks nothing of anyone
    report: str  # reporting is what is asked ("to report", "提交…报告")
    report_split: str  # "and to" before a report that follows another request
    standing: str  # "to continue", "throughout its mandate"
    generic_addressees: tuple[str, ...]  # "other relevant entities": not an actor
    government: tuple[str, ...]  # groups country or adj
    authorities: str  # "the authorities" of the host country, unnamed
    consultation: str  # "in consultation with {country}": group country
    stakeholders: str  # "all Haitian stakeholders": group adj
    head_nouns: tuple[str, ...]  # last word of a name that is an actor ("Office", "政府")

    # -- Deadlines -------------------------------------------------------------------
    numbers: dict[str, int]  # written numbers; compounds are added up ("forty-five")
    units: dict[str, str]  # word -> days | weeks | months | years
    frequencies: dict[str, tuple[int, str]]  # "quarterly" -> (3, "months")
    within: tuple[str, ...]  # groups n, unit
    after_event: str  # right after "within N days": counted from an event, not adoption
    by_date: tuple[str, ...]  # "no later than {date}"
    every: tuple[str, ...]  # "every {num} {unit}" (group n optional: "every month")
    thereafter: str
    until_expiry: str
    until_date: str
    regular_reports: tuple[str, ...]
    same_cycle: tuple[str, ...]  # group target: "on the same cycle as {target}"
    mandate_extension: tuple[str, ...]  # groups mission, date
    reporting_requirement: str

    # Words before a number in the written-number grammar that multiply ("hundred").
    multipliers: dict[str, int] = field(default_factory=dict)


def _load() -> dict[str, Language]:
    from intake.languages import en, fr, zh

    return {language.code: language for language in (en.LANGUAGE, fr.LANGUAGE, zh.LANGUAGE)}


LANGUAGES: dict[str, Language] = _load()
