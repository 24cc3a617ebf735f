"""Geometry of the timeline chart: pure arithmetic from dates to SVG coordinates.

The template draws what this computes. The chart is vector SVG with shapes that differ by
outline as well as colour (hollow = not yet delivered, filled = delivered, cross =
overdue), so it stays readable printed in black and white.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from paragraphs.dates import clamp
from reports.dashboard.selectors import TimelineRow
from reports.schedule import add_months

WIDTH = 1000
LABEL_WIDTH = 300
RIGHT_MARGIN = 20
TOP = 34  # room for the month labels
ROW_HEIGHT = 24
PADDING_DAYS = 7


@dataclass(frozen=True)
class Tick:
    x: float
    date: dt.date
    labelled: bool
    show_year: bool = False


@dataclass
class Mark:
    deadline: dict
    x: float
    nominal_x: float | None = None
    delivered_x: float | None = None

    @property
    def title(self) -> str:
        """The tooltip; made here, not in the template, because a chart has hundreds."""
        d = self.deadline
        parts = [
            f"#{d['sequence']}",
            _("nominal %(day)s") % {"day": date_format(d["due_on"])},
        ]
        if self.nominal_x is not None:
            parts.append(_("scheduled %(day)s") % {"day": date_format(d["scheduled_on"])})
        if d["delivered_on"]:
            parts.append(_("delivered %(day)s") % {"day": date_format(d["delivered_on"])})
        parts.append(str(d["timing_label"]))
        return " · ".join(parts)


@dataclass
class ChartRow:
    y: float
    label: str
    obligation_id: int | None = None
    resolution: object = None
    band: tuple[float, float] | None = None  # x and width of the mandate period
    marks: list[Mark] = field(default_factory=list)

    @property
    def is_header(self) -> bool:
        return self.obligation_id is None

    @property
    def mid_y(self) -> float:
        return self.y + ROW_HEIGHT / 2

    @property
    def text_y(self) -> float:
        return self.y + ROW_HEIGHT / 2 + 4


@dataclass
class Chart:
    width: int
    height: float
    plot_left: int
    plot_right: int
    start: dt.date
    end: dt.date
    today: dt.date
    today_x: float | None
    rows: list[ChartRow]
    ticks: list[Tick]

    @property
    def today_after_end(self) -> bool:
        return self.today_x is None and self.today > self.end

    @property
    def today_before_start(self) -> bool:
        return self.today_x is None and self.today < self.start


def _dates(rows: list[TimelineRow]):
    """Every date the chart places, moved into the tracked window: the database refuses
    dates outside it, and the chart would still draw one that got there some other way."""
    for row in rows:
        resolution = row.resolution
        for day in (resolution.adopted_on, resolution.mandate_expires_on):
            if day:
                yield clamp(day)
        for deadline in row.deadlines:
            for day in (deadline["due_on"], deadline["scheduled_on"], deadline["delivered_on"]):
                if day:
                    yield clamp(day)


def _ticks(start: dt.date, end: dt.date, scale) -> list[Tick]:
    """First day of each month; on long periods only quarters (or years) carry a label."""
    months = (end.year - start.year) * 12 + end.month - start.month
    every = 1 if months <= 18 else 3 if months <= 48 else 12
    ticks = []
    day = start.replace(day=1)
    if day < start:
        day = add_months(day, 1)
    while day <= end:
        labelled = (day.month - 1) % every == 0
        show_year = labelled and (day.month == 1 or not any(t.labelled for t in ticks))
        ticks.append(Tick(x=scale(day), date=day, labelled=labelled, show_year=show_year))
        day = add_months(day, 1)
    return ticks


def layout(rows: list[TimelineRow], *, today: dt.date) -> Chart | None:
    """Place every schedule on one row, grouped under its resolution's mandate period."""
    dates = list(_dates(rows))
    if not dates:
        return None
    start = min(dates) - dt.timedelta(days=PADDING_DAYS)
    end = max(dates) + dt.timedelta(days=PADDING_DAYS)
    plot_left, plot_right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN
    span = (end - start).days

    def scale(day: dt.date) -> float:
        return round(plot_left + (clamp(day) - start).days / span * (plot_right - plot_left), 1)

    def band(resolution) -> tuple[float, float] | None:
        if resolution.adopted_on and resolution.mandate_expires_on:
            left = scale(resolution.adopted_on)
            return left, round(scale(resolution.mandate_expires_on) - left, 1)
        return None

    chart_rows: list[ChartRow] = []
    y = TOP
    current = None
    for row in rows:
        if row.resolution != current:
            current = row.resolution
            chart_rows.append(
                ChartRow(y=y, label=current.symbol, resolution=current, band=band(current))
            )
            y += ROW_HEIGHT
        marks = []
        for deadline in row.deadlines:
            mark = Mark(deadline=deadline, x=scale(deadline["scheduled_on"]))
            if deadline["due_on"] != deadline["scheduled_on"]:
                mark.nominal_x = scale(deadline["due_on"])
            if deadline["delivered_on"]:
                mark.delivered_x = scale(deadline["delivered_on"])
            marks.append(mark)
        chart_rows.append(
            ChartRow(
                y=y,
                label=f"{row.paragraph_number} · {row.label}",
                obligation_id=row.obligation_id,
                resolution=row.resolution,
                band=band(row.resolution),
                marks=marks,
            )
        )
        y += ROW_HEIGHT
    return Chart(
        width=WIDTH,
        height=y + 8,
        plot_left=plot_left,
        plot_right=plot_right,
        start=start,
        end=end,
        today=today,
        today_x=scale(today) if start <= today <= end else None,
        rows=chart_rows,
        ticks=_ticks(start, end, scale),
    )
