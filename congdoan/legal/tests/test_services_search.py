"""Importing laws (versions, amendments, all-or-nothing) and asking them (ranking, bad input,
the version in force, curated answers), through the services and selectors."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import override_settings

from congdoan.audit.models import AuditEntry
from congdoan.legal import selectors, services
from congdoan.legal.models import (
    Article,
    ArticleVersion,
    AskedQuestion,
    CuratedAnswer,
    Law,
)
from congdoan.legal.search import resources
from congdoan.legal.search.engine import LegalIndex, Passage
from congdoan.legal.services.questions import mask, question_key
from congdoan.legal.tests import lawdata

pytestmark = pytest.mark.django_db


@pytest.fixture
def laws(db):
    services.import_laws([lawdata.code(), lawdata.decree()], source="test")
    return Law.objects.get(law_id=lawdata.CODE_ID)


def _top(question: str, **kw) -> list[tuple[str, str]]:
    return [(h.law.law_id, h.article.number) for h in selectors.ask(question, **kw).articles]


# ------------------------------------------------------------------ import


def test_import_writes_laws_articles_versions_and_audit(laws):
    assert laws.kind == "bo_luat" and laws.slug == "45-2019-qh14"
    assert laws.short_name == "Bộ luật Lao động 2019"
    article = Article.objects.get(law=laws, number="113")
    version = article.version_on(dt.date(2026, 1, 1))
    assert version is not None and version.effective_from == dt.date(2021, 1, 1)
    assert version.clauses[0]["points"][0]["letter"] == "a"
    assert Law.objects.get(law_id=lawdata.DECREE_ID).slug == "145-2020-nd-cp"
    assert AuditEntry.objects.filter(action="legal.law.import").count() == 2


def test_reimport_of_the_same_text_changes_nothing(laws):
    report = services.import_laws([lawdata.code()])
    assert report.unchanged == len(lawdata.code().articles)
    assert report.new_versions == report.corrected == 0
    assert ArticleVersion.objects.filter(article__law=laws).count() == 6


def test_amendment_adds_a_version_closes_the_old_and_flags_citing_answers(
    laws, district_officer, cast
):
    article = Article.objects.get(law=laws, number="113")
    answer = services.answer_create(
        actor=district_officer,
        unit=cast.district,
        question="Nghỉ phép năm được mấy ngày?",
        answer="12 ngày nếu làm đủ 12 tháng.",
        cited=[(article, "1")],
        publish=True,
    )
    report = services.import_laws([lawdata.code(leave_days=14)], effective_from=dt.date(2027, 1, 1))
    assert report.new_versions == 1 and report.flagged_answers == 1
    old, new = article.versions.order_by("effective_from")
    assert old.effective_to == dt.date(2027, 1, 1) and new.effective_from == dt.date(2027, 1, 1)
    answer.refresh_from_db()
    assert answer.needs_review and "Điều 113" in answer.review_reason
    # answered from the text in force on the day asked
    hit = selectors.ask("nghỉ hằng năm bao nhiêu ngày", day=dt.date(2026, 6, 1)).articles[0]
    assert hit.version is not None
    assert hit.article.number == "113" and "12 ngày" in hit.version.text
    hit = selectors.ask("nghỉ hằng năm bao nhiêu ngày", day=dt.date(2027, 6, 1)).articles[0]
    assert hit.version is not None and "14 ngày" in hit.version.text
    # reviewing moves the citation to the new text and clears the flag
    services.answer_mark_reviewed(actor=district_officer, answer=answer)
    answer.refresh_from_db()
    assert not answer.needs_review
    assert answer.citations.get().version == new


def test_a_failing_import_writes_nothing(db):
    with (
        mock.patch("congdoan.legal.services.laws._import_one", side_effect=[None, RuntimeError]),
        pytest.raises(RuntimeError),
    ):
        services.import_laws([lawdata.code(), lawdata.decree()])
    assert not Law.objects.exists()


def test_import_command_refuses_a_file_with_broken_numbering(db, tmp_path: Path):
    broken = tmp_path / "luat.txt"
    broken.write_text(
        "QUỐC HỘI\nLuật số: 99/2030/QH15\nLUẬT THỬ\nĐiều 1. Một\nNội dung.\nĐiều 3. Ba\n"
        "Nội dung.\nĐiều 2. Hai\nNội dung.\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Điều 2"):
        call_command("legal", "import", str(broken), "--no-embed")
    assert not Law.objects.exists()


def test_import_command_reads_plain_text_and_ask_prints_json(db, tmp_path: Path):
    text = tmp_path / "luat.txt"
    text.write_text(
        "QUỐC HỘI\nLuật số: 45/2019/QH14\nBỘ LUẬT LAO ĐỘNG\nChương VII\nTHỜI GIỜ NGHỈ NGƠI\n"
        "Điều 113. Nghỉ hằng năm\n1. Người lao động làm việc đủ 12 tháng thì được nghỉ hằng "
        "năm 12 ngày.\n2. Làm chưa đủ 12 tháng thì nghỉ theo tỷ lệ.\n"
        "Điều 114. Ngày nghỉ hằng năm tăng theo thâm niên làm việc\nCứ đủ 05 năm làm việc thì "
        "số ngày nghỉ hằng năm được tăng thêm tương ứng 01 ngày.\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("legal", "import", str(text), "--no-embed", stdout=out)
    assert "2 điều" in out.getvalue()
    out = StringIO()
    call_command(
        "legal", "ask", "nghi phep nam duoc bao nhieu ngay", "--top", "2", "--json", stdout=out
    )
    rows = json.loads(out.getvalue())
    assert [(r["law_id"], r["article"]) for r in rows] in (
        [("45/2019/QH14", "113"), ("45/2019/QH14", "114")],
        [("45/2019/QH14", "114"), ("45/2019/QH14", "113")],
    )
    assert {r["title"] for r in rows} >= {"Nghỉ hằng năm"}
    assert all(isinstance(r["score"], float) and r["score"] > 0 for r in rows)


# ------------------------------------------------------------------ asking


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("nghi phep nam duoc bao nhieu ngay", "113"),
        ("Nghỉ phép năm được bao nhiêu ngày?", "113"),
        ("công ty giữ bằng gốc của em có đúng không", "17"),
        ("lam them gio tinh luong the nao", "98"),
        ("tăng ca tối đa mấy tiếng một tháng", "107"),
        ("nghỉ đẻ được mấy tháng", "139"),
        ("Điều 107", "107"),
    ],
)
def test_worker_questions_find_the_article(laws, question, expected):
    assert _top(question, top=3)[0] == (lawdata.CODE_ID, expected)


def test_the_answering_clause_is_named(laws):
    hit = selectors.ask("nghỉ việc mà chưa nghỉ hết phép năm có được trả tiền không").articles[0]
    assert hit.article.number == "113" and hit.clause == "3"


def test_a_decree_yields_to_the_code_on_the_same_words(laws):
    assert _top("số ngày nghỉ hằng năm")[0] == (lawdata.CODE_ID, "113")


def test_a_heading_only_article_is_still_found(laws):
    assert (lawdata.CODE_ID, "170") in _top("quyền gia nhập công đoàn")


@pytest.mark.parametrize("question", ["", "   ", "???", "ạ"])
def test_an_empty_question_is_told_what_to_write(laws, question):
    result = selectors.ask(question)
    assert not result.articles and result.problem


def test_a_long_question_is_cut_and_the_worker_told(laws):
    result = selectors.ask("nghỉ phép năm " * 1000)
    assert len(result.question) == selectors.MAX_QUESTION_CHARS
    assert result.notice and result.articles[0].article.number == "113"


def test_an_english_question_gets_a_clear_answer(laws):
    result = selectors.ask("How many days of annual leave do I get per year?")
    assert not result.articles and "tiếng Việt" in result.problem


@pytest.mark.parametrize(
    "question",
    ["' OR 1=1; DROP TABLE legal_article; --", "<script>alert(1)</script> nghỉ phép", "%_\\"],
)
def test_sql_and_html_are_only_words(laws, question):
    selectors.ask(question)
    assert Article.objects.count() == 7


def test_nothing_imported_says_so(db):
    assert "Chưa có văn bản" in selectors.ask("nghỉ phép năm").problem


def test_a_curated_answer_that_fits_comes_first_and_answers_citing_the_article(
    laws, cast, district_officer
):
    article = Article.objects.get(law=laws, number="17")
    services.answer_create(
        actor=district_officer,
        unit=cast.district,
        question="Công ty giữ bằng tốt nghiệp gốc có đúng luật không?",
        variants="cty giu bang goc\ncông ty giữ CCCD",
        answer="Không. Công ty không được giữ bản chính văn bằng, giấy tờ tùy thân của bạn.",
        cited=[(article, "1")],
        publish=True,
    )
    services.answer_create(
        actor=district_officer,
        unit=cast.district,
        question="Bản nháp chưa đăng về giữ bằng gốc",
        answer="…",
        cited=[(article, "")],
    )
    result = selectors.ask("cty giữ bằng gốc của em")
    assert [a.answer.question for a in result.answers] == [
        "Công ty giữ bằng tốt nghiệp gốc có đúng luật không?"
    ]
    assert result.answers[0].direct


def test_the_index_follows_new_texts_without_a_restart(laws):
    assert _top("nghỉ hằng năm")[0][1] == "113"
    services.import_laws([lawdata.code(leave_days=15)], effective_from=dt.date(2020, 1, 1))
    version = selectors.ask("nghỉ hằng năm").articles[0].version
    assert version is not None and "15 ngày" in version.text


# ------------------------------------------------------------------ questions asked


def test_questions_are_kept_masked_and_grouped(laws):
    for text in (
        "Nghỉ phép năm được mấy ngày? 0912 345 678",
        "nghi phep nam duoc may ngay",
        "giờ làm đêm tính sao, mail em a.b@example.vn",
    ):
        services.record_question(selectors.ask(text))
    rows = list(AskedQuestion.objects.order_by("pk"))
    assert "0912" not in rows[0].text and "@" not in rows[2].text
    assert rows[0].key == rows[1].key
    listed = selectors.unanswered_questions()
    assert listed[0].count == 2 and listed[0].key == rows[0].key


def test_helpful_is_recorded_once(laws):
    asked = services.record_question(selectors.ask("nghỉ phép năm"))
    assert asked is not None
    assert services.mark_helpful(asked.pk, False)
    assert not services.mark_helpful(asked.pk, True)
    asked.refresh_from_db()
    assert asked.helpful is False
    assert selectors.unanswered_questions()[0].unhelpful == 1


def test_mask_and_key():
    assert mask("sdt +84 912 345 678 cccd 001234567890") == "sdt … cccd …"
    assert question_key("Nghỉ phép năm được mấy ngày?") == question_key("nghi phep nam dc may ngay")


def test_drafts_are_seen_only_in_scope(laws, cast, officer_a, officer_b):
    services.answer_create(
        actor=officer_a, unit=cast.unit_a, question="Câu hỏi của CĐ A", answer="…"
    )
    assert selectors.answers_for_officer(officer_a).count() == 1
    assert selectors.answers_for_officer(officer_b).count() == 0
    with pytest.raises(PermissionDenied):
        services.answer_create(
            actor=officer_b, unit=cast.unit_a, question="Không phải của tôi", answer="…"
        )
    assert CuratedAnswer.objects.count() == 1


# ------------------------------------------------------------------ the engine alone


def test_engine_matches_without_marks_and_by_dictionary_words():
    passages = [
        Passage(key=1, clause="", title="Nghỉ hằng năm", text="được nghỉ 12 ngày", number="113"),
        Passage(key=2, clause="", title="Hợp đồng lao động", text="hợp đồng bằng văn bản"),
        Passage(key=3, clause="", title="Bảo vệ thai sản", text="lao động nữ mang thai"),
    ]
    index = LegalIndex(passages, resources.analyzer(), resources.synonyms())
    assert index.search("hop dong")[0].key == 2
    assert index.search("nghỉ phép")[0].key == 1  # the workers' word for it
    assert index.search("nghi de")[0].key == 3
    assert index.search("em ơi là gì vậy") == []
    assert "hop_dong" in index.query_terms("ký hợp đồng")


@pytest.mark.skipif("not __import__('congdoan.text.embed', fromlist=['x']).available()")
@override_settings(LEGAL_EMBEDDINGS=True)
def test_meaning_is_embedded_and_used(laws):
    from congdoan.legal import embedding

    written = embedding.embed_versions()
    assert written == ArticleVersion.objects.count()
    built = selectors.search_index()
    assert built.semantic
    # no word in common with "Nghỉ thai sản": found by meaning
    hit = selectors.ask("vợ tôi sắp sinh em bé, cô ấy được ở nhà bao lâu").articles
    assert hit and hit[0].article.number == "139"


@pytest.mark.skipif("not __import__('congdoan.text.embed', fromlist=['x']).available()")
@override_settings(LEGAL_EMBEDDINGS=True)
def test_meaning_waits_until_every_text_is_embedded(laws):
    from congdoan.legal import embedding

    first = ArticleVersion.objects.order_by("pk").first()
    assert first is not None
    embedding.embed_versions([first.pk])
    assert not selectors.search_index().semantic


def test_a_concern_about_something_else_gets_no_weak_suggestions(laws):
    from congdoan.legal.hooks_feedback import suggested_articles

    assert suggested_articles("công ty giữ bằng gốc của em")[0].label.endswith(
        "Điều 17 Bộ luật Lao động 2019"
    )
    assert suggested_articles("căng tin cho ăn cơm thiu, cả xưởng bị đau bụng phải đi viện") == []
