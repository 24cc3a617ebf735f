import datetime as dt

from paragraphs.models import Resolution
from reports.dashboard.selectors import TimelineRow
from reports.dashboard.timeline import LABEL_WIDTH, RIGHT_MARGIN, WIDTH, layout

RESOLUTION = Resolution(
    pk=1,
    symbol="S/RES/1 (2023)",
    number=1,
    year=2023,
    adopted_on=dt.date(2023, 7, 14),
    mandate_expires_on=dt.date(2024, 7, 15),
)


def _deadline(**values):
    return {"due_on": None, "scheduled_on": None, "delivered_on": None, **values}


def _row(*deadlines):
    return TimelineRow(
        schedule_id=1,
        obligation_id=1,
        resolution=RESOLUTION,
        paragraph_number=18,
        label="Options report",
        deadlines=list(deadlines),
    )


def test_layout_places_dates_on_a_linear_axis_with_a_header_per_resolution():
    rescheduled = _deadline(
        due_on=dt.date(2023, 8, 13),
        scheduled_on=dt.date(2023, 8, 20),
        delivered_on=dt.date(2023, 8, 25),
    )

    chart = layout([_row(rescheduled)], today=dt.date(2023, 9, 1))

    header, row = chart.rows
    assert header.is_header and header.label == "S/RES/1 (2023)"
    assert row.label == "18 · Options report"
    (mark,) = row.marks
    assert mark.nominal_x < mark.x < mark.delivered_x < chart.today_x
    # The axis is padded a week either side of the mandate period.
    assert chart.start == dt.date(2023, 7, 7)
    assert chart.end == dt.date(2024, 7, 22)
    assert header.band[0] == round(LABEL_WIDTH + 7 / (chart.end - chart.start).days * 680, 1)
    assert chart.plot_right == WIDTH - RIGHT_MARGIN
    assert [t.date.month for t in chart.ticks if t.labelled][:3] == [8, 9, 10]
    assert [t.date for t in chart.ticks if t.show_year] == [
        dt.date(2023, 8, 1),
        dt.date(2024, 1, 1),
    ]


def test_unchanged_dates_draw_no_nominal_or_delivery_mark():
    chart = layout(
        [_row(_deadline(due_on=dt.date(2023, 10, 15), scheduled_on=dt.date(2023, 10, 15)))],
        today=dt.date(2023, 9, 1),
    )

    (mark,) = chart.rows[1].marks
    assert (mark.nominal_x, mark.delivered_x) == (None, None)


def test_today_outside_the_period_is_not_drawn_but_said():
    chart = layout(
        [_row(_deadline(due_on=dt.date(2023, 10, 15), scheduled_on=dt.date(2023, 10, 15)))],
        today=dt.date(2026, 1, 1),
    )

    assert chart.today_x is None
    assert chart.today_after_end and not chart.today_before_start


def test_nothing_to_draw():
    assert layout([], today=dt.date(2023, 9, 1)) is None
