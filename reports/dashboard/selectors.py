"""Dashboard reads: every figure is aggregated by the database, in a fixed number of queries.

Python only walks aggregated rows (one per owner, per paragraph, per day) or lists cut to
a fixed length, so the cost of a page does not grow with the portfolio.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from paragraphs.enums import ObligationStatus, ParagraphKind
from paragraphs.models import Paragraph, Resolution
from reports import querysets
from reports import schedule as rules
from reports.dashboard.snapshot import Snapshot, actor_label
from reports.enums import TIMING_LABELS, DeadlineState
from reports.querysets import (
    OPEN,
    delivered_late_q,
    delivered_on_time_q,
    delivered_unconfirmed_q,
    in_time_until_q,
    to_reconcile_q,
)
from reports.selectors import TIMING_FIELDS, TIMING_FROM_RELATED, deadline_timing

UPCOMING_DAYS = 90
LIST_LIMIT = 50
GRID_RESOLUTIONS = 6
TIMELINE_ROWS = 40


def _not_overdue_until(s: Snapshot, last: dt.date) -> Q:
    return in_time_until_q(s.today, last)


def overdue_q(s: Snapshot) -> Q:
    return querysets.overdue_q(s.today)


def _days(s: Snapshot, n: int) -> dt.date:
    return s.today + dt.timedelta(days=n)


# Deadline lists


def deadline_rows(s: Snapshot, deadlines, *, fields=(), extra: dict | None = None):
    """Deadlines as flat rows for lists, the calendar, the feed and exports (one query).

    The owner is the obligation's owner as it stood in the snapshot.
    """
    return deadlines.values(
        "id",
        "sequence",
        "due_on",
        *TIMING_FIELDS,
        "delivery_evidence",
        "document_symbol",
        *fields,
        delivered_on=F("delivery_date"),
        **TIMING_FROM_RELATED,
        obligation_id=F("schedule__obligation_id"),
        obligation_summary=F("schedule__obligation__summary"),
        schedule_label=F("schedule__label"),
        paragraph_number=F("schedule__obligation__paragraph__number"),
        resolution_symbol=F("schedule__obligation__paragraph__resolution__symbol"),
        owner=s.of_obligation(lambda prefix: actor_label(f"{prefix}owner__")),
        **(extra or {}),
    )


def add_timing(s: Snapshot, row: dict) -> dict:
    """Add a row's derived timing on the snapshot's day, by the rules of `schedule`."""
    row["timing"] = deadline_timing(row, s.today)
    row["timing_label"] = TIMING_LABELS[row["timing"]]
    row["days_left"] = rules.days_left(row["scheduled_on"], s.today)
    row["days_overdue"] = -row["days_left"]
    return row


def with_timing(s: Snapshot, rows) -> list[dict]:
    """`add_timing` over rows already cut to a page."""
    return [add_timing(s, row) for row in rows]


def upcoming(s: Snapshot, *, limit: int = LIST_LIMIT) -> list[dict]:
    """Open deadlines of the next 90 days, soonest first."""
    rows = s.deadlines.filter(_not_overdue_until(s, _days(s, UPCOMING_DAYS)))
    return with_timing(s, deadline_rows(s, rows.order_by("scheduled_on", "id"))[:limit])


def overdue(s: Snapshot, *, limit: int = LIST_LIMIT) -> list[dict]:
    """Open deadlines past their scheduled date (its weekend rule and tolerance), in a
    period that has not ended, oldest first."""
    rows = s.deadlines.filter(overdue_q(s))
    return with_timing(s, deadline_rows(s, rows.order_by("scheduled_on", "id"))[:limit])


def to_reconcile(s: Snapshot, *, limit: int = LIST_LIMIT) -> list[dict]:
    """Open deadlines of mandate periods that ended: nobody recorded what happened."""
    rows = s.deadlines.filter(to_reconcile_q(s.today))
    return with_timing(s, deadline_rows(s, rows.order_by("scheduled_on", "id"))[:limit])


# Per owner, and the headline figures (their sums)


@dataclass
class OwnerRow:
    id: int
    label: str
    name: str
    obligations: int = 0
    open_obligations: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # obligations by status
    deadlines: int = 0
    due_7: int = 0
    due_30: int = 0
    due_90: int = 0
    overdue: int = 0
    to_reconcile: int = 0
    delivered_on_time: int = 0
    delivered_late: int = 0
    delivered_unconfirmed: int = 0
    waived: int = 0


DEADLINE_FIGURES = [
    "deadlines",
    "due_7",
    "due_30",
    "due_90",
    "overdue",
    "to_reconcile",
    "delivered_on_time",
    "delivered_late",
    "delivered_unconfirmed",
    "waived",
]


SETTLED_FIGURES = [
    "deadlines",
    "delivered_on_time",
    "delivered_late",
    "delivered_unconfirmed",
    "waived",
]


def counts_from_summaries(s: Snapshot) -> bool:
    """Live and over every date, the settled figures come from the obligations' deadline
    summaries; as of a past day or within a date range they are counted from the deadlines."""
    return s.as_of is None and not (s.filters.due_from or s.filters.due_to)


def by_owner(s: Snapshot) -> list[OwnerRow]:
    """Per owner: obligations by status and deadlines by timing, in two grouped queries.

    1. Obligations grouped by owner, with their status counts and, when the summaries
       apply, the sums of their settled figures (one row per obligation, not per deadline).
    2. Deadlines grouped by owner: only the open ones of the next 90 days and before when
       the summaries hold the rest, otherwise every deadline in view.

    Owners with something overdue come first, then those with most due soon.
    """
    summaries = counts_from_summaries(s)
    settled = (
        {name: Coalesce(Sum(f"deadline_summary__{name}"), 0) for name in SETTLED_FIGURES}
        if summaries
        else {}
    )
    rows = {}
    for r in (
        s.obligations.order_by()
        .values("owner_id")
        .annotate(
            label=actor_label("owner__"),
            name=F("owner__name_en"),
            **{status: Count("id", filter=Q(status=status)) for status in ObligationStatus.values},
            **settled,
        )
    ):
        counts = {status: r[status] for status in ObligationStatus.values}
        rows[r["owner_id"]] = OwnerRow(
            id=r["owner_id"],
            label=r["label"],
            name=r["name"],
            obligations=sum(counts.values()),
            open_obligations=sum(counts[v] for v in ObligationStatus.open_values()),
            counts=counts,
            **{name: r[name] for name in settled},
        )
    deadlines = s.deadlines.order_by()
    counts = {
        "due_7": Count("id", filter=_not_overdue_until(s, _days(s, 7))),
        "due_30": Count("id", filter=_not_overdue_until(s, _days(s, 30))),
        "due_90": Count("id", filter=_not_overdue_until(s, _days(s, UPCOMING_DAYS))),
        "overdue": Count("id", filter=overdue_q(s)),
        "to_reconcile": Count("id", filter=to_reconcile_q(s.today)),
    }
    if summaries:
        deadlines = deadlines.filter(OPEN, scheduled_on__lte=_days(s, UPCOMING_DAYS))
    else:
        counts |= {
            "deadlines": Count("id"),
            "delivered_on_time": Count("id", filter=delivered_on_time_q()),
            "delivered_late": Count("id", filter=delivered_late_q()),
            "delivered_unconfirmed": Count("id", filter=delivered_unconfirmed_q()),
            "waived": Count("id", filter=Q(state=DeadlineState.WAIVED)),
        }
    deadline_counts = (
        deadlines.annotate(owner_key=s.of_obligation(lambda prefix: F(f"{prefix}owner_id")))
        .values("owner_key")
        .annotate(**counts)
    )
    for row_counts in deadline_counts:
        # Every deadline in view belongs to an obligation in view, so its owner is here.
        row = rows[row_counts.pop("owner_key")]
        for name, value in row_counts.items():
            setattr(row, name, value)
    return sorted(
        rows.values(), key=lambda r: (-r.overdue, -r.due_30, -r.open_obligations, r.label)
    )


def headline(owners: list[OwnerRow]) -> dict[str, int]:
    """The figures at the top of the dashboard: the per-owner counts added up."""
    figures = {
        "obligations": sum(o.obligations for o in owners),
        "open_obligations": sum(o.open_obligations for o in owners),
        **{
            f"status_{status}": sum(o.counts[status] for o in owners)
            for status in ObligationStatus.values
        },
        **{name: sum(getattr(o, name) for o in owners) for name in DEADLINE_FIGURES},
    }
    delivered = figures["delivered_on_time"] + figures["delivered_late"]
    figures["on_time_percent"] = (
        round(100 * figures["delivered_on_time"] / delivered) if delivered else None
    )
    return figures


# Status by operative paragraph


CELL_LABELS = {
    "overdue": _("Overdue deadline"),
    "none": _("No obligation"),
    **dict(ObligationStatus.choices),
}


@dataclass
class GridCell:
    paragraph_id: int
    number: int
    status: str  # a class: overdue, completed, in_progress, not_started, not_applicable, none
    obligations: int = 0
    overdue: int = 0

    @property
    def status_label(self) -> str:
        return CELL_LABELS[self.status]

    @property
    def title(self) -> str:
        """The tooltip; made here, not in the template, because a grid has hundreds."""
        text = ngettext(
            "Paragraph %(number)s: %(n)s obligation",
            "Paragraph %(number)s: %(n)s obligations",
            self.obligations,
        ) % {"number": self.number, "n": self.obligations}
        if self.overdue:
            text += ", " + ngettext(
                "%(n)s overdue deadline", "%(n)s overdue deadlines", self.overdue
            ) % {"n": self.overdue}
        return text


@dataclass
class GridRow:
    resolution: Resolution
    cells: list[GridCell] = field(default_factory=list)


def cell_status(counts: dict[str, int], overdue_count: int) -> str:
    """One colour per paragraph: overdue wins, then how far its obligations have got."""
    total = sum(counts.values())
    if not total:
        return "none"
    if overdue_count:
        return "overdue"
    for status in ObligationStatus.values:
        if counts.get(status, 0) == total:
            return status
    if (
        counts.get(ObligationStatus.NOT_STARTED, 0) + counts.get(ObligationStatus.NOT_APPLICABLE, 0)
        == total
    ):
        return ObligationStatus.NOT_STARTED
    return ObligationStatus.IN_PROGRESS


def resolutions_in_view(s: Snapshot) -> tuple[list[Resolution], int]:
    """The resolutions the grid and the timeline draw: the chosen one, or the latest
    adopted (at most GRID_RESOLUTIONS) that have obligations in view; and how many
    resolutions are in view in all (one query, none when a resolution is chosen)."""
    if s.filters.resolution:
        return [s.filters.resolution], 1
    resolutions = list(
        Resolution.objects.filter(
            Exists(s.obligations.filter(paragraph__resolution_id=OuterRef("pk")))
        )
        .annotate(in_view=Window(Count("id")))
        .order_by("-adopted_on", "-number")[:GRID_RESOLUTIONS]
    )
    return resolutions, (resolutions[0].in_view if resolutions else 0)


def paragraph_grid(s: Snapshot, resolutions: list[Resolution]) -> list[GridRow]:
    """Operative paragraphs of `resolutions`, each with a status colour (three queries)."""
    ids = [r.id for r in resolutions]
    paragraphs = Paragraph.objects.filter(
        resolution_id__in=ids, kind=ParagraphKind.OPERATIVE
    ).values_list("id", "resolution_id", "number")
    counts = defaultdict(dict)
    for paragraph_id, status, n in (
        s.obligations.filter(paragraph__resolution_id__in=ids)
        .order_by()
        .values_list("paragraph_id", "status")
        .annotate(n=Count("id"))
    ):
        counts[paragraph_id][status] = n
    overdue_counts = dict(
        s.deadlines.filter(overdue_q(s), schedule__obligation__paragraph__resolution_id__in=ids)
        .order_by()
        .values_list("schedule__obligation__paragraph_id")
        .annotate(n=Count("id"))
    )
    rows = {r.id: GridRow(resolution=r) for r in resolutions}
    for paragraph_id, resolution_id, number in paragraphs.order_by("resolution_id", "position"):
        overdue_count = overdue_counts.get(paragraph_id, 0)
        rows[resolution_id].cells.append(
            GridCell(
                paragraph_id=paragraph_id,
                number=number,
                status=cell_status(counts[paragraph_id], overdue_count),
                obligations=sum(counts[paragraph_id].values()),
                overdue=overdue_count,
            )
        )
    return [rows[i] for i in ids]


# Timeline


@dataclass
class TimelineRow:
    schedule_id: int
    obligation_id: int
    resolution: Resolution
    paragraph_number: int
    label: str
    deadlines: list[dict] = field(default_factory=list)


def timeline(s: Snapshot, resolutions: list[Resolution]) -> tuple[list[TimelineRow], int]:
    """Schedules in view of `resolutions` (at most TIMELINE_ROWS are returned) with their
    deadlines, and how many such schedules there are, in two queries."""
    schedules = list(
        s.schedules()
        .filter(obligation__paragraph__resolution__in=resolutions)
        .select_related("obligation__paragraph__resolution")
        .annotate(in_view=Window(Count("id")))
        .order_by(
            "-obligation__paragraph__resolution__adopted_on",
            "obligation__paragraph__resolution__number",
            "obligation__paragraph__position",
            "obligation_id",
            "id",
        )[:TIMELINE_ROWS]
    )
    rows = {
        schedule.id: TimelineRow(
            schedule_id=schedule.id,
            obligation_id=schedule.obligation_id,
            resolution=schedule.obligation.paragraph.resolution,
            paragraph_number=schedule.obligation.paragraph.number,
            label=schedule.label or schedule.obligation.summary,
        )
        for schedule in schedules
    }
    deadlines = (
        s.deadlines.filter(schedule_id__in=list(rows))
        .order_by("schedule_id", "sequence")
        .values(
            "id",
            "schedule_id",
            "sequence",
            "due_on",
            *TIMING_FIELDS,
            delivered_on=F("delivery_date"),
            **TIMING_FROM_RELATED,
        )
    )
    for deadline in with_timing(s, deadlines):
        rows[deadline["schedule_id"]].deadlines.append(deadline)
    return list(rows.values()), (schedules[0].in_view if schedules else 0)


# Calendar


def calendar_days(
    s: Snapshot, first: dt.date, last: dt.date, *, per_day: int
) -> tuple[dict[dt.date, list[dict]], dict[dt.date, int]]:
    """Deadlines scheduled between `first` and `last`: at most `per_day` rows a day, and
    how many there are each day (two queries)."""
    in_range = s.deadlines.filter(scheduled_on__gte=first, scheduled_on__lte=last)
    counts = dict(
        in_range.order_by().values_list("scheduled_on").annotate(n=Count("id")).order_by()
    )
    ranked = in_range.annotate(
        rank=Window(RowNumber(), partition_by=F("scheduled_on"), order_by=F("id").asc())
    ).filter(rank__lte=per_day)
    by_day = defaultdict(list)
    for row in with_timing(s, deadline_rows(s, ranked.order_by("scheduled_on", "id"))):
        by_day[row["scheduled_on"]].append(row)
    return by_day, counts
