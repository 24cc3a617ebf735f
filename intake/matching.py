"""Find the actors a text names: the alias table, named patterns and the document's own.

`ActorMatcher(language, text)` learns what one resolution adds to the table: acronyms it
defines ("the United Nations Transition Assistance Mission in Veloria (UNTAMV)"), and its
host country (the country most named with its government or authorities, or a known
mission's host). `find(folded)` then lists the mentions in a piece of that text.
"""

import functools
import re
from collections import Counter
from dataclasses import dataclass

from intake.actors import (
    ACTORS,
    ACTORS_BY_CODE,
    COMMITTEE,
    COMMITTEE_BARE,
    COUNTRIES,
    PANEL,
    Country,
)
from intake.languages.grammar import grammar
from intake.text import fold, slug

GENERIC = "*generic*"  # "other relevant entities": glue between addressees, never an actor
_CJK_LEAD_IN = re.compile(
    r"^(?:支持|协助|帮助|请|鼓励|敦促|促请|吁请|要求|与|同|向|和|及|以及|为|对|在|使|让|并|还|的|由|以|"
    r"包括|呼吁|欢迎|确认|强调|重申|注意到|认识到|根据|应|同)+"
)
_LOCAL_SPACED = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]*|of|for|in|on|the|and|de|des|du|la|le|en|pour|au|aux|d'[\w-]+|"
    r"l'[\w-]+)(?:\s+(?:[A-Z][\w'’-]*|of|for|in|on|the|and|de|des|du|la|le|en|pour|au|aux|"
    r"d'[\w-]+|l'[\w-]+)){1,14})\s*\((?P<acr>[A-Z][A-Za-z0-9-]{1,9})\)"
)
_LOCAL_CJK = re.compile(r"(?P<name>联合国[\u4e00-\u9fff]{2,30}?)\((?P<acr>[\u4e00-\u9fff]{2,8})\)")
_LEADING_SMALL = re.compile(r"^(?:(?:of|for|in|on|the|and|de|des|du|la|le|en|pour|au|aux)\s+)+")
_MISSION_WORDS = re.compile(r"Mission|Office|Force|Bureau|特派团|办事处|援助团|支助团|部队|综合办")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str
    name: str
    new: bool = False
    mission: bool = False
    acronym: str | None = None


@dataclass(frozen=True)
class _Local:
    code: str
    name: str
    acronym: str
    mission: bool
    pattern: re.Pattern


@functools.cache
def _alias_pattern(language: str) -> tuple[re.Pattern, tuple[str, ...]]:
    spaced = grammar(language).language.spaced
    alternatives, codes = [], []
    for actor in ACTORS:
        for alias in actor.aliases.get(language, ()):
            codes.append(actor.code)
            body = alias if not spaced else rf"\b(?:{alias})\b"
            alternatives.append((len(alias), f"(?P<a{len(codes) - 1}>{body})"))
    alternatives.sort(key=lambda pair: pair[0], reverse=True)
    flags = re.IGNORECASE if spaced else 0
    return re.compile("|".join(a for _, a in alternatives), flags), tuple(codes)


def _country_by_name(language: str, words: str) -> Country | None:
    key = fold(words).lower().strip()
    for country in COUNTRIES:
        names = (*country.names.get(language, ()), *country.names.get("en", ()))
        if any(fold(name).lower() == key for name in names):
            return country
    return None


def _country_by_adjective(language: str, adjective: str) -> Country | None:
    key = fold(adjective).lower()
    for country in COUNTRIES:
        if any(fold(a).lower() == key for a in country.adjectives.get(language, ())):
            return country
    return None


def _stem(word: str) -> str:
    return slug(word).replace("-", "")[:5]


