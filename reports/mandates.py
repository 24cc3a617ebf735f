"""Reads for a mandate's pages: its chain of resolutions, each with its period, what its
ended periods left open, and the picture of its timeline.

A mandate (BINUH) runs through resolutions that renew one another; each resolution's
period runs from its adoption to its `mandate_expires_on`. When a period ends, its open
deadlines are to reconcile and its open obligations are carried forward or closed
(`services.obligation_carry_forward`, `services.obligation_close`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from paragraphs.enums import ObligationStatus, ParagraphKind
from paragraphs.models import Mandate, Obligation, Paragraph, Resolution
from reports import schedule as rules
from reports.enums import TIMING_LABELS, DeadlineState
from reports.models import Deadline
from reports.querysets import to_reconcile_q
from reports.selectors import TIMING_FIELDS, TIMING_FROM_RELATED, deadline_timing

TIMELINE_DEADLINES = 400


class Period:
    CURRENT = "current"
    ENDED = "ended"
    COMING = "coming"


def period_state(resolution: Resolution, today: dt.date, *, superseded: bool = False) -> str:
    """Where a resolution's period stands on `today`; `superseded` when a later resolution
    of its mandate has been adopted (its own end may not be recorded: 2476 (2019))."""
    if rules.period_ended(resolution.mandate_expires_on, today) or (
        superseded and resolution.mandate_expires_on is None
    ):
        return Period.ENDED
    if resolution.adopted_on and resolution.adopted_on > today:
        return Period.COMING
    return Period.CURRENT


def _states(chain: list[Resolution], today: dt.date) -> list[str]:
    """`period_state` of each of a mandate's resolutions, in order of adoption."""
    adopted = [r.adopted_on for r in chain]
    return [
        period_state(
            r,
            today,
            superseded=any(
                later and r.adopted_on and r.adopted_on < later <= today for later in adopted
            ),
        )
        for r in chain
    ]


def mandates_overview(today: dt.date) -> list[dict]:
    """Every mandate with its resolutions (oldest first) and the current one (two queries)."""
    resolutions = Resolution.objects.filter(mandate__isnull=False).order_by("adopted_on", "number")
    by_mandate = {}
    for resolution in resolutions:
        by_mandate.setdefault(resolution.mandate_id, []).append(resolution)
    overview = []
    for mandate in Mandate.objects.all():
        chain = by_mandate.get(mandate.pk, [])
        states = _states(chain, today)
        current = [r for r, state in zip(chain, states, strict=True) if state == Period.CURRENT]
        overview.append(
            {
                "mandate": mandate,
                "resolutions": chain,
                "current": current[-1] if current else None,
                "to_reconcile": 0,
            }
        )
    counts = dict(
        Deadline.objects.filter(
            to_reconcile_q(today),
            schedule__obligation__paragraph__resolution__mandate__isnull=False,
        )
        .order_by()
        .values_list("schedule__obligation__paragraph__resolution__mandate_id")
        .annotate(n=Count("id"))
    )
    for row in overview:
        row["to_reconcile"] = counts.get(row["mandate"].pk, 0)
    return overview


def mandate_chain(mandate: Mandate, today: dt.date) -> list[dict]:
    """The mandate's resolutions in order of adoption, each with its period, whether its
    text was imported, and its counts of obligations, open and to-reconcile deadlines."""
    in_mandate = "paragraphs__obligations__schedules__deadlines"
    resolutions = (
        mandate.resolutions.select_related("renews")
        .annotate(
            paragraph_count=Count("paragraphs", distinct=True),
            obligation_count=Count("paragraphs__obligations", distinct=True),
            open_deadlines=Count(
                in_mandate, filter=Q(**{f"{in_mandate}__state": DeadlineState.OPEN}), distinct=True
            ),
        )
        .order_by("adopted_on", "number")
    )
    resolutions = list(resolutions)
    return [
        {
            "resolution": r,
            "state": state,
            "has_text": r.paragraph_count > 0,
            # As the deadlines' own rule says (`to_reconcile_q`): past a recorded end.
            "to_reconcile": (
                r.open_deadlines if rules.period_ended(r.mandate_expires_on, today) else 0
            ),
        }
        for r, state in zip(resolutions, _states(resolutions, today), strict=True)
    ]


