"""Optimistic locking under real parallel requests: 20 threads, one ETag, real HTTP against
the live server and PostgreSQL (each request on its own connection); and conditional GETs
while a write is in flight."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

from paragraphs.services import obligation_update
from reports.enums import ScheduleKind
from reports.services import schedule_sync_deadlines
from tests.api.live import LIVE
from tests.factories import ObligationFactory, ScheduleFactory

pytestmark = LIVE
WRITERS = 20


def _race(url: str, method: str, body: dict, token: str, etag: str) -> list[int]:
    """Send the same write from WRITERS threads at once; their statuses, sorted."""
    start = threading.Barrier(WRITERS)

    def write(_n):
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            method=method,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "If-Match": etag,
            },
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(WRITERS) as pool:
        return sorted(pool.map(write, range(WRITERS)))


def _etag(url: str, token: str) -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["ETag"]


def test_parallel_patches_with_one_etag_exactly_one_wins(live_server, write_token):
    obligation = ObligationFactory()
    url = f"{live_server.url}/api/v1/obligations/{obligation.pk}/"
    etag = _etag(url, write_token)

    statuses = _race(url, "PATCH", {"status": "in_progress"}, write_token, etag)

    assert statuses == [200] + [412] * (WRITERS - 1)
    obligation.refresh_from_db()
    assert (obligation.status, obligation.version) == ("in_progress", 2)
    assert obligation.history.count() == 2  # created, and the one change


def test_parallel_deliveries_of_one_deadline_exactly_one_wins(live_server, write_token, analyst):
    schedule = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=30)
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=analyst)
    url = f"{live_server.url}/api/v1/deadlines/{deadline.pk}/"
    etag = _etag(url, write_token)

    statuses = _race(f"{url}deliver/", "POST", {"delivered_on": "2023-08-14"}, write_token, etag)

    assert statuses == [200] + [412] * (WRITERS - 1)
    deadline.refresh_from_db()
    assert (deadline.state, deadline.version, deadline.history.count()) == ("delivered", 2, 2)


def _conditional(url: str, token: str, etag: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {token}", "If-None-Match": etag}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["ETag"]
    except urllib.error.HTTPError as error:
        return error.code, error.headers["ETag"]


def test_a_conditional_get_during_a_write_answers_what_is_committed(
    live_server, read_token, analyst
):
    """A writer waits before its commit: readers meanwhile get the committed state, and the
    first read after the commit sees the change."""
    obligation = ObligationFactory()
    url = f"{live_server.url}/api/v1/obligations/{obligation.pk}/"
    before = _etag(url, read_token)
    assert _conditional(url, read_token, before) == (304, before)
    written, commit = threading.Event(), threading.Event()

    def write():
        try:
            with transaction.atomic():
                obligation_update(obligation=obligation, by=analyst, status="in_progress")
                written.set()
                commit.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    assert written.wait(timeout=30)
    during = [_conditional(url, read_token, before) for _ in range(2)]
    commit.set()
    writer.join(timeout=30)
    after = _conditional(url, read_token, before)

    assert during == [(304, before)] * 2  # not committed yet: not modified, truly
    assert after[0] == 200 and after[1] != before
    assert _conditional(url, read_token, after[1]) == (304, after[1])
