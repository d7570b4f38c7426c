"""Fixed-window rate limits shared by every process (the cache: Redis or the database).

A counter read, incremented and written back by several processes loses hits (Django's
database cache has no atomic `incr`), so each hit takes a numbered slot with `cache.add`, which
is atomic on every shared backend (SET NX on Redis, a primary-key insert on the database).
On Redis, whose INCR is atomic, a hit is one counter instead, and the counters of one request
(`hits`: a participant's and an address's) travel in one pipelined round trip.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone


def hits(limits: Sequence[tuple[str, int]], *, window: int = 60) -> bool:
    """Count one hit against each (key, limit) in the current window; False when any of them
    had reached its limit (every key is counted all the same: one call is one hit everywhere).

    On Redis it is one round trip for all the keys (a pipeline of SET NX + INCR per key: the
    hot paths, e.g. a contest answer, count two keys on every call); elsewhere `hit` per key.
    """
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        allowed = True
        for key, limit in limits:
            allowed = hit(key, limit=limit, window=window) and allowed
        return allowed
    period = int(timezone.now().timestamp() // window)
    counted = [
        (backend.make_and_validate_key(f"ratelimit:{key}:{period}"), limit)
        for key, limit in limits
        if limit > 0
    ]
    if not counted:
        return True
    client = backend._cache.get_client(counted[0][0], write=True)
    pipe = client.pipeline(transaction=False)
    for bucket, _limit in counted:
        pipe.set(bucket, 0, ex=window + 30, nx=True)
        pipe.incr(bucket)
    results = pipe.execute()
    return all(int(results[2 * i + 1]) <= limit for i, (_bucket, limit) in enumerate(counted))


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
