"""The standard cast, shared by every app's tests.

- `district_officer`: Office officer of the district federation PX (sees PX's subtree and
  anonymous workers' contacts);
- `officer_a`, `officer_b`: grassroots officers of units A and B under PX;
- `member`: a member of unit A with a login;
- `client` is Django's anonymous client; `client_of(user)` logs someone in.

Tests marked `browser`, `tesseract` or `datasets` skip where that part is missing, and fail
instead under `CI=true` (congdoan/testing.py). `rq_worker` sends tasks to Redis and runs the
real RQ worker until the queues are empty.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from congdoan import testing
from congdoan.library import ocr
from congdoan.orgs.tests.factories import CastFactory

# What each marker needs, and how to tell why it is missing (None: it is here).
MARKER_PROBES = {
    "browser": testing.browser_unavailable,
    "tesseract": ocr.unavailable_reason,
    "datasets": testing.datasets_unavailable,
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    testing.require_for_markers(item, MARKER_PROBES)


@pytest.fixture(autouse=True)
def _vietnamese() -> Any:
    """Every test starts in Vietnamese, whatever the test before it switched to."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Every test starts with an empty cache (the tests' in-process LocMemCache): rate-limit
    counters and kept pages of the tests before it would otherwise decide its answers. A
    shared cache (REDIS_URL set in the environment) is left alone."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        backend.clear()
    yield


@pytest.fixture
def cast(db: Any) -> CastFactory:
    return CastFactory.build()


@pytest.fixture
def district_officer(cast: CastFactory) -> Any:
    return cast.district_officer


@pytest.fixture
def officer_a(cast: CastFactory) -> Any:
    return cast.officer_a


@pytest.fixture
def officer_b(cast: CastFactory) -> Any:
    return cast.officer_b


@pytest.fixture
def member(cast: CastFactory) -> Any:
    return cast.member_user


@pytest.fixture
def admin_user(cast: CastFactory) -> Any:
    return cast.admin


@pytest.fixture
def client_of() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        c = Client()
        c.force_login(user, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
        return c

    return make


def database_url() -> str:
    """The URL of the database this test uses *now* (pytest-django renamed it to the test one),
    for a worker process started by the test."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


@pytest.fixture
def rq_worker(settings: Any) -> Iterator[Callable[[], str]]:
    """Tasks go to Redis (RQ), as in production with REDIS_URL; calling the fixture runs the
    real worker process (`congdoan worker --batch`, RQ's burst mode) on this test's database
    until the queues are empty, and returns what it printed. Needs `django_db(transaction=True)`
    (the worker reads only what is committed) and Redis (REDIS_URL_FOR_TESTS)."""
    testing.require("redis", testing.redis_unreachable(testing.REDIS_URL_FOR_TESTS))
    queues = redis.Redis.from_url(testing.REDIS_URL_FOR_TESTS)
    queues.flushdb()  # this process's own Redis database: nothing left by an earlier test
    settings.TASKS_BACKEND = "rq"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": list(django_settings.TASK_QUEUES),
        }
    }
    settings.RQ_QUEUES = {
        name: {"URL": testing.REDIS_URL_FOR_TESTS} for name in django_settings.TASK_QUEUES
    }

    def run_batch() -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(
            DATABASE_URL=database_url(),
            TASKS_BACKEND="rq",
            REDIS_URL=testing.REDIS_URL_FOR_TESTS,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            FEEDBACK_TRAINED_MODEL_DIR=str(settings.FEEDBACK_TRAINED_MODEL_DIR),
            DJANGO_SETTINGS_MODULE="congdoan.config.settings",
        )
        done = subprocess.run(
            [sys.executable, "-m", "congdoan.config.cli", "worker", "--batch"],
            env=env,
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    yield run_batch
    queues.flushdb()
