"""Propose, for each operative paragraph, what it asks of whom and by when.

    propose(reading) -> Reading  (the same reading, each operative paragraph's
                                  `proposals` filled)

The rules (the words themselves are in the language tables):

1. A paragraph is cut into asks at each lead verb: its own, and any later one after a
   comma, semicolon or "and" ("..., and further requests UNODC to ..."; "此外还请…").
2. An ask that requests, calls upon, encourages, urges or demands asks something of the
   actors named right after its verb (the owners, "Member States, including States of
   the region"); other actors named in it ("in cooperation with UNODC", "与海地协商") are
   contributors. "him", "le", "其" stand for the owners of the ask before.
3. A statement (reaffirms, stresses, notes, welcomes, expresses concern, ...) asks
   nothing, unless it states a need of someone ("reaffirms the need for all Haitian
   stakeholders to ..."): then that someone is asked. "intends to consider", "remains
   seized" ask nothing.
4. "Decides to extend the mandate of X until D" proposes: X's standing mandate, the
   Council's decision due on D (mandate_expiry), and, if the reporting requirement is
   extended with it, the Secretary-General's report on the resolution's regular cycle.
   Another "decides" naming actors asks them (action); one naming none but a deadline
   is the Council's own decision.
5. Kind: report when what is asked is a report ("to report", "提交…报告", "rendre
   compte"); when a report follows another request ("to support ..., and to report on
   progress in his regular reports") they are two proposals, action and report, and the
   deadline goes with the report. Standing when the ask is to continue or holds
   throughout the mandate and has no deadline. Action otherwise.
6. Deadlines come only from the words of the ask (intake.proposals.deadlines); none
   are invented. Aligned schedules take the dates of the one they follow: the one named
   ("on the same cycle as BINUH") or the Secretary-General's regular reporting; when the
   resolution does not set that cycle, the ask's own cycle is used, or the dates stay
   empty with a warning.
"""

import dataclasses
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from intake.errors import Notice
from intake.languages.grammar import Grammar, grammar
from intake.matching import GENERIC, ActorMatcher, Mention
from intake.model import Addressee, OperativeParagraph, Proposal, Reading, Schedule
from intake.proposals import deadlines
from intake.text import fold, slug

ASKING = {"requests", "calls_upon", "encourages", "urges", "demands"}
COUNCIL = "security-council"
SG = "secretary-general"


@dataclass
class Ask:
    start: int
    verb_end: int
    end: int
    category: str


@dataclass
class Draft:
    paragraph: int
    owners: list[Mention]
    contributors: list[Mention]
    kind: str
    span: tuple[int, int]
    spec: deadlines.Spec | None = None
    key: str = ""
    schedule: Schedule | None = None
    notes: list[Notice] = field(default_factory=list)


def propose(reading: Reading) -> Reading:
    """The reading with each operative paragraph's proposals.

    1. Cut each paragraph into asks and draft the proposals of each (addressees, kind,
       the schedule its words set).
    2. Date every schedule that does not follow another one.
    3. Date the aligned ones from the schedule they follow.
    """
    g = grammar(reading.language)
    matcher = ActorMatcher(
        reading.language, "\n".join(p.text for p in (*reading.preambular, *reading.operative))
    )
    drafts: dict[int, list[Draft]] = {}
    for paragraph in reading.operative:
        drafts[paragraph.number] = _paragraph_drafts(paragraph, g, matcher, reading)
    every = [d for ds in drafts.values() for d in ds]
    _name(every)
    warnings = list(reading.warnings)
    for draft in every:
        if draft.spec and draft.spec.kind != "aligned":
            draft.schedule = _dated(draft.spec, reading, warnings, draft.paragraph)
    # Those naming what they follow first: the resolution's regular cycle may be one.
    aligned = [d for d in every if d.spec and d.spec.kind == "aligned"]
    for draft in sorted(aligned, key=lambda d: d.spec.target_words is None):
        draft.schedule = _aligned(draft, every, matcher, reading, warnings)
    operative = tuple(
        dataclasses.replace(
            paragraph,
            proposals=tuple(_proposal(d, paragraph.text) for d in drafts[paragraph.number]),
        )
        for paragraph in reading.operative
    )
    return dataclasses.replace(reading, operative=operative, warnings=tuple(warnings))


# -- 1. Asks and drafts -------------------------------------------------------------


