import pytest
from django.core.cache import cache
from redis.exceptions import ResponseError

from mandate_tracker.cache import count, get_and_count


def test_the_redis_cache_reuses_one_client_and_round_trips_values():
    client = cache._cache.get_client(write=True)

    cache.set("mt:test-cache", {"digest": "abc", "permissions": ["a.b"]}, 5)

    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads and writes share a pool
    assert cache.get("mt:test-cache") == {"digest": "abc", "permissions": ["a.b"]}
    assert cache.add("mt:test-cache", "other", 5) is False
    cache.delete("mt:test-cache")
    assert cache.get("mt:test-cache") is None


@pytest.mark.parametrize("memory_cache", [False, True], ids=["redis", "memory-cache"])
def test_get_and_count_reads_a_value_and_counts_one_more_hit(settings, memory_cache):
    if memory_cache:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.set("mt:test-value", {"read_only": True}, 5)
    cache.delete("mt:test-hits")

    first = get_and_count("mt:test-value", "mt:test-hits", 5)
    second = get_and_count("mt:test-missing", "mt:test-hits", 5)
    third = count("mt:test-hits", 5)

    # Raw values of other keys come only from Redis (a memory cache has no raw keys).
    no_raw = None if memory_cache else []
    assert first == ({"read_only": True}, 1, no_raw)
    assert second == (None, 2, no_raw)
    assert third == 3 == cache.get("mt:test-hits")


def test_get_and_count_also_reads_raw_keys_in_the_same_round_trip():
    client = cache._cache.get_client(write=True)
    client.set("mt:test-raw", b"raw bytes")
    client.delete("mt:test-absent")
    cache.delete("mt:test-hits")

    value, hits, raw = get_and_count(
        "mt:test-missing", "mt:test-hits", 5, also=("mt:test-raw", "mt:test-absent")
    )

    assert (value, hits, raw) == (None, 1, [b"raw bytes", None])


def test_a_counter_made_in_redis_expires_and_keeps_its_expiry_when_counted():
    cache.delete("mt:test-hits")
    client = cache._cache.get_client(write=True)

    count("mt:test-hits", 5)
    client.expire(cache.make_key("mt:test-hits"), 3)  # as if two seconds had passed
    get_and_count("mt:test-value", "mt:test-hits", 5)

    assert 0 < client.ttl(cache.make_key("mt:test-hits")) <= 3


def test_a_connection_dropped_by_redis_is_made_again_once_and_counts_once():
    cache.delete("mt:test-hits")
    assert count("mt:test-hits", 5) == 1
    (line_id,) = cache.exchange([("CLIENT", "ID")])
    client = cache._cache.get_client(write=True)

    assert client.client_kill_filter(_id=line_id) == 1  # as a Redis restart would
    hits = count("mt:test-hits", 5)

    assert hits == 2 == cache.get("mt:test-hits")
    assert cache.exchange([("CLIENT", "ID")]) != [line_id]


def test_an_error_reply_closes_the_connection_so_no_reply_is_read_out_of_turn():
    client = cache._cache.get_client(write=True)
    client.delete(cache.make_key("mt:test-value"), cache.make_key("mt:test-hits"))
    client.rpush(cache.make_key("mt:test-value"), "a list, not a value")

    with pytest.raises(ResponseError, match="WRONGTYPE"):  # the first of three replies
        get_and_count("mt:test-value", "mt:test-hits", 5)
    client.delete(cache.make_key("mt:test-value"))
    cache.set("mt:test-value", "value", 5)

    assert get_and_count("mt:test-value", "mt:test-hits", 5) == ("value", 2, [])
    assert get_and_count("mt:test-missing", "mt:test-hits", 5) == (None, 3, [])
