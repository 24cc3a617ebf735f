import datetime as dt

import pytest
from django.conf import settings

from mandate_tracker.celery import app as celery_app
from reports import tasks
from reports.alerts.models import Alert, AlertDelivery
from tests.reports.alerts.conftest import new_york, open_deadline


def test_beat_runs_the_scan_every_minute_and_drops_stale_ticks():
    entry = settings.CELERY_BEAT_SCHEDULE["scan-deadlines"]

    assert celery_app.tasks[entry["task"]].name == tasks.scan_deadlines.name
    assert entry["schedule"] == 60.0
    assert entry["options"]["expires"] < entry["schedule"]


def test_task_names_are_explicit():
    assert (tasks.scan_deadlines.name, tasks.send_deliveries.name) == (
        "reports.scan_deadlines",
        "reports.send_deliveries",
    )


@pytest.mark.django_db
def test_the_tasks_run_the_tick_and_the_sender(frozen_clock, analyst, mailoutbox):
    frozen_clock.move_to(new_york(2023, 7, 14, 12))
    deadline = open_deadline(dt.date(2023, 8, 13))
    deadline.schedule.obligation.assigned_analyst = analyst
    deadline.schedule.obligation.save(update_fields=["assigned_analyst"])
    analyst.email = "ana@example.org"
    analyst.save(update_fields=["email"])
    frozen_clock.move_to(new_york(2023, 7, 30, 9))

    tasks.scan_deadlines()
    tasks.send_deliveries(list(AlertDelivery.objects.values_list("pk", flat=True)))

    assert list(Alert.objects.values_list("rule", flat=True)) == ["lead-14d"]
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
