"""The standard cast, shared by every app's tests.

- `district_officer`: Office officer of the district federation PX (sees PX's subtree and
  anonymous workers' contacts);
- `officer_a`, `officer_b`: grassroots officers of units A and B under PX;
- `member`: a member of unit A with a login;
- `client` is Django's anonymous client; `client_of(user)` logs someone in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from congdoan.orgs.tests.factories import CastFactory


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
