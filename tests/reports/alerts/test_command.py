import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.alerts.models import Alert
from tests.reports.alerts.conftest import new_york, open_deadline

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def scan_deadlines(*args) -> str:
    out = io.StringIO()
    call_command("scan_deadlines", *args, stdout=out)
    return out.getvalue()


def test_scan_prints_the_alerts_it_raised_and_who_receives_them(frozen_clock, analyst):
    frozen_clock.move_to(new_york(2023, 7, 14, 12))
    deadline = open_deadline(dt.date(2023, 8, 13), label="Options report (30 days)")
    obligation = deadline.schedule.obligation
    obligation.assigned_analyst = analyst
    obligation.save(update_fields=["assigned_analyst"])
    analyst.email = "ana@example.org"
    analyst.save(update_fields=["email"])
    frozen_clock.move_to(new_york(2023, 8, 6, 9, 0, 30))

    output = scan_deadlines()

    assert output.splitlines() == [
        f"2023-07-30 09:00 EDT  lead-14d    {obligation.paragraph} · Options report (30 days) "
        "#1 · scheduled Sun 13 Aug 2023",
        "    → ana-analyst (email), ana-analyst (inbox)",
        f"2023-08-06 09:00 EDT  lead-7d     {obligation.paragraph} · Options report (30 days) "
        "#1 · scheduled Sun 13 Aug 2023",
        "    → ana-analyst (email), ana-analyst (inbox)",
        "Raised 2 alerts, created 4 deliveries, dispatched 1 worker message.",
    ]
    assert scan_deadlines().splitlines() == [
        "Raised 0 alerts, created 0 deliveries, dispatched 0 worker messages."
    ]


def test_replay_prints_paragraph_18_as_it_was_alerted_in_2023(res2692):
    output = scan_deadlines("--now", "2023-08-14T10:00")

    assert output.splitlines() == [
        "2023-07-30 09:00 EDT  lead-14d    S/RES/2692 (2023) op. 18 · Options report (30 days) "
        "#1 · scheduled Sun 13 Aug 2023",
        "2023-08-06 09:00 EDT  lead-7d     S/RES/2692 (2023) op. 18 · Options report (30 days) "
        "#1 · scheduled Sun 13 Aug 2023",
        "2023-08-12 09:00 EDT  lead-1d     S/RES/2692 (2023) op. 18 · Options report (30 days) "
        "#1 · scheduled Sun 13 Aug 2023",
        "2023-08-13 09:00 EDT  due         S/RES/2692 (2023) op. 18 · Options report (30 days) "
        "#1 · scheduled Sun 13 Aug 2023",
        "Raised 4 alerts, created 0 deliveries, dispatched 0 worker messages.",
    ]


def test_a_moment_without_offset_is_new_york_time(res2692):
    scan_deadlines("--now", "2023-07-30T08:59:59")
    assert not Alert.objects.exists()

    scan_deadlines("--now", "2023-07-30T09:00:00")

    assert Alert.objects.get().moment == new_york(2023, 7, 30, 9)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2999-01-01T00:00Z", "--now is in the future"),
        ("13/08/2023", "not an ISO date-time"),
    ],
)
def test_bad_moments_are_refused_and_nothing_is_written(res2692, value, message):
    with pytest.raises(CommandError, match=message):
        scan_deadlines("--now", value)

    assert not Alert.objects.exists()


def test_the_sqlite_database_of_make_run_scans_and_replays_too(tmp_path):
    """`make run` uses SQLite, where the scan takes its plain-SQL path: run it for real."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "EMAIL_URL": "dummymail://",
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    manage("load_2692")
    first = manage("scan_deadlines", "--now", "2023-08-14T10:00")
    again = manage("scan_deadlines", "--now", "2023-08-14T10:00")
    live = manage("scan_deadlines")

    assert first.splitlines()[-1] == (
        "Raised 4 alerts, created 0 deliveries, dispatched 0 worker messages."
    )
    assert "2023-08-13 09:00 EDT  due         S/RES/2692 (2023) op. 18" in first
    assert again.splitlines() == [
        "Raised 0 alerts, created 0 deliveries, dispatched 0 worker messages."
    ]
    assert live.splitlines()[-1].endswith("dispatched 0 worker messages.")
