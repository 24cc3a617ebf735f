"""Copies in Redis of values whose truth is in PostgreSQL, never older than a commit.

The API's conditional GETs keep the ETag of each object they answer here, so that a
"not modified" needs no query (reports/etag_copies.py names them and withdraws them).
A copy may only ever hold what PostgreSQL holds now, so writers and readers keep to one
protocol (a lease, in effect), each step one atomic script in Redis:

1. A writer, inside its transaction and before it writes, *holds* each value it will
   change: the copy is deleted, the value's epoch moves on, and a hold is recorded
   (expiring after HOLD_SECONDS, so that a writer that died or rolled back cannot keep it
   for ever).
2. After its commit it *releases* the hold: the copy is deleted again and the epoch moves
   on again.
3. A reader with no copy reads the epoch (in a round trip it makes anyway), then the
   value from PostgreSQL, and *stores* it only if the epoch is still the one it read and
   no hold is current. A value read before some writer's commit is therefore never
   stored after that writer held it: either the epoch moved (the writer held or released
   in between) or the hold is still there (the writer has not released yet), and a copy
   stored before the hold was deleted by it, before the commit made it wrong.

So a copy is as exact as the query it replaces, for every write that holds first. Two
limits, both bounded by COPY_SECONDS, the longest a copy lives: a write that cannot reach
Redis to hold proceeds (a reader that can may still see an older copy), and a write
transaction open longer than HOLD_SECONDS outlives its hold.

Without Redis (`make run`'s memory cache) there are no copies: `read_keys` is empty and
every step does nothing, so readers always read PostgreSQL.
"""

import logging
import secrets

from django.core.cache import caches
from django.db import transaction

from mandate_tracker.cache import UNREACHABLE, ReusedClientRedisCache

logger = logging.getLogger(__name__)

COPY_SECONDS = 300
HOLD_SECONDS = 600  # longer than any write transaction should last
EPOCH_SECONDS = 86_400  # idle a day, an epoch starts again from nothing

# KEYS: the copy, its epoch, its holds (a sorted set: nonce → expiry, Redis's clock in ms).
_NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "
_HOLD = (
    _NOW_MS + "redis.call('DEL', KEYS[1]) "
    "redis.call('INCR', KEYS[2]) redis.call('EXPIRE', KEYS[2], ARGV[3]) "
    "redis.call('ZADD', KEYS[3], now + ARGV[2] * 1000, ARGV[1]) "
    "redis.call('EXPIRE', KEYS[3], ARGV[2]) return 1"
)
_RELEASE = (
    "redis.call('DEL', KEYS[1]) "
    "redis.call('INCR', KEYS[2]) redis.call('EXPIRE', KEYS[2], ARGV[2]) "
    "redis.call('ZREM', KEYS[3], ARGV[1]) return 1"
)
_STORE = (
    "if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 0 end "
    + _NOW_MS
    + "redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now) "
    "if redis.call('ZCARD', KEYS[3]) > 0 then return 0 end "
    "redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1"
)


def _redis() -> ReusedClientRedisCache | None:
    backend = caches["default"]
    return backend if isinstance(backend, ReusedClientRedisCache) else None


def _keys(backend: ReusedClientRedisCache, name: str) -> tuple[str, str, str]:
    # One hash tag: the three keys of a name live on one node of a Redis cluster.
    return tuple(
        backend.make_and_validate_key(f"mt:copy{part}:{{{name}}}")
        for part in ("", "-epoch", "-holds")
    )


def _run(backend: ReusedClientRedisCache, script: str, names: list[str], *args) -> None:
    """One of the scripts above for each name, in one round trip."""
    backend.exchange([("EVAL", script, 3, *_keys(backend, name), *args) for name in names])


def read_keys(name: str) -> tuple[str, ...]:
    """The Redis keys a reader gets in its first round trip: the copy and its epoch (give
    their raw values to `current`). Empty without Redis."""
    backend = _redis()
    return () if backend is None else _keys(backend, name)[:2]


def hold(names: list[str]) -> str | None:
    """Step 1 for these values (before the write, in its transaction); the nonce that
    releases them, None if there was nothing to hold or Redis could not be reached."""
    backend = _redis()
    if backend is None or not names:
        return None
    nonce = secrets.token_hex(8)
    try:
        _run(backend, _HOLD, names, nonce, HOLD_SECONDS, EPOCH_SECONDS)
    except UNREACHABLE as error:
        logger.warning(
            "Redis cannot be reached (%s): copies of %s may outlive this write by up to %s s.",
            error,
            ", ".join(names),
            COPY_SECONDS,
        )
        return None
    return nonce


def release(names: list[str], nonce: str | None) -> None:
    """Step 2 (after the commit). Without it the holds expire by themselves."""
    backend = _redis()
    if backend is None or nonce is None:
        return
    try:
        _run(backend, _RELEASE, names, nonce, EPOCH_SECONDS)
    except UNREACHABLE as error:
        logger.warning("Redis cannot be reached (%s): holds expire in %s s.", error, HOLD_SECONDS)


def withdraw(names: list[str]) -> None:
    """Hold these values now and release them when the current transaction commits."""
    if not transaction.get_connection().in_atomic_block:
        # on_commit would release at once, before the write it should follow.
        raise transaction.TransactionManagementError("Copies are withdrawn inside a transaction.")
    nonce = hold(names)
    if nonce is not None:
        transaction.on_commit(lambda: release(names, nonce))


def current(name: str, raw: list | None, read, valid_for: str) -> str | None:
    """The value named `name`: its copy if there is one labelled `valid_for`, otherwise
    `read()` (from PostgreSQL), then stored as the copy if no writer has come between.

    `raw` is what Redis answered for `read_keys(name)`; when it was not asked (no Redis,
    or it could not be reached) only `read()` answers. A copy is labelled
    with what it depends on besides the data, here the day (an ETag says "overdue").
    """
    if not raw:
        return read()
    copy, epoch = raw
    if copy is not None:
        label, _bar, value = copy.decode().partition("|")
        if label == valid_for:
            return value
    value = read()
    if value is not None:
        try:
            _run(_redis(), _STORE, [name], epoch or b"", f"{valid_for}|{value}", COPY_SECONDS)
        except UNREACHABLE as error:
            logger.warning("Redis cannot be reached (%s): no copy of %s kept.", error, name)
    return value