class ActorMatcher:
    def __init__(self, language: str, text: str):
        self.language = language
        self.g = grammar(language)
        folded = fold(text)
        self.document = folded
        committee = re.compile(COMMITTEE[language], re.IGNORECASE)
        self.committees = list(dict.fromkeys(m["res"] for m in committee.finditer(folded)))
        self.locals = self._learn_locals(folded)
        self.countries: dict[str, Country] = {}
        self.host = self._find_host(folded)

    # -- What the document adds ------------------------------------------------------

    def _learn_locals(self, folded: str) -> list[_Local]:
        pattern = _LOCAL_SPACED if self.g.language.spaced else _LOCAL_CJK
        aliases, _codes = _alias_pattern(self.language)
        found: dict[str, _Local] = {}
        for match in pattern.finditer(folded):
            name = _LEADING_SMALL.sub("", match["name"]).strip()
            acronym = match["acr"]
            if len(name.split()) < 2 and self.g.language.spaced:
                continue
            if aliases.fullmatch(name) or aliases.fullmatch(acronym) or acronym in found:
                continue
            words = [re.escape(name), re.escape(acronym)]
            body = "|".join(words)
            if self.g.language.spaced:
                body = rf"\b(?:{body})\b"
            found[acronym] = _Local(
                code=slug(acronym),
                name=name,
                acronym=acronym,
                mission=bool(_MISSION_WORDS.search(name)),
                pattern=re.compile(body),
            )
        return list(found.values())

    def _find_host(self, folded: str) -> Country | None:
        votes: Counter = Counter()
        for mention in self._governments(folded, host_only=False):
            country = self.countries.get(mention.code)
            if country:
                votes[country.code] += 1
        aliases, codes = _alias_pattern(self.language)
        for match in aliases.finditer(folded):
            actor = ACTORS_BY_CODE[codes[int(match.lastgroup[1:])]]
            if actor.mission and actor.country:
                country = next(c for c in COUNTRIES if c.code == actor.country)
                self.countries[f"government-of-{country.code}"] = country
                votes[country.code] += 2
        if not votes:
            return None
        code = votes.most_common(1)[0][0]
        return next(c for c in self.countries.values() if c.code == code)

    def _country(self, words: str) -> Country | None:
        """A country named by `words`: the table's, one already seen, or a new one."""
        return self._country_at(words)[0]

    def _country_at(self, words: str) -> tuple[Country | None, int]:
        """The country and where its name starts in `words` (Chinese runs the words
        before it on: "以支持海地当局")."""
        words = words.strip()
        if not self.g.language.spaced:
            for country in COUNTRIES:
                for name in country.names.get("zh", ()):
                    if words.endswith(name):
                        return country, len(words) - len(name)
            name = _CJK_LEAD_IN.sub("", words)
            # A name the table does not know must recur in the resolution.
            if not 2 <= len(name) <= 6 or self.document.count(name) < 3:
                return None, 0
            offset = len(words) - len(name)
            seen = next((c for c in self.countries.values() if name in c.names.get("zh", ())), None)
            return seen or Country(slug(name), name, {"zh": (name,)}), offset
        return self._spaced_country(words), 0

    def _spaced_country(self, words: str) -> Country | None:
        known = _country_by_name(self.language, words)
        if known:
            return known
        for country in self.countries.values():
            if words in country.names.get(self.language, ()):
                return country
        if self.g.language.spaced and (not words[:1].isupper() or len(words) > 60):
            return None
        return Country(slug(words), words, {self.language: (words,)})

    def _government(self, country: Country, start: int, end: int) -> Mention:
        code = f"government-of-{country.code}"
        self.countries.setdefault(code, country)
        known = any(c.code == country.code for c in COUNTRIES)
        return Mention(start, end, code, f"Government of {country.en}", new=not known)

    def _governments(self, folded: str, host_only: bool = True):
        for pattern in self.g.government:
            for match in pattern.finditer(folded):
                groups = match.groupdict()
                country, start = None, match.start()
                if groups.get("country"):
                    country, offset = self._country_at(groups["country"])
                    if not self.g.language.spaced:
                        start = match.start("country") + offset
                elif groups.get("adj"):
                    country = _country_by_adjective(self.language, groups["adj"])
                    if country is None:
                        stem = _stem(groups["adj"])
                        country = next(
                            (c for c in self.countries.values() if _stem(c.en) == stem), None
                        )
                if country is not None:
                    yield self._government(country, start, match.end())
                elif not self.g.language.spaced and host_only and self.host is not None:
                    # "协助当局": the authorities, unnamed, are the host country's.
                    start = match.end() - 2
                    yield self._government(self.host, start, match.end())

    # -- Mentions in a piece of text -------------------------------------------------

    def find(self, folded: str) -> list[Mention]:
        """Every actor named in `folded`, left to right, the longest where two overlap."""
        candidates: list[Mention] = []
        aliases, codes = _alias_pattern(self.language)
        for match in aliases.finditer(folded):
            actor = ACTORS_BY_CODE[codes[int(match.lastgroup[1:])]]
            candidates.append(
                Mention(
                    *match.span(),
                    actor.code,
                    actor.en,
                    mission=actor.mission,
                    acronym=actor.acronym,
                )
            )
        for local in self.locals:
            for match in local.pattern.finditer(folded):
                candidates.append(
                    Mention(
                        *match.span(),
                        local.code,
                        local.name,
                        new=True,
                        mission=local.mission,
                        acronym=local.acronym,
                    )
                )
        committees = []
        committee = re.compile(COMMITTEE[self.language], re.IGNORECASE)
        for match in committee.finditer(folded):
            code = f"sanctions-committee-{match['res']}"
            committees.append((match.start(), match["res"]))
            known = ACTORS_BY_CODE.get(code)
            name = (
                known.en
                if known
                else "Security Council Committee established pursuant to resolution "
                f"{match['res']} ({match['year']})"
            )
            candidates.append(Mention(*match.span(), code, name, new=known is None))
        if len(self.committees) == 1:
            res = self.committees[0]
            code = f"sanctions-committee-{res}"
            known = ACTORS_BY_CODE.get(code)
            for match in re.finditer(COMMITTEE_BARE[self.language], folded):
                name = known.en if known else f"Security Council Committee (resolution {res})"
                candidates.append(Mention(*match.span(), code, name, new=known is None))
        for match in re.finditer(PANEL[self.language], folded, re.IGNORECASE):
            before = [res for start, res in committees if start < match.start()]
            res = before[-1] if before else (self.committees[-1] if self.committees else None)
            code = f"panel-of-experts-{res}" if res else "panel-of-experts"
            known = ACTORS_BY_CODE.get(code)
            name = known.en if known else f"Panel of Experts (resolution {res or '?'})"
            candidates.append(Mention(*match.span(), code, name, new=known is None))
        candidates.extend(self._governments(folded))
        for match in self.g.authorities.finditer(folded):
            if self.host is not None and self.g.language.spaced:
                candidates.append(self._government(self.host, *match.span()))
        for match in self.g.consultation.finditer(folded):
            country = self._country(match["country"])
            if country is not None and (
                any(c.code == country.code for c in COUNTRIES)
                or (self.host is not None and country.code == self.host.code)
            ):
                candidates.append(self._government(country, *match.span("country")))
        for match in self.g.stakeholders.finditer(folded):
            candidates.append(self._stakeholders(match))
        for match in self.g.generic_addressees.finditer(folded):
            candidates.append(Mention(*match.span(), GENERIC, match[0]))
        return _without_overlaps(candidates)

    def _stakeholders(self, match: re.Match) -> Mention:
        words, start = match["adj"], match.start()
        if self.g.language.spaced:
            country = _country_by_adjective(self.language, words)
        else:
            country, offset = self._country_at(words)
            start = match.start("adj") + offset
        if country is not None and country.adjectives.get("en"):
            adjective = country.adjectives["en"][0]
            new = False
        else:
            adjective = country.en if country else words
            new = True
        code = f"{slug(adjective)}-stakeholders"
        return Mention(start, match.end(), code, f"{adjective} stakeholders", new=new)


def _without_overlaps(candidates: list[Mention]) -> list[Mention]:
    chosen: list[Mention] = []
    for mention in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)
