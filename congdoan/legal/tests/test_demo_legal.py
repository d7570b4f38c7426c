"""The legal demo (congdoan_dev/demo/legal.py): without the dataset it says how to import laws
and writes nothing; with it, the Labour Code, curated answers in every state citing the right
articles, and two months of questions for the officers' list."""

from __future__ import annotations

import time
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.content import services as content_services
from congdoan.legal import selectors
from congdoan.legal.models import (
    AnswerStatus,
    AskedQuestion,
    Citation,
    CuratedAnswer,
    Law,
)
from congdoan.orgs.models import Unit
from congdoan_dev.demo import legal as demo
from congdoan_dev.demo import orgs as orgs_demo

pytestmark = pytest.mark.django_db


def test_without_the_dataset_the_demo_says_how_to_import_laws(monkeypatch: Any, tmp_path):
    monkeypatch.setenv("CONGDOAN_DATASETS", str(tmp_path))
    orgs_demo.seed()
    out = StringIO()
    demo.seed(stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1
    assert "congdoan legal import FILE" in lines[0]
    assert not Law.objects.exists() and not CuratedAnswer.objects.exists()


def test_every_demo_answer_cites_articles_in_its_own_list() -> None:
    """The curated answers name only articles they cite, and each cites at least one."""
    keys = [a.key for a in demo.ANSWERS]
    assert len(keys) == len(set(keys))
    assert sum(a.unit == "PX" for a in demo.ANSWERS) >= 12
    assert sum(a.unit == demo.GRASSROOTS for a in demo.ANSWERS) >= 1
    assert sum(a.draft for a in demo.ANSWERS) == 1
    assert sum(bool(a.review_reason) for a in demo.ANSWERS) == 1
    assert all(a.cites for a in demo.ANSWERS)
    asked = {key for _text, key, _helpful, _days in demo.QUESTIONS if key}
    assert asked <= set(keys)
    assert len(demo.QUESTIONS) >= 55
    assert all(0 < days <= 60 for *_rest, days in demo.QUESTIONS)


@pytest.mark.datasets
def test_the_demo_imports_the_code_and_writes_answers_and_questions() -> None:
    orgs_demo.seed()
    office = User.objects.get(email=demo.OFFICE_LOGIN)
    qa = content_services.product_create(
        actor=office, unit=Unit.objects.get(code="PX"), title=demo.PRODUCT_CITATIONS[0][0]
    )
    out = StringIO()
    started = time.perf_counter()
    demo.seed(stdout=out)
    assert time.perf_counter() - started < 60  # quick: no embeddings computed here
    code = Law.objects.get(law_id=demo.CODE)
    assert code.source == demo.SOURCE and code.articles.count() >= 200

    answers = CuratedAnswer.objects.all()
    assert answers.count() == len(demo.ANSWERS)
    assert answers.filter(status=AnswerStatus.DRAFT).count() == 1
    flagged = answers.get(needs_review=True)
    assert flagged.review_reason and flagged.status == AnswerStatus.PUBLISHED
    assert answers.filter(unit__code=demo.GRASSROOTS).count() == 2
    leave = answers.get(question="Nghỉ phép năm được bao nhiêu ngày?")
    assert {(c.article.number, c.clause) for c in leave.citations.all()} >= {
        ("113", "1"),
        ("114", ""),
    }
    wage = answers.get(question="Lương tối thiểu vùng năm 2026 là bao nhiêu?")
    assert {c.article.law.law_id for c in wage.citations.all()} == {"293/2025/NĐ-CP"}
    now = timezone.now()
    assert all(a.created_at <= now and (a.published_at or now) <= now for a in answers)

    asked = AskedQuestion.objects.all()
    assert asked.count() == len(demo.QUESTIONS)
    assert all(now - q.asked_at <= timedelta(days=61) for q in asked)
    assert asked.filter(helpful=False).count() >= 5
    unanswered = selectors.unanswered_questions(days=60)
    assert len(unanswered) >= 10
    assert unanswered[0].count >= 3  # the same question asked in other words, grouped

    # a worker's question finds the district's answer
    result = selectors.ask("nghi phep nam duoc bao nhieu ngay")
    assert result.articles and result.articles[0].article.number == "113"
    assert any(hit.answer.pk == leave.pk for hit in result.answers)

    cited = selectors.citations_of("content.product", qa.pk)
    assert {(c.article.number, c.clause) for c in cited} == {
        ("112", "1"),
        ("112", "3"),
        ("98", "1"),
    }

    demo.seed(stdout=StringIO())  # idempotent
    assert Citation.objects.filter(target="content.product").count() == 3
    assert CuratedAnswer.objects.count() == len(demo.ANSWERS)
    assert AskedQuestion.objects.count() == len(demo.QUESTIONS)
