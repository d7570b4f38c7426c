"""The inbox search finds a concern whether the officer or the worker typed diacritics or not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from congdoan.feedback.models import Concern

pytestmark = pytest.mark.django_db


def _found(client: Any, query: str) -> str:
    return client.get(reverse("feedback:inbox"), {"status": "", "q": query}).content.decode()


def test_officer_finds_accented_concern_by_typing_without_diacritics(
    cast: Any, client_of: Callable[..., Any], submit: Callable[..., Concern]
) -> None:
    accented = submit("Điều dưỡng trực đêm không được nghỉ bù", unit=cast.unit_a)
    other = submit("Nhà ăn ca thiếu rau xanh", unit=cast.unit_a)
    page = _found(client_of(cast.officer_a), "nghi bu")
    assert accented.code in page and other.code not in page
    assert accented.code in _found(client_of(cast.officer_a), "DIEU  DUONG")


def test_officer_finds_unaccented_concern_by_typing_with_diacritics(
    cast: Any, client_of: Callable[..., Any], submit: Callable[..., Concern]
) -> None:
    plain = submit("cong ty cham tra luong hai tuan roi", unit=cast.unit_a)
    assert plain.search_text and "tra luong" in plain.search_text
    assert plain.code in _found(client_of(cast.officer_a), "trả lương")


def test_inbox_search_stays_within_the_officers_scope(
    cast: Any, client_of: Callable[..., Any], submit: Callable[..., Concern]
) -> None:
    theirs = submit("Điều dưỡng trực đêm không được nghỉ bù", unit=cast.unit_b)
    assert theirs.code not in _found(client_of(cast.officer_a), "nghi bu")
