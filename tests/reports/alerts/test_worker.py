"""Round trips through a real Celery worker process on the real Redis broker.

The worker runs `celery -A mandate_tracker worker` against the test database, with the
file-based mail backend, so what it sends is read back from disk. The tests commit
(transactional database) so that the worker sees their rows.
"""

import datetime as dt
import email
import email.policy
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mandate_tracker.celery import app as celery_app
from reports.alerts import clock as alert_clock
from reports.alerts import dispatch
from reports.alerts.models import Alert, AlertDelivery
from tests.reports.alerts.conftest import open_deadline, queued_messages

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]
ROOT = Path(__file__).resolve().parents[3]
DEAD_BROKER = "redis://127.0.0.1:8109/0"  # nothing listens there


def project_env(**overrides) -> dict:
    """The environment of a project process pointed at the test database."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_HTTPS": "0",
        "DJANGO_CONN_MAX_AGE": "0",
        **overrides,
    }


@contextmanager
def celery_worker(mail_dir: Path):
    """Start a worker process, wait until it is ready, stop it on the way out."""
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "mandate_tracker",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname=alerts-test@%h",
        ],
        cwd=ROOT,
        env=project_env(EMAIL_URL=f"filemail:///{mail_dir}"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log, ready = [], threading.Event()

    def read():
        for line in process.stdout:
            log.append(line)
            if " ready." in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(timeout=90):
            raise AssertionError("The worker did not start:\n" + "".join(log))
        yield log
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=5)


def wait_for(condition, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("Timed out waiting for the worker.")
        time.sleep(0.2)


def sent_mails(mail_dir: Path) -> list[str]:
    """Subjects of the messages the file backend wrote (blocks separated by dashes)."""
    subjects = []
    for path in sorted(mail_dir.glob("*.log")):
        for block in path.read_text().split("-" * 79):
            if block.strip():
                message = email.message_from_string(block.strip(), policy=email.policy.default)
                subjects.append(str(message["Subject"]))
    return subjects


@pytest.fixture
def due_reports(analyst):
    """Two reports assigned to the analyst whose lead-14d alerts fell due four days ago."""
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - dt.timedelta(days=30), tick=False):
        deadlines = [open_deadline(today + dt.timedelta(days=10)) for _ in range(2)]
    analyst.email = "ana@example.org"
    analyst.save(update_fields=["email"])
    for deadline in deadlines:
        obligation = deadline.schedule.obligation
        obligation.assigned_analyst = analyst
        obligation.save(update_fields=["assigned_analyst"])
        assert deadline.next_alert_at < timezone.now()
    return deadlines


def test_beat_task_through_the_worker_raises_and_mails_the_alerts(due_reports, broker, tmp_path):
    with celery_worker(tmp_path):
        # What beat does every minute: publish the scan task by name.
        celery_app.send_task(alert_clock.SCAN_TASK)
        wait_for(lambda: AlertDelivery.objects.filter(channel="email", status="sent").count() == 2)

    assert sorted(Alert.objects.values_list("deadline_id", "rule")) == sorted(
        (d.pk, "lead-14d") for d in due_reports
    )
    assert len(sent_mails(tmp_path)) == 2
    assert all("Due in 14 days" in subject for subject in sent_mails(tmp_path))
    assert queued_messages(broker) == []


@pytest.mark.parametrize("flush", [False, True], ids=["clean run", "Redis flushed"])
def test_a_redis_flush_between_ticks_loses_and_duplicates_nothing(
    due_reports, broker, tmp_path, flush
):
    first_tick = timezone.now()
    alert_clock.tick(now=first_tick)  # its messages wait in Redis: no worker is running yet
    if flush:
        broker.flushdb()
    # The next tick after the lease: pending deliveries are offered again.
    alert_clock.tick(now=first_tick + dispatch.LEASE + dt.timedelta(seconds=1))

    with celery_worker(tmp_path):
        wait_for(lambda: not AlertDelivery.objects.filter(status="pending").exists())
        wait_for(lambda: queued_messages(broker) == [])

    assert sorted(Alert.objects.values_list("deadline_id", "rule")) == sorted(
        (d.pk, "lead-14d") for d in due_reports
    )
    assert sorted(AlertDelivery.objects.values_list("channel", "status", "attempts")) == [
        ("email", "sent", 1),
        ("email", "sent", 1),
        ("inbox", "sent", 0),
        ("inbox", "sent", 0),
    ]
    assert len(sent_mails(tmp_path)) == 2


def test_with_the_broker_down_a_scan_still_records_and_a_later_tick_publishes(due_reports, broker):
    result = subprocess.run(
        [sys.executable, "manage.py", "scan_deadlines"],
        cwd=ROOT,
        env=project_env(REDIS_URL=DEAD_BROKER),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "Broker unavailable" in result.stderr
    assert "Raised 2 alerts, created 4 deliveries" in result.stdout
    emails = AlertDelivery.objects.filter(channel="email", status="pending")
    assert emails.count() == 2 and queued_messages(broker) == []

    alert_clock.tick(now=timezone.now() + dispatch.LEASE)

    ((task, (ids,)),) = queued_messages(broker)
    assert (task, sorted(ids)) == (dispatch.SEND_TASK, sorted(emails.values_list("id", flat=True)))
