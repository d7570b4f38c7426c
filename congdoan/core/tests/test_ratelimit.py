"""Rate limits (core/ratelimit.py) on the cache the site runs with: the database's or Redis's.
`hits` counts several keys in one call (one round trip on Redis) and refuses when any is full."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from congdoan import testing
from congdoan.core import ratelimit
from congdoan.core.cache import create_cache_table

BACKENDS = {
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": settings.CACHE_TABLE,
    },
    "redis": {
        "BACKEND": "congdoan.core.cache.PooledRedisCache",
        "LOCATION": testing.REDIS_URL_FOR_TESTS,
    },
}


@pytest.fixture(params=sorted(BACKENDS))
def shared_cache(request: Any, db: Any) -> Iterator[str]:
    name = request.param
    if name == "redis":
        testing.require("redis", testing.redis_unreachable(testing.REDIS_URL_FOR_TESTS))
    with override_settings(CACHES={"default": BACKENDS[name]}):
        caches["default"].close()
        del caches["default"]
        if name == "database":
            create_cache_table()
        caches["default"].clear()
        yield name
        caches["default"].clear()
        del caches["default"]


def test_hit_counts_up_to_the_limit(shared_cache):
    assert [ratelimit.hit("t:one", limit=3) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.hit("t:other", limit=3)  # another key has its own count


def test_hits_counts_every_key_and_refuses_when_any_is_full(shared_cache):
    person, address = ("t:person", 2), ("t:address", 3)
    assert ratelimit.hits([person, address])
    assert ratelimit.hits([person, address])
    assert not ratelimit.hits([person, address])  # the person's third
    # The address counted all three calls: one more for it is its fourth.
    assert not ratelimit.hits([("t:someone-else", 5), address])
    assert ratelimit.hits([("t:someone-else", 5)])


def test_hits_without_limits_counts_nothing(shared_cache):
    assert ratelimit.hits([])
    assert ratelimit.hits([("t:off", 0)])