def _deadline_rows(mandate: Mandate):
    """The mandate's deadlines as rows `selectors.deadline_timing` reads, with what a list
    shows of their obligation."""
    obligation = "schedule__obligation__"
    return Deadline.objects.filter(
        **{f"{obligation}paragraph__resolution__mandate": mandate}
    ).values(
        "id",
        "sequence",
        "due_on",
        *TIMING_FIELDS,
        obligation_id=F(f"{obligation}id"),
        obligation_summary=F(f"{obligation}summary"),
        schedule_label=F("schedule__label"),
        paragraph_number=F(f"{obligation}paragraph__number"),
        resolution_pk=F(f"{obligation}paragraph__resolution_id"),
        resolution_symbol=F(f"{obligation}paragraph__resolution__symbol"),
        owner=F(f"{obligation}owner__name_en"),
        **TIMING_FROM_RELATED,
    )


def to_reconcile(mandate: Mandate, today: dt.date) -> list[dict]:
    """Open deadlines of the mandate's ended periods, oldest first, as rows with their
    timing (one query)."""
    rows = _deadline_rows(mandate).filter(to_reconcile_q(today)).order_by("scheduled_on", "id")
    result = []
    for row in rows:
        row["timing"] = deadline_timing(row, today)
        row["timing_label"] = TIMING_LABELS[row["timing"]]
        result.append(row)
    return result


@dataclass
class EndedObligation:
    obligation: Obligation
    successors: list[Resolution] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)


def ended_open_obligations(mandate: Mandate, today: dt.date) -> list[EndedObligation]:
    """Open obligations of the mandate's ended periods, each with where it can be carried
    forward: the operative paragraphs of the resolutions that renewed its own (none until
    a renewal's text is imported). Three queries."""
    obligations = list(
        Obligation.objects.filter(
            paragraph__resolution__mandate=mandate,
            paragraph__resolution__mandate_expires_on__lt=today,
            status__in=ObligationStatus.open_values(),
        )
        .select_related("paragraph__resolution", "owner")
        .order_by("paragraph__resolution__adopted_on", "paragraph__position", "pk")
    )
    resolution_ids = {o.paragraph.resolution_id for o in obligations}
    successors = {}
    for successor in Resolution.objects.filter(renews_id__in=resolution_ids).order_by("number"):
        successors.setdefault(successor.renews_id, []).append(successor)
    paragraphs = {}
    for paragraph in Paragraph.objects.filter(
        resolution__renews_id__in=resolution_ids, kind=ParagraphKind.OPERATIVE
    ).select_related("resolution"):
        paragraphs.setdefault(paragraph.resolution.renews_id, []).append(paragraph)
    return [
        EndedObligation(
            obligation=o,
            successors=successors.get(o.paragraph.resolution_id, []),
            paragraphs=sorted(
                paragraphs.get(o.paragraph.resolution_id, []), key=lambda p: p.position
            ),
        )
        for o in obligations
    ]


# The timeline picture: one band per resolution's period, its deadlines as marks.

WIDTH, LEFT, ROW, TOP = 900, 150, 34, 28


@dataclass
class Band:
    resolution: Resolution
    state: str
    y: int
    x: float
    width: float
    marks: list[dict] = field(default_factory=list)


def timeline(mandate: Mandate, chain: list[dict], today: dt.date) -> dict | None:
    """Positions for the SVG of the mandate's periods (one query for the deadlines)."""
    dated = [row for row in chain if row["resolution"].adopted_on]
    if not dated:
        return None
    start = min(row["resolution"].adopted_on for row in dated)
    ends = [row["resolution"].mandate_expires_on or today for row in dated]
    end = max([*ends, today])
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(LEFT + (WIDTH - LEFT - 10) * (day - start).days / span, 1)

    bands = {}
    for i, row in enumerate(dated):
        r = row["resolution"]
        band_end = r.mandate_expires_on or end
        bands[r.pk] = Band(
            resolution=r,
            state=row["state"],
            y=TOP + i * ROW,
            x=x(r.adopted_on),
            width=max(x(band_end) - x(r.adopted_on), 2),
        )
    deadlines = _deadline_rows(mandate).order_by("scheduled_on", "id")[:TIMELINE_DEADLINES]
    for row in deadlines:
        band = bands.get(row["resolution_pk"])
        if band is None or not start <= row["scheduled_on"] <= end:
            continue
        timing = deadline_timing(row, today)
        band.marks.append(
            {
                "x": x(row["scheduled_on"]),
                "timing": timing,
                "title": f"{row['scheduled_on'].isoformat()} · {TIMING_LABELS[timing]}",
            }
        )
    years = range(start.year + 1, end.year + 1)
    return {
        "width": WIDTH,
        "height": TOP + len(bands) * ROW + 10,
        "bands": list(bands.values()),
        "today_x": x(today),
        "years": [{"x": x(dt.date(year, 1, 1)), "label": year} for year in years],
        "label_x": LEFT - 8,
    }
