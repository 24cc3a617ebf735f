"""Time expressions into schedules, and schedules into due dates.

Pure date arithmetic over what the caller passes (adoption, mandate expiry): no clock.
The rules, in the vocabulary of reports.enums.ScheduleKind:

- "within N days / weeks" of adoption: within_days, N calendar days (a week is 7 days).
- "within N months / years": on_date, adoption plus N calendar months (a month is a
  calendar month: 14 July + 3 months is 14 October, clamped at a short month's end).
- "by / no later than / d'ici au / 不迟于 D": on_date D.
- "every N days": recurring every_days N, counted from adoption (a count of days is not
  a calendar cycle), until the mandate expires.
- "every N months", "quarterly", "annually": recurring every_months N on the mandate's
  cycle: due on the expiry and every N months before it, from half a period after
  adoption on (so 2692's "every three months" falls on 15 October, 15 January,
  15 April and 15 July, as the Secretariat runs it: FACTS.md). Without an expiry, counted
  from adoption.
- "... thereafter" after a first report ("within 30 days and every 90 days thereafter"):
  recurring, counted from the first report's due date.
- "until D" ends a recurring schedule at D; otherwise the mandate's expiry ends it, and
  with neither the first year is listed and a warning says so.
- "in his regular reports", "on the same cycle as X": aligned, due when the schedule it
  follows is due.
- a mandate renewed until D: mandate_expiry on D.
"""

import datetime as dt
import re
from dataclasses import dataclass

from intake.languages.grammar import Grammar
from reports.schedule import Every, add_months, due_dates

HORIZON_MONTHS = 12


@dataclass
class Expressions:
    """The time expressions found in one piece of a paragraph, in its folded text."""

    within: list[tuple[int, str, tuple[int, int]]]
    by_date: list[tuple[dt.date, tuple[int, int]]]
    every: list[tuple[int, str, tuple[int, int]]]
    thereafter: bool
    until_expiry: bool
    until_date: dt.date | None
    regular: tuple[int, int] | None
    same_cycle: tuple[str, tuple[int, int]] | None

    @property
    def any(self) -> bool:
        return bool(self.within or self.by_date or self.every or self.regular or self.same_cycle)

    def spans(self) -> list[tuple[int, int]]:
        spans = [s for *_, s in self.within] + [s for _, s in self.by_date]
        spans += [s for *_, s in self.every]
        spans += [s for s in (self.regular, self.same_cycle and self.same_cycle[1]) if s]
        return spans


def find(folded: str, g: Grammar) -> Expressions:
    within = []
    for pattern in g.within:
        for m in pattern.finditer(folded):
            n = g.parse_number(m["n"])
            # "within 15 days of any such interdiction" counts from an event, not adoption.
            if n and not g.after_event.match(folded, m.end()):
                within.append((n, g.language.units[m["unit"].lower()], m.span()))
    by_date = []
    for pattern in g.by_date:
        for m in pattern.finditer(folded):
            day = g.parse_date(m)
            if day:
                by_date.append((day, m.span()))
    every = []
    for pattern in g.every:
        for m in pattern.finditer(folded):
            n = g.parse_number(m["n"])
            if n:
                every.append((n, g.language.units[m["unit"].lower()], m.span()))
    taken = [span for *_, span in every]
    for m in g.frequency.finditer(folded):
        if not any(s <= m.start() < e for s, e in taken):
            n, unit = _frequency(g, m[0])
            every.append((n, unit, m.span()))
    until = g.until_date.search(folded)
    regular = next((m.span() for p in g.regular_reports if (m := p.search(folded))), None)
    cycle = next((m for p in g.same_cycle if (m := p.search(folded))), None)
    return Expressions(
        within=within,
        by_date=by_date,
        every=every,
        thereafter=bool(g.thereafter.search(folded)) and bool(every),
        until_expiry=bool(g.until_expiry.search(folded)),
        until_date=g.parse_date(until) if until else None,
        regular=regular,
        same_cycle=(cycle["target"], cycle.span()) if cycle else None,
    )


