"""The copies' protocol (mandate_tracker.copies) against the real Redis: a value read
before a writer's commit is never kept as a copy after that writer held it."""

import logging

import pytest
from django.core.cache import cache
from django.db import transaction

from mandate_tracker import copies

DAY = "2023-09-01"


class Database:
    """Stands for PostgreSQL: the value now, and how often it was read."""

    def __init__(self, value):
        self.value, self.reads = value, 0

    def read(self):
        self.reads += 1
        return self.value


@pytest.fixture
def name():
    """A value's name, with no copy, epoch or hold left by another test."""
    name = "test:value:1"
    cache._cache.get_client(write=True).delete(*copies._keys(cache, name))
    return name


def _first_round_trip(name) -> list:
    """What a reader's first round trip brings back: the copy and its epoch."""
    return cache.exchange([("GET", key) for key in copies.read_keys(name)])


def _copy(name):
    return cache._cache.get_client(write=True).get(copies._keys(cache, name)[0])


def test_a_value_read_with_no_writer_about_is_kept_and_then_answered_from_the_copy(name):
    database = Database('"v1"')

    first = copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)
    second = copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)

    assert (first, second, database.reads) == ('"v1"', '"v1"', 1)
    assert _copy(name) == f'{DAY}|"v1"'.encode()
    assert 0 < cache._cache.get_client().ttl(copies._keys(cache, name)[0]) <= copies.COPY_SECONDS


def test_a_copy_of_another_day_is_read_again(name):
    database = Database('"v1"')
    copies.current(name, _first_round_trip(name), database.read, valid_for="2023-08-31")

    value = copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)

    assert (value, database.reads) == ('"v1"', 2)
    assert _copy(name) == f'{DAY}|"v1"'.encode()


def test_a_hold_deletes_the_copy_and_nothing_is_kept_until_it_is_released(name):
    database = Database('"v1"')
    copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)

    nonce = copies.hold([name])  # a writer, before its write
    during = [copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)]
    database.value = '"v2"'  # its commit
    during.append(copies.current(name, _first_round_trip(name), database.read, valid_for=DAY))
    copies.release([name], nonce)
    after = copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)

    assert (during, after) == (['"v1"', '"v2"'], '"v2"')
    assert database.reads == 1 + 2 + 1  # every read while held went to the database
    assert _copy(name) == f'{DAY}|"v2"'.encode()


def test_a_write_between_the_readers_round_trip_and_its_store_keeps_the_old_value_out(name):
    """The reader's first round trip, then a writer holds, commits and releases while the
    reader reads the database (and sees the old value): it must not store it."""
    database = Database('"v1"')
    raw = _first_round_trip(name)

    def read_during_a_write():
        value = database.read()
        copies.release([name], copies.hold([name]))
        database.value = '"v2"'
        return value

    stale = copies.current(name, raw, read_during_a_write, valid_for=DAY)

    assert stale == '"v1"'  # what the reader read, answered to this request only
    assert _copy(name) is None
    assert copies.current(name, _first_round_trip(name), database.read, valid_for=DAY) == '"v2"'


def test_a_hold_that_was_never_released_stops_storing_only_until_it_expires(name):
    database = Database('"v1"')
    copies.hold([name])  # a writer that rolled back, or died
    copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)
    assert _copy(name) is None

    holds = copies._keys(cache, name)[2]
    client = cache._cache.get_client(write=True)
    (nonce,) = client.zrange(holds, 0, -1)
    client.zadd(holds, {nonce: 1})  # expired long ago, by Redis's clock
    copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)

    assert _copy(name) == f'{DAY}|"v1"'.encode()


def test_nothing_read_is_kept_when_the_value_is_missing(name):
    assert copies.current(name, _first_round_trip(name), Database(None).read, valid_for=DAY) is None
    assert _copy(name) is None


@pytest.mark.django_db
def test_withdraw_holds_at_once_and_releases_at_the_commit(
    name, django_capture_on_commit_callbacks
):
    database = Database('"v1"')
    copies.current(name, _first_round_trip(name), database.read, valid_for=DAY)
    holds = copies._keys(cache, name)[2]
    client = cache._cache.get_client(write=True)

    with django_capture_on_commit_callbacks(execute=True):
        copies.withdraw([name])
        assert (_copy(name), client.zcard(holds)) == (None, 1)

    assert client.zcard(holds) == 0


def test_withdraw_outside_a_transaction_is_refused(name):
    with pytest.raises(transaction.TransactionManagementError):
        copies.withdraw([name])


def test_without_redis_there_are_no_copies(settings, name):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    database = Database('"v1"')

    assert copies.read_keys(name) == ()
    assert copies.hold([name]) is None
    values = [copies.current(name, None, database.read, valid_for=DAY) for _ in range(2)]

    assert (values, database.reads) == (['"v1"', '"v1"'], 2)


def test_a_writer_that_cannot_reach_redis_goes_on_and_says_so(settings, name, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "mandate_tracker.cache.ReusedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    with caplog.at_level(logging.WARNING, logger="mandate_tracker.copies"):
        nonce = copies.hold([name])
        copies.release([name], nonce)

    assert nonce is None
    assert "may outlive this write by up to 300 s" in caplog.text