def _asks(paragraph: OperativeParagraph, g: Grammar) -> list[Ask]:
    folded = fold(paragraph.text)
    lead = g.lead_verb.match(folded)
    verb_end = lead.end() if lead else len(paragraph.lead_verb)
    asks = [Ask(0, verb_end, len(folded), paragraph.category)]
    for match in g.secondary_verb.finditer(folded, verb_end):
        verb = g.lead_verb.search(folded, match.start(), match.end())
        start = verb.start() if verb else match.start()
        asks[-1].end = match.start()
        asks.append(Ask(start, match.end(), len(folded), g.category(match)))
    return asks


def _paragraph_drafts(
    paragraph: OperativeParagraph, g: Grammar, matcher: ActorMatcher, reading: Reading
) -> list[Draft]:
    folded = fold(paragraph.text)
    drafts: list[Draft] = []
    previous_owners: list[Mention] = []
    for ask in _asks(paragraph, g):
        text = folded[ask.start : ask.end]
        if any(p.search(text) for p in g.no_ask):
            continue
        mentions = [
            dataclasses.replace(m, start=m.start + ask.start, end=m.end + ask.start)
            for m in matcher.find(text)
        ]
        if ask.category == "decides":
            new = _decision_drafts(paragraph, ask, folded, mentions, g, matcher, reading)
        elif ask.category in ASKING:
            new = _ask_drafts(paragraph, ask, folded, mentions, g, previous_owners)
        else:
            new = _need_drafts(paragraph, ask, folded, mentions, g)
        drafts.extend(new)
        if new and new[0].owners:
            previous_owners = new[0].owners
    return drafts


def _owners(
    folded: str, start: int, mentions: list[Mention], g: Grammar
) -> tuple[list[Mention], int]:
    """The actors named one after another from `start`, joined only by glue words
    ("and", "including", "、", "和"), and where the chain ends."""
    owners, position = [], start
    for mention in mentions:
        if mention.start < position:
            continue
        if not g.addressee_glue.fullmatch(folded[position : mention.start]):
            break
        owners.append(mention)
        position = mention.end
    return [m for m in owners if m.code != GENERIC], position


def _people(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.code not in (GENERIC, COUNCIL)]


def _ask_drafts(paragraph, ask, folded, mentions, g, previous_owners) -> list[Draft]:
    owners, chain_end = _owners(folded, ask.verb_end, mentions, g)
    owners = [m for m in owners if m.code != COUNCIL]
    if not owners:
        after = folded[ask.verb_end : ask.end].lstrip()
        if g.pronoun.match(after) and previous_owners:
            owners = list(previous_owners)
            chain_end = ask.verb_end + (len(folded[ask.verb_end : ask.end]) - len(after))
            chain_end += g.pronoun.match(after).end()
        else:
            new = _new_actor(paragraph.text, folded, ask, g)
            if new:
                owners, chain_end = [new], new.end
    contributors = [m for m in _people(mentions) if m.code not in {o.code for o in owners}]
    if not owners and not contributors:
        return []
    if not owners:
        owners, contributors = contributors, []
    return _split_by_kind(paragraph, ask, folded, chain_end, owners, contributors, g)


def _need_drafts(paragraph, ask, folded, mentions, g) -> list[Draft]:
    text = folded[ask.verb_end : ask.end]
    for pattern in g.need:
        match = pattern.search(text)
        if not match:
            continue
        who_start = ask.verb_end + match.start("who")
        who_end = ask.verb_end + match.end("who")
        owners = [m for m in _people(mentions) if who_start <= m.start and m.end <= who_end]
        if owners:
            contributors = [m for m in _people(mentions) if m.code not in {o.code for o in owners}]
            return _split_by_kind(
                paragraph, ask, folded, ask.verb_end + match.end(), owners, contributors, g
            )
    return []