def _frequency(g: Grammar, words: str) -> tuple[int, str]:
    key = re.sub(r"\s+", " ", words.lower())
    for phrase, value in g.language.frequencies.items():
        if phrase.lower() == key:
            return value
    return g.language.frequencies[words]


@dataclass
class Spec:
    """A schedule before its dates: what the words say."""

    kind: str
    on: dt.date | None = None
    within_days: int | None = None
    within_weeks: int | None = None
    within_months: int | None = None
    every_days: int | None = None
    every_months: int | None = None
    thereafter_of: "Spec | None" = None
    until: dt.date | None = None
    aligned_with: str | None = None  # "regular reports" or the words naming the target
    target_words: str | None = None


def specs(found: Expressions, adopted_on: dt.date | None) -> list[Spec]:
    """One spec per schedule the words set (a first report and a recurring one after it
    are two). Aligned wins over a bare cycle: "every three months, on the same cycle as
    BINUH" follows BINUH, with its own cycle kept as the fallback."""
    one_offs = [_within(n, unit) for n, unit, _ in found.within]
    one_offs += [Spec("on_date", on=day) for day, _ in found.by_date]
    cycles = [_every(n, unit, found.until_date) for n, unit, _ in found.every]
    if found.same_cycle or found.regular:
        own = cycles[0] if cycles else None
        spec = Spec(
            "aligned",
            every_days=own.every_days if own else None,
            every_months=own.every_months if own else None,
            until=found.until_date,
            aligned_with=found.same_cycle[0].strip() if found.same_cycle else "regular reports",
            target_words=found.same_cycle[0] if found.same_cycle else None,
        )
        return [*one_offs, spec]
    if found.thereafter and one_offs:
        for cycle in cycles:
            cycle.thereafter_of = one_offs[0]
    return one_offs + cycles


def _within(n: int, unit: str) -> Spec:
    if unit == "days":
        return Spec("within_days", within_days=n)
    if unit == "weeks":
        return Spec("within_days", within_days=7 * n, within_weeks=n)
    return Spec("on_date", within_months=n * (12 if unit == "years" else 1))


def _every(n: int, unit: str, until: dt.date | None) -> Spec:
    if unit == "days":
        return Spec("recurring", every_days=n, until=until)
    if unit == "weeks":
        return Spec("recurring", every_days=7 * n, until=until)
    return Spec("recurring", every_months=n * (12 if unit == "years" else 1), until=until)


def one_off_date(spec: Spec, adopted_on: dt.date | None) -> dt.date | None:
    if spec.on:
        return spec.on
    if adopted_on is None:
        return None
    if spec.within_days is not None:
        return adopted_on + dt.timedelta(days=spec.within_days)
    if spec.within_months is not None:
        return add_months(adopted_on, spec.within_months)
    return None


def cycle_dates(
    spec: Spec, adopted_on: dt.date | None, expires_on: dt.date | None
) -> tuple[dt.date | None, dt.date | None, list[dt.date], bool]:
    """(anchor, until, due dates, open-ended) of a recurring spec or an aligned spec's own
    cycle. Open-ended when neither "until" nor a mandate expiry bounds it."""
    if adopted_on is None:
        return None, spec.until, [], False
    until = spec.until or expires_on
    open_ended = until is None
    if until is None:
        until = add_months(adopted_on, HORIZON_MONTHS)
    if spec.thereafter_of is not None:
        anchor = one_off_date(spec.thereafter_of, adopted_on) or adopted_on
    elif spec.every_months and until > adopted_on and not open_ended:
        return (*_mandate_cycle(spec.every_months, adopted_on, until), open_ended)
    else:
        anchor = adopted_on
    rule = Every(anchor=anchor, until=until, days=spec.every_days, months=spec.every_months)
    return anchor, until, due_dates(rule), open_ended


def _mandate_cycle(
    months: int, adopted_on: dt.date, until: dt.date
) -> tuple[dt.date, dt.date, list[dt.date]]:
    # Count back from the end: a quarterly cycle of the mandate year ends on its expiry.
    earliest = adopted_on + dt.timedelta(days=15 * months)
    dates, k = [], 0
    while (day := add_months(until, -k * months)) >= earliest:
        dates.append(day)
        k += 1
    return add_months(until, -k * months), until, sorted(dates)
