"""The alert clock: scan deadlines into the ledger, fan alerts out, dispatch deliveries.

Celery beat is only a clock: every step reads windows ("everything due by now that is not
done yet"), so a lost tick, a flushed broker or a killed worker is caught up by the next
tick, and every write lands on a unique constraint, so two ticks at once or a retried task
never duplicate anything.
"""

import datetime as dt
from dataclasses import dataclass

from reports.alerts.dispatch import dispatch
from reports.alerts.fan_out import fan_out
from reports.alerts.scan import ScanResult, scan

SCAN_TASK = "reports.scan_deadlines"


@dataclass
class TickResult:
    scan: ScanResult
    deliveries: int
    messages: int


def tick(*, now: dt.datetime, replay: bool = False) -> TickResult:
    """One beat of the alert clock; the Celery task and `scan_deadlines` both run this.

    1. Scan: a ledger row for every alert moment in the window, under an advisory lock.
    2. Fan out: deliveries for the new alerts (and for any a crash left behind).
    3. Dispatch: claim due deliveries and publish them in batches once committed.
    """
    scanned = scan(now=now, replay=replay)
    deliveries = fan_out(now=now)
    messages = dispatch(now=now)
    return TickResult(scan=scanned, deliveries=deliveries, messages=messages)