def _decision_drafts(paragraph, ask, folded, mentions, g, matcher, reading) -> list[Draft]:
    text = folded[ask.start : ask.end]
    number, span = paragraph.number, (ask.start, ask.end)
    for pattern in g.mandate_extension:
        match = pattern.search(text)
        if not match:
            continue
        mission_start = ask.start + match.start("mission")
        mission_end = ask.start + match.end("mission")
        named = [m for m in _people(mentions) if mission_start <= m.start < mission_end]
        missions = [m for m in named if m.mission] or named
        if not missions:
            continue
        mission = missions[-1]
        others = [m for m in _people(mentions) if m.code != mission.code]
        council = Mention(0, 0, COUNCIL, "Security Council")
        drafts = [
            Draft(number, [mission], others, "standing", span),
            Draft(number, [council], [], "decision", span, deadlines.Spec("mandate_expiry")),
        ]
        if g.reporting_requirement.search(text):
            sg = next((m for m in mentions if m.code == SG), Mention(0, 0, SG, "Secretary-General"))
            drafts.append(
                Draft(
                    number,
                    [sg],
                    [mission],
                    "report",
                    span,
                    deadlines.Spec("aligned", aligned_with="regular reports"),
                )
            )
        return drafts
    people = _people(mentions)
    if people:
        owners, chain_end = _owners(folded, ask.verb_end, mentions, g)
        owners = [m for m in owners if m.code != COUNCIL] or people[:1]
        contributors = [m for m in people if m.code not in {o.code for o in owners}]
        return _split_by_kind(
            paragraph, ask, folded, max(chain_end, owners[-1].end), owners, contributors, g
        )
    found = deadlines.find(text, g)
    if found.any:
        council = Mention(0, 0, COUNCIL, "Security Council")
        return [
            Draft(number, [council], [], "decision", span, spec)
            for spec in deadlines.specs(found, reading.adopted_on)
        ]
    return []


def _new_actor(text: str, folded: str, ask: Ask, g: Grammar) -> Mention | None:
    """An addressee the table does not know: the words right after the verb, up to what
    is asked, when they end with an actor's head noun ("the Transitional Authorities")."""
    rest = folded[ask.verb_end : ask.end]
    if g.language.spaced:
        stop = g.object_start.search(rest) if g.object_start else None
        words = rest[: stop.start()] if stop else ""
        lead = len(words) - len(words.lstrip())
        words = re.sub(r"^(?:the|le|la|les|l'|aux|au|à)\s*", "", words.strip(), flags=re.I)
        heads = list(g.head_nouns.finditer(words))
        if not words or len(words) > 80 or not heads or not words[:1].isupper():
            return None
        # "Transitional National Council of Veloria": a name runs on in capitals.
        last = words.split()[-1]
        name = (words if last[:1].isupper() else words[: heads[-1].end()]).strip(" ,")
    else:
        head = g.head_nouns.search(rest[:20])
        if not head or re.search(r"[,;:。、]", rest[: head.start()]):
            return None
        lead, name = 0, rest[: head.end()]
    start = ask.verb_end + lead + rest[lead:].find(name)
    original = text[start : start + len(name)]
    return Mention(start, start + len(name), slug(original), original, new=True)


def _split_by_kind(paragraph, ask, folded, chain_end, owners, contributors, g) -> list[Draft]:
    """Kind and schedule of an ask; an action followed by a report makes two drafts."""
    number = paragraph.number
    body = folded[chain_end : ask.end]
    report = g.report.search(body)
    parts: list[tuple[str, int, int]] = []
    if report:
        splits = [m for m in g.report_split.finditer(body) if m.end() <= report.start()]
        before = body[: splits[-1].start()] if splits else ""
        substantial = len(before.split()) >= 4 if g.language.spaced else len(before) >= 8
        if splits and substantial:
            cut = chain_end + splits[-1].start()
            parts = [("action", ask.start, cut), ("report", cut, ask.end)]
        else:
            parts = [("report", ask.start, ask.end)]
    else:
        parts = [("action", ask.start, ask.end)]
    drafts = []
    for kind, start, end in parts:
        found = deadlines.find(folded[start:end], g)
        specs = deadlines.specs(found, None) if found.any else [None]
        if kind == "action" and not found.any and g.standing.search(folded[chain_end:end]):
            kind = "standing"
        for spec in specs:
            drafts.append(Draft(number, owners, contributors, kind, (start, end), spec))
    return drafts


def _name(drafts: list[Draft]) -> None:
    seen: dict[str, int] = {}
    for draft in drafts:
        owner = draft.owners[0].code if draft.owners else "none"
        key = f"op{draft.paragraph}-{owner}-{draft.kind}"
        seen[key] = seen.get(key, 0) + 1
        draft.key = key if seen[key] == 1 else f"{key}-{seen[key]}"


# -- 2. and 3. Dates -----------------------------------------------------------------


def _dated(spec: deadlines.Spec, reading: Reading, warnings: list[Notice], number: int) -> Schedule:
    adopted, expires = reading.adopted_on, reading.mandate_expires_on
    if spec.kind == "mandate_expiry":
        return Schedule("mandate_expiry", on=expires, due_dates=(expires,) if expires else ())
    if spec.kind in ("within_days", "on_date"):
        day = deadlines.one_off_date(spec, adopted)
        return Schedule(
            spec.kind,
            on=day if spec.kind == "on_date" else None,
            within_days=spec.within_days,
            within_weeks=spec.within_weeks,
            within_months=spec.within_months,
            due_dates=(day,) if day else (),
        )
    anchor, until, dates, open_ended = deadlines.cycle_dates(spec, adopted, expires)
    if open_ended:
        warnings.append(_open_ended(number))
    return Schedule(
        "recurring",
        every_days=spec.every_days,
        every_months=spec.every_months,
        anchor_on=anchor,
        until=None if open_ended else until,
        thereafter=spec.thereafter_of is not None,
        due_dates=tuple(dates),
    )


