"""Fixed-window rate limits shared by every process (the cache: Redis or the database).

A counter read, incremented and written back by several processes loses hits (Django's
database cache has no atomic `incr`), so each hit takes a numbered slot with `cache.add`, which
is atomic on every shared backend (SET NX on Redis, a primary-key insert on the database).
On Redis, whose INCR is atomic, a hit is one counter instead: two calls (add, incr), not three.
"""

from __future__ import annotations

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone


def hit(key: str, *, limit: int, window: int = 60) -> bool:
    """Count one hit against `key` in the current window; False when `limit` were counted already.

    Steps:
    1. the window is the current `window`-second period; its keys expire soon after it ends;
    2. start at the count last seen (a hint: it may lag behind, never run ahead, since a slot
       is written before the hint);
    3. take the first free slot with `cache.add`; whoever adds a slot owns it;
    4. no free slot: refused, and the hint says so, so that a flood costs one read per hit.
    """
    if limit <= 0:
        return True
    bucket = f"ratelimit:{key}:{int(timezone.now().timestamp() // window)}"
    timeout = window + 30
    if isinstance(caches["default"], RedisCache):
        cache.add(bucket, 0, timeout=timeout)
        try:
            return int(cache.incr(bucket)) <= limit
        except ValueError:  # expired between the two calls: this hit is the window's first
            cache.add(bucket, 1, timeout=timeout)
            return True
    start = min(int(cache.get(f"{bucket}:n") or 0), limit)
    for slot in range(start, limit):
        if cache.add(f"{bucket}:{slot}", 1, timeout=timeout):
            cache.set(f"{bucket}:n", slot + 1, timeout=timeout)
            return True
    cache.set(f"{bucket}:n", limit, timeout=timeout)
    return False
