from django.core.cache import cache


def test_the_redis_cache_reuses_one_client_and_round_trips_values():
    client = cache._cache.get_client(write=True)

    cache.set("mt:test-cache", {"digest": "abc", "permissions": ["a.b"]}, 5)

    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads and writes share a pool
    assert cache.get("mt:test-cache") == {"digest": "abc", "permissions": ["a.b"]}
    assert cache.add("mt:test-cache", "other", 5) is False
    cache.delete("mt:test-cache")
    assert cache.get("mt:test-cache") is None