def _open_ended(number: int) -> Notice:
    return Notice(
        "open_ended_schedule",
        _(
            "Paragraph %(n)s sets a recurring deadline with no end date and no mandate "
            "expiry: only the first year's dates are listed."
        ),
        {"n": number},
    )


def _aligned(
    draft: Draft, drafts: list[Draft], matcher: ActorMatcher, reading: Reading, warnings
) -> Schedule:
    spec = draft.spec
    target = None
    if spec.target_words:
        named = {m.code for m in matcher.find(spec.target_words)}
        target = next(
            (
                d
                for d in drafts
                if d is not draft
                and d.schedule is not None
                and d.schedule.kind == "recurring"
                and named & {m.code for m in d.owners + d.contributors}
            ),
            None,
        )
        # "On the same cycle as <the mission this resolution mandates>": the mission's
        # cycle is the Secretary-General's regular reporting on it.
        if (
            target is None
            and reading.mandate
            and any(
                m.acronym == reading.mandate or m.name == reading.mandate
                for m in matcher.find(spec.target_words)
            )
        ):
            target = _regular_cycle(draft, drafts)
    else:
        target = _regular_cycle(draft, drafts)
    if target is not None and target.schedule and target.schedule.due_dates:
        return Schedule(
            "aligned",
            aligned_to=target.key,
            aligned_with=spec.aligned_with,
            every_days=target.schedule.every_days,
            every_months=target.schedule.every_months,
            due_dates=target.schedule.due_dates,
        )
    if spec.every_days or spec.every_months:
        anchor, until, dates, open_ended = deadlines.cycle_dates(
            spec, reading.adopted_on, reading.mandate_expires_on
        )
        if open_ended:
            warnings.append(_open_ended(draft.paragraph))
        return Schedule(
            "aligned",
            aligned_with=spec.aligned_with,
            every_days=spec.every_days,
            every_months=spec.every_months,
            anchor_on=anchor,
            until=None if open_ended else until,
            due_dates=tuple(dates),
        )
    warnings.append(
        Notice(
            "aligned_unknown",
            _(
                "Paragraph %(n)s follows another schedule (%(words)s) that this resolution "
                "does not set: its dates are left empty."
            ),
            {"n": draft.paragraph, "words": spec.aligned_with},
        )
    )
    return Schedule("aligned", aligned_with=spec.aligned_with)


def _regular_cycle(draft: Draft, drafts: list[Draft]) -> Draft | None:
    """The resolution's regular reporting: the Secretary-General's recurring report,
    else any recurring report, else a report on its own cycle aligned to a mission."""

    def recurring(d: Draft) -> bool:
        return (
            d is not draft
            and d.kind == "report"
            and d.schedule is not None
            and (
                d.schedule.kind == "recurring"
                or (d.spec is not None and d.spec.target_words and d.schedule.due_dates)
            )
        )

    candidates = [d for d in drafts if recurring(d)]
    by_sg = [d for d in candidates if d.owners and d.owners[0].code == SG]
    if by_sg or candidates:
        return (by_sg or candidates)[0]
    own = [
        d
        for d in drafts
        if d is not draft
        and d.spec is not None
        and d.spec.kind == "aligned"
        and d.spec.target_words
        and (d.spec.every_days or d.spec.every_months)
    ]
    if own:
        target = own[0]
        if target.schedule is None:
            return None
        return target
    return None


def _proposal(draft: Draft, text: str) -> Proposal:
    addressees = tuple(
        Addressee(m.code, m.name, m.new, role)
        for role, group in (("owner", draft.owners), ("contributor", draft.contributors))
        for m in _unique(group)
    )
    start, end = draft.span
    source = text[start:end].strip(" ,;，；")
    start = text.find(source, start)
    return Proposal(
        key=draft.key,
        addressees=addressees,
        kind=draft.kind,
        schedule=draft.schedule,
        source=source,
        span=(start, start + len(source)),
    )


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen, unique = set(), []
    for mention in mentions:
        if mention.code not in seen:
            seen.add(mention.code)
            unique.append(mention)
    return unique
