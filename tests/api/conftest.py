import datetime as dt
import json

import pytest
from django.core.cache import cache

from paragraphs.models import ApiToken
from paragraphs.services import api_token_create, api_token_revoke
from reports.enums import ScheduleKind
from reports.services import schedule_sync_deadlines
from tests.factories import ObligationFactory, ScheduleFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the test Redis database; each test starts from zero."""
    cache.clear()


@pytest.fixture
def make_token(db):
    """A token acting as `user`, created by that user; returns the token text."""

    def make(user, *, read_only=True, name="Test system"):
        _token, text = api_token_create(user=user, name=name, read_only=read_only, by=user)
        return text

    return make


@pytest.fixture
def read_token(make_token, analyst):
    return make_token(analyst, read_only=True)


@pytest.fixture
def write_token(make_token, analyst):
    return make_token(analyst, read_only=False)


@pytest.fixture
def revoked_token(make_token, analyst, manager):
    text = make_token(analyst, read_only=False)
    api_token_revoke(token=ApiToken.objects.get(prefix=text[3:15]), by=manager)
    return text


@pytest.fixture
def options_report(frozen_clock, analyst):
    """A one-off report due 30 days after adoption on 14 July 2023: Sunday 13 August, so
    overdue on the frozen day (1 September 2023). Returns its (only) deadline."""
    schedule = ScheduleFactory(
        obligation=ObligationFactory(key="options-report", summary="Options report"),
        kind=ScheduleKind.WITHIN_DAYS,
        within_days=30,
    )
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=analyst)
    return deadline


@pytest.fixture
def quarterly_report(frozen_clock, analyst):
    """Every three months from 15 July 2023 until 15 July 2024: four open deadlines, the
    first on 15 October 2023."""
    schedule = ScheduleFactory(
        obligation=ObligationFactory(key="quarterly-report", summary="Quarterly report"),
        kind=ScheduleKind.RECURRING,
        every_months=3,
        anchor_on=dt.date(2023, 7, 15),
    )
    return schedule_sync_deadlines(schedule=schedule, by=analyst)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Api:
    """The Django test client, speaking JSON with an optional token."""

    def __init__(self, client):
        self.client = client

    def get(self, path, token=None, headers=None, **params):
        return self.client.get(path, params, headers=self._headers(token, headers))

    def send(self, method, path, body=None, token=None, headers=None, raw=None, content_type=None):
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return getattr(self.client, method)(
            path,
            data=data,
            content_type=content_type or "application/json",
            headers=self._headers(token, headers),
        )

    def patch(self, path, body=None, **kwargs):
        return self.send("patch", path, body, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.send("post", path, body, **kwargs)

    @staticmethod
    def _headers(token, headers):
        return {**(bearer(token) if token else {}), **(headers or {})}


@pytest.fixture
def api(client):
    return Api(client)
