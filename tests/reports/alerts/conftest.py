import base64
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import redis
from django.conf import settings

from paragraphs.history import system_user
from reports.enums import ScheduleKind
from reports.services import schedule_sync_deadlines
from tests.factories import ScheduleFactory

NEW_YORK = ZoneInfo("America/New_York")
SECOND = dt.timedelta(seconds=1)


def new_york(*args) -> dt.datetime:
    """A New York wall-clock time (EDT or EST as the date says)."""
    return dt.datetime(*args, tzinfo=NEW_YORK)


def open_deadline(scheduled_on: dt.date, **schedule_fields):
    """A one-off deadline on `scheduled_on`, created through the service (cursor included)."""
    schedule = ScheduleFactory(kind=ScheduleKind.ON_DATE, on_date=scheduled_on, **schedule_fields)
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=system_user())
    return deadline


@pytest.fixture
def broker():
    """The test Redis database (REDIS_URL), emptied around the test; it is the Celery broker."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def queued_messages(client) -> list[tuple[str, list]]:
    """(task name, args) of every message waiting in Celery's default queue."""
    messages = []
    for raw in client.lrange("celery", 0, -1):
        envelope = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        messages.append((envelope["headers"]["task"], args))
    return messages
