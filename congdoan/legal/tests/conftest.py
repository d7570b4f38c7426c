"""Fixtures of the legal pages' tests: a small labour code and decree (tests/lawdata.py),
imported through services.import_laws as an administrator would, no dataset needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from congdoan.legal import services
from congdoan.legal.models import Article, CuratedAnswer, Law
from congdoan.legal.tests import lawdata

#: The day the amended text of Điều 113 (14 days of leave) is in force from.
AMENDED_ON = dt.date(2025, 1, 1)


@pytest.fixture
def labour_code(db: Any) -> Law:
    """The code (Điều 17, 98, 107, 113, 139 and the heading-only 170) and the decree (Điều 65)."""
    services.import_laws([lawdata.code(), lawdata.decree()], source="test")
    return Law.objects.get(law_id=lawdata.CODE_ID)


@pytest.fixture
def amended_code(labour_code: Law) -> Law:
    """The code with Điều 113 amended: 12 days until 2024, 14 days from AMENDED_ON."""
    services.import_laws([lawdata.code(leave_days=14)], effective_from=AMENDED_ON, source="test")
    return labour_code


def article(law: Law, number: str) -> Article:
    return Article.objects.select_related("law").get(law=law, number=number)


@pytest.fixture
def answer_a(labour_code: Law, cast: Any) -> CuratedAnswer:
    """A published answer of unit A about annual leave, citing khoản 1 Điều 113."""
    return services.answer_create(
        actor=cast.officer_a,
        unit=cast.unit_a,
        question="Nghỉ phép năm được bao nhiêu ngày?",
        answer="Làm đủ 12 tháng thì được nghỉ 12 ngày hưởng nguyên lương.",
        variants="nghi phep nam duoc may ngay",
        cited=[(article(labour_code, "113"), "1")],
        publish=True,
    )


@pytest.fixture
def draft_b(labour_code: Law, cast: Any) -> CuratedAnswer:
    """A draft of unit B about overtime pay, citing Điều 98."""
    return services.answer_create(
        actor=cast.officer_b,
        unit=cast.unit_b,
        question="Làm thêm giờ được trả lương thế nào?",
        answer="Ngày thường ít nhất 150%.",
        cited=[(article(labour_code, "98"), "")],
    )
