"""Fixtures of the surveys tests: a survey of each kind of question, an XLSForm builder, and
core's browser fixtures."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook

from congdoan.core.tests.test_browser import browser, phone, phone_no_js  # noqa: F401 (fixtures)
from congdoan.surveys.models import Kind, Survey
from congdoan.surveys.services.surveys import QuestionSpec, survey_create, survey_open

QUESTIONS = [
    QuestionSpec(
        kind=Kind.SINGLE,
        text="Kênh nào thuận tiện nhất?",
        required=True,
        options=[("web", "Website"), ("zalo", "Zalo"), ("loa", "Loa phát thanh")],
    ),
    QuestionSpec(
        kind=Kind.MULTIPLE,
        text="Bạn xem tin lúc nào?",
        options=[("sang", "Sáng sớm"), ("trua", "Nghỉ trưa"), ("toi", "Buổi tối")],
    ),
    QuestionSpec(
        kind=Kind.SCALE, text="Mức hài lòng", scale_points=5, low_label="Kém", high_label="Tốt"
    ),
    QuestionSpec(
        kind=Kind.MATRIX,
        text="Quan tâm các nội dung",
        rows=[("luong", "Tiền lương"), ("bh", "Bảo hiểm")],
        columns=[("1", "Ít"), ("2", "Vừa"), ("3", "Nhiều")],
    ),
    QuestionSpec(kind=Kind.TEXT, text="Góp ý khác"),
]


def make_survey(
    actor: Any,
    unit: Any,
    *,
    title: str = "Khảo sát thử",
    audience: str = "members",
    anonymous: bool = True,
    questions: Sequence[QuestionSpec] = QUESTIONS,
    open_it: bool = True,
) -> Survey:
    survey = survey_create(
        actor=actor,
        unit=unit,
        title=title,
        audience=audience,
        is_anonymous=anonymous,
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=7),
        questions=list(questions),
    )
    if open_it:
        survey_open(actor=actor, survey=survey)
    return survey


@pytest.fixture
def survey_a(cast: Any) -> Survey:
    """An open, anonymous members' survey of unit A (five kinds of question)."""
    return make_survey(cast.officer_a, cast.unit_a, title="Khảo sát của CĐ A")


@pytest.fixture
def named_district(cast: Any) -> Survey:
    """An open members' survey of the district (reaches A and B), not anonymous."""
    return make_survey(
        cast.district_officer, cast.district, title="Khảo sát quận có tên", anonymous=False
    )


@pytest.fixture
def public_survey(cast: Any) -> Survey:
    return make_survey(cast.officer_a, cast.unit_a, title="Khảo sát công khai", audience="public")


def xlsform(
    survey: Sequence[Sequence[Any]],
    choices: Sequence[Sequence[Any]] | None = None,
    *,
    title: str | None = "Biểu mẫu thử",
    headers: Sequence[str] = ("type", "name", "label", "required", "appearance", "constraint"),
) -> bytes:
    """An XLSForm workbook as ODK/Kobo write it: survey, choices, settings sheets."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    sheet.append(list(headers))
    for row in survey:
        sheet.append(list(row))
    if choices is not None:
        c = book.create_sheet("choices")
        c.append(["list_name", "name", "label"])
        for row in choices:
            c.append(list(row))
    if title:
        s = book.create_sheet("settings")
        s.append(["form_title", "form_id"])
        s.append([title, "bieu_mau"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
