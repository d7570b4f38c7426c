"""The standard cast, shared by every app's tests.

- `district_officer`: Office officer of the district federation PX (sees PX's subtree and
  anonymous workers' contacts);
- `officer_a`, `officer_b`: grassroots officers of units A and B under PX;
- `member`: a member of unit A with a login;
- `client` is Django's anonymous client; `client_of(user)` logs someone in.

Tests marked `browser`, `tesseract` or `datasets` skip where that part is missing, and fail
instead under `CI=true` (congdoan/testing.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
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
