"""What an obligation's deadline summary must say, recomputed from its deadlines by the
pure rules of `reports.schedule` (the oracle the stored summaries are held to)."""

import datetime as dt

from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import Deadline


def expected_summary(obligation_id: int) -> dict:
    deadlines = list(
        Deadline.objects.filter(schedule__obligation_id=obligation_id).select_related(
            "schedule__obligation__paragraph__resolution"
        )
    )
    # Every recorded delivery has happened by the last day there is.
    timings = [d.timing(dt.date.max) for d in deadlines]
    open_deadlines = [d for d in deadlines if d.state == DeadlineState.OPEN]
    return {
        "next_deadline": rules.next_deadline(
            (d.scheduled_on, d.state == DeadlineState.OPEN) for d in deadlines
        ),
        "overdue_from": min(
            (
                rules.first_overdue_day(d.scheduled_on, d.schedule.tolerance_days)
                for d in open_deadlines
            ),
            default=None,
        ),
        "deadlines": len(deadlines),
        "open": len(open_deadlines),
        "delivered_on_time": timings.count(rules.Timing.ON_TIME),
        "delivered_late": timings.count(rules.Timing.LATE),
        "delivered_unconfirmed": timings.count(rules.Timing.UNCONFIRMED),
        "waived": timings.count(rules.Timing.WAIVED),
    }


EMPTY = {
    "next_deadline": None,
    "overdue_from": None,
    "deadlines": 0,
    "open": 0,
    "delivered_on_time": 0,
    "delivered_late": 0,
    "delivered_unconfirmed": 0,
    "waived": 0,
}
