"""The cache every process shares: the database table `congdoan_cache`, or Redis when set.

Rate limits live there, so a process-local cache would multiply every limit by the number of
processes. `migrate` creates the table (and `congdoan check --deploy` warns when the configured
cache is process-local).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.management import call_command

PROCESS_LOCAL_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def create_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: create the database cache's table when it is missing (idempotent).

    Whatever this process's own cache is: a test database is migrated by a process on the
    local-memory cache, yet the worker and web processes a test starts use the table.
    """
    call_command("createcachetable", settings.CACHE_TABLE, database=using, verbosity=0)


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(**kwargs: Any) -> list[checks.CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_BACKENDS:
        return []
    return [
        checks.Warning(
            f"The default cache ({backend}) lives in one process: every rate limit is"
            " multiplied by the number of processes.",
            hint="Leave CACHES to the settings (the database cache, made by `congdoan migrate`)"
            " or set REDIS_URL.",
            id="congdoan.W001",
        )
    ]


class _PooledClient(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool: Django's own makes
    a new one on every cache call (about 0.2 ms of CPU each; a contest's answer makes several
    through the rate limits)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # Django's private helpers, which its stubs do not declare
        index = django_client._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = django_client._get_connection_pool(write)
            client = self._clients[index] = django_client._client(connection_pool=pool)
        return client


class PooledRedisCache(RedisCache):
    """The cache backend when REDIS_URL is set (settings.CACHES): Django's RedisCache with
    the client above."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _PooledClient
