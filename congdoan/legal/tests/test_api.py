"""The legal API: asking (the CLI's JSON list plus curated answers), an article in force or
on a day, public and rate-limited per address."""

from __future__ import annotations

import pytest

from congdoan.legal import api
from congdoan.legal.tests import lawdata

pytestmark = pytest.mark.django_db

ASK = "/api/v1/legal/ask"


def test_ask_answers_like_the_cli_with_curated_answers(client, labour_code, answer_a):
    response = client.get(ASK, {"q": "nghi phep nam duoc bao nhieu ngay", "top": 3})
    assert response.status_code == 200
    body = response.json()
    first = body["articles"][0]
    assert set(first) == {"law_id", "article", "title", "score", "clause", "url"}
    assert (first["law_id"], first["article"], first["title"]) == (
        lawdata.CODE_ID,
        "113",
        "Nghỉ hằng năm",
    )
    assert first["url"] == "/phap-luat/van-ban/45-2019-qh14/dieu-113/"
    assert len(body["articles"]) <= 3
    answer = body["answers"][0]
    assert answer["id"] == answer_a.pk and answer["url"] == f"/phap-luat/tra-loi/{answer_a.pk}/"
    assert answer["citations"][0]["label"] == "khoản 1 Điều 113 Bộ luật Lao động 2019"
    assert answer["citations"][0]["url"].endswith("/dieu-113/#khoan-1")


@pytest.mark.parametrize(
    ("question", "field", "words"),
    [
        ("", "problem", "Hãy viết câu hỏi"),
        ("How many days of annual leave do I get?", "problem", "tiếng Việt"),
        ("nghỉ phép năm " * 900, "notice", "1.000 ký tự"),
        ("<script>alert(1)</script>' OR 1=1 --", "question", "<script>"),
    ],
)
def test_ask_never_fails_on_bad_input(client, labour_code, question, field, words):
    response = client.get(ASK, {"q": question, "top": 999})
    assert response.status_code == 200
    assert words in response.json()[field]


def test_ask_with_a_wrong_top_is_a_422_not_a_500(client, labour_code):
    assert client.get(ASK, {"q": "nghỉ phép", "top": "nhiều"}).status_code == 422


def test_article_in_force_and_on_another_day(client, amended_code):
    url = f"/api/v1/legal/laws/{amended_code.slug}/articles/113"
    body = client.get(url).json()
    assert body["law_id"] == lawdata.CODE_ID and body["title"] == "Nghỉ hằng năm"
    assert body["in_force"] is True and body["effective_from"] == "2025-01-01"
    assert "như sau: 14 ngày" in body["clauses"][0]["text"]
    assert body["clauses"][0]["points"][0]["letter"] == "a"
    older = client.get(url, {"ngay": "2024-06-01"}).json()
    assert "như sau: 12 ngày" in older["clauses"][0]["text"]
    assert client.get(url, {"ngay": "hôm qua"}).status_code == 422


def test_unknown_law_or_article_is_a_404(client, labour_code):
    assert client.get("/api/v1/legal/laws/khong-co/articles/1").status_code == 404
    response = client.get(f"/api/v1/legal/laws/{labour_code.slug}/articles/999")
    assert response.status_code == 404 and "detail" in response.json()


def test_api_is_rate_limited_per_address(client, labour_code, monkeypatch):
    monkeypatch.setattr(api, "CALLS_PER_MINUTE", 2)
    url = f"/api/v1/legal/laws/{labour_code.slug}/articles/113"
    assert client.get(url).status_code == 200
    assert client.get(ASK, {"q": "nghỉ phép"}).status_code == 200
    assert client.get(ASK, {"q": "nghỉ phép"}).status_code == 429
    assert client.get(url).status_code == 429
