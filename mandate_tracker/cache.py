"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's backend builds a new `redis.Redis` object for every cache operation, and building
one (its table of response callbacks) costs more than the round trip to Redis itself. The
API reads its token cache on every request, so the client is made once and reused; it is
thread-safe, like the pool it draws connections from.

The API also reads a token and counts its rate limit in one round trip (`get_and_count`),
on a connection each thread keeps for itself: it sends the commands in one write and reads
their replies, where redis-py's pipeline (checking out a pooled connection, probing it,
recording metrics, applying response callbacks) cost twice the exchange itself.

These helpers are how the API uses the cache, and none of them fails when Redis cannot be
reached: the API then reads tokens from PostgreSQL and counts no rate limit (it keeps
working, unlimited, rather than refusing everyone), and says so in the log.
"""

import logging
import os
import threading

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._lines = threading.local()

    def get_and_count(
        self, key: str, counter: str, expire: int, also: tuple[str, ...] = ()
    ) -> tuple[object, int, list]:
        """`get(key)`, one more hit on the integer `counter` (created to expire in `expire`
        seconds), and the raw values of the Redis keys `also`, in a single round trip."""
        counter = self.make_and_validate_key(counter)
        raw, _created, hits, *also_raw = self.exchange(
            [
                ("GET", self.make_and_validate_key(key)),
                ("SET", counter, 0, "EX", expire, "NX"),
                ("INCR", counter),
                *(("GET", other) for other in also),
            ]
        )
        return (None if raw is None else self.decode(raw)), hits, also_raw

    def decode(self, raw: bytes):
        """A value as the cache stored it, from the reply of an `exchange`."""
        return self._cache._serializer.loads(raw)

    def count(self, counter: str, expire: int) -> int:
        counter = self.make_and_validate_key(counter)
        _created, hits = self.exchange([("SET", counter, 0, "EX", expire, "NX"), ("INCR", counter)])
        return hits

    def exchange(self, commands: list[tuple]) -> list:
        """Send these commands in one write and return their replies, on this thread's own
        connection. A connection that worked before and fails now (Redis restarted, an idle
        connection dropped) is made again once; any other failure leaves it closed, so that
        no reply is ever read as another command's."""
        lines = self._lines
        if getattr(lines, "pid", None) != os.getpid():  # first use, or a forked child
            lines.connection = self._cache._get_connection_pool(write=True).make_connection()
            lines.pid, lines.worked = os.getpid(), False
        line = lines.connection
        packed = line.pack_commands(commands)
        while True:
            try:
                line.send_packed_command(packed, check_health=False)
                replies = [line.read_response() for _command in commands]
            except UNREACHABLE:
                line.disconnect()
                if not lines.worked:
                    raise
                lines.worked = False  # one new connection, then give up
                continue
            except BaseException:
                line.disconnect()
                lines.worked = False
                raise
            lines.worked = True
            return replies


def get_and_count(
    key: str, counter: str, expire: int, also: tuple[str, ...] = ()
) -> tuple[object, int, list | None]:
    """The default cache's value for `key`, the hits on `counter` with one more, and the
    raw values of the Redis keys `also` (a copy's `read_keys`): one round trip on Redis.
    Elsewhere (`make run`'s memory cache) the cache's own calls, and no raw values (None).
    (None, 0, None) if Redis cannot be reached."""
    backend = caches["default"]
    try:
        if isinstance(backend, ReusedClientRedisCache):
            return backend.get_and_count(key, counter, expire, also)
        return backend.get(key), count(counter, expire), None
    except UNREACHABLE as error:
        _unreachable(error)
        return None, 0, None


def count(counter: str, expire: int) -> int:
    """One more hit on `counter`, atomically (concurrent workers are all counted); 0 if
    Redis cannot be reached."""
    backend = caches["default"]
    try:
        if isinstance(backend, ReusedClientRedisCache):
            return backend.count(counter, expire)
        backend.add(counter, 0, expire)
        return backend.incr(counter)
    except UNREACHABLE as error:
        _unreachable(error)
        return 0


def add(key: str, value, timeout: int) -> bool:
    """`cache.add`: False if the key exists, or if Redis cannot be reached."""
    try:
        return caches["default"].add(key, value, timeout)
    except UNREACHABLE as error:
        _unreachable(error)
        return False


def put(key: str, value, timeout: int) -> bool:
    """`cache.set`: False if Redis cannot be reached."""
    try:
        caches["default"].set(key, value, timeout)
    except UNREACHABLE as error:
        _unreachable(error)
        return False
    return True


def _unreachable(error: Exception) -> None:
    logger.warning("Redis cannot be reached (%s): the API goes on without its cache.", error)
