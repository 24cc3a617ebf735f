"""The reading of one resolution: a tree of frozen dataclasses, no ORM, no clock.

`intake.reading` fills everything but the proposals; `intake.proposals.propose` returns
the same tree with each operative paragraph's proposals; `intake.document.to_json`
projects it.
"""

import datetime as dt
from dataclasses import dataclass

from intake.errors import Notice


@dataclass(frozen=True)
class Addressee:
    code: str
    name: str  # the English name of a known actor; a new actor's name as written
    new: bool = False
    role: str = "owner"  # owner | contributor


@dataclass(frozen=True)
class Schedule:
    """When a proposal is due, in the vocabulary of reports.enums.ScheduleKind."""

    kind: str  # on_date | within_days | recurring | aligned | mandate_expiry
    on: dt.date | None = None
    within_days: int | None = None
    within_weeks: int | None = None  # as written, when "within N weeks"
    within_months: int | None = None  # as written, when "within N months" (an on_date)
    every_days: int | None = None
    every_months: int | None = None
    anchor_on: dt.date | None = None
    until: dt.date | None = None
    thereafter: bool = False
    aligned_to: str | None = None  # the key of the proposal whose schedule this follows
    aligned_with: str | None = None  # the words naming it ("BINUH", "regular reports")
    due_dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Proposal:
    key: str
    addressees: tuple[Addressee, ...]
    kind: str  # paragraphs.enums.ObligationKind value
    schedule: Schedule | None
    source: str  # the words of the paragraph the proposal comes from
    span: tuple[int, int]  # where `source` is in the paragraph's text


@dataclass(frozen=True)
class PreambularParagraph:
    position: int
    text: str
    opening: str  # the phrase that opens it, as written ("Recalling", "深为关切地注意到")


@dataclass(frozen=True)
class OperativeParagraph:
    number: int
    lead_verb: str  # as written: "Further requests", "请", "Prie en outre"
    category: str  # paragraphs.enums.VerbCategory value
    text: str
    proposals: tuple[Proposal, ...] = ()


@dataclass(frozen=True)
class Reading:
    symbol: str
    number: int
    year: int
    language: str
    adopted_on: dt.date | None
    meeting: int | None
    mandate: str | None
    mandate_expires_on: dt.date | None
    references: tuple[str, ...]
    preambular: tuple[PreambularParagraph, ...]
    operative: tuple[OperativeParagraph, ...]
    annexes: tuple[str, ...]
    warnings: tuple[Notice, ...]
    source_format: str = "text"  # text | docx | pdf
