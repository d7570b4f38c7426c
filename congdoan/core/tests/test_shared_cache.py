"""Rate limits are shared by every process (issue 12, finding 5): the database cache (or Redis)
holds the count, slots make it exact under concurrency, and `check --deploy` warns when the
cache is process-local."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from congdoan.feedback import services

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "congdoan_cache",
    }
}

CHILD = """
import django, sys
django.setup()
from congdoan.feedback import services
accepted = 0
for _ in range(int(sys.argv[2])):
    try:
        services.throttle_submission(sys.argv[1])
        accepted += 1
    except services.Throttled:
        pass
print(accepted)
"""


@pytest.fixture
def database_cache(settings: Any) -> None:
    """This process on the database cache, as outside tests, and its table made."""
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    return f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _start(ip: str, hits: int) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(),
        DJANGO_SETTINGS_MODULE="congdoan.config.settings",
        FEEDBACK_RATE_LIMIT_PER_MINUTE="5",
    )
    env.pop("REDIS_URL", None)
    env.pop("PYTEST_VERSION", None)  # the child runs as production does: the database cache
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, ip, str(hits)], env=env, stdout=subprocess.PIPE, text=True
    )


def _away_from_the_minute_boundary() -> None:
    """The window is the clock's minute: start well inside one, so that none of it rolls over."""
    into = time.time() % 60
    if into > 45:
        time.sleep(61 - into)


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_count(settings: Any, database_cache: None) -> None:
    settings.FEEDBACK_RATE_LIMIT_PER_MINUTE = 5
    _away_from_the_minute_boundary()
    for _ in range(3):
        services.throttle_submission("10.9.0.1")
    child = _start("10.9.0.1", 4)
    assert child.communicate(timeout=60)[0].strip() == "2"  # 3 here + 2 there = the limit
    with pytest.raises(services.Throttled):
        services.throttle_submission("10.9.0.1")


@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_accept_exactly_the_limit_in_all(database_cache: None) -> None:
    _away_from_the_minute_boundary()
    children = [_start("10.9.0.2", 20) for _ in range(3)]
    accepted = sum(int(child.communicate(timeout=60)[0]) for child in children)
    assert accepted == 5


@pytest.mark.django_db(transaction=True)
def test_migrate_creates_the_cache_table(database_cache: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE congdoan_cache")
    assert "congdoan_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "congdoan_cache" in connection.introspection.table_names()


def test_deploy_check_warns_about_a_process_local_cache() -> None:
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=local):
        out = StringIO()
        call_command("check", "--deploy", "--tag", "caches", stdout=out, stderr=out)
    assert "congdoan.W001" in out.getvalue()
    with override_settings(CACHES=DATABASE_CACHE):
        out = StringIO()
        call_command("check", "--deploy", "--tag", "caches", stdout=out, stderr=out)
    assert "congdoan.W001" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_migrate_creates_the_cache_table_even_from_a_process_on_another_cache(
    settings: Any,
) -> None:
    # As pytest-django migrates the test database: this process is on local memory, but the
    # worker and runserver processes the tests start use the table (else /healthz is 503).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "congdoan_cache" in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE congdoan_cache")
    call_command("migrate", verbosity=0)
    assert "congdoan_cache" in connection.introspection.table_names()
