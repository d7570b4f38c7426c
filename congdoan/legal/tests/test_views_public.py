"""The worker's legal pages, as an anonymous visitor on a phone uses them: asking (with and
without marks, empty, too long, English, markup and SQL), "did this help?", sending the
question to the union, the laws, an article in its versions, a curated answer."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from congdoan.core import page_cache
from congdoan.legal import services
from congdoan.legal.models import AskedQuestion, Law
from congdoan.legal.tests import lawdata
from congdoan.legal.tests.conftest import AMENDED_ON
from congdoan.legal.views import public

pytestmark = pytest.mark.django_db

ASK = "/phap-luat/"


def _ask(client: Client, question: str) -> Any:
    return client.get(ASK, {"q": question})


def _form_fields(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the first form posting to `action` (CSRF token included)."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}">(.*?)</form>', html, re.S)
    assert form, f"no form for {action}"
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)))


def test_url_names_are_where_the_issue_says() -> None:
    assert reverse("legal:ask") == "/phap-luat/"
    assert reverse("legal:to_concern", args=[5]) == "/phap-luat/gui-y-kien/5/"
    assert reverse("legal:laws") == "/phap-luat/van-ban/"
    assert reverse("legal:law", args=["45-2019-qh14"]) == "/phap-luat/van-ban/45-2019-qh14/"
    assert reverse("legal:article", args=["45-2019-qh14", "113"]).endswith("/dieu-113/")
    assert reverse("legal:answer", args=[3]) == "/phap-luat/tra-loi/3/"


def test_empty_page_shows_the_form_and_example_questions_and_is_kept(client, labour_code, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    response = client.get(ASK)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hỏi đáp pháp luật" in html and 'name="q"' in html
    assert "?q=Ngh%E1%BB%89%20ph%C3%A9p%20n%C4%83m" in html  # an example as a link
    assert 'method="post"' not in html  # nothing personal: the page may be kept
    assert page_cache.lookup(RequestFactory().get(ASK)) is not None
    assert AskedQuestion.objects.count() == 0


def test_question_with_marks_shows_answer_articles_and_the_clause_highlighted(
    client, labour_code, answer_a
):
    html = _ask(client, "Nghỉ phép năm được bao nhiêu ngày?").content.decode()
    assert "Công đoàn đã trả lời" in html and "Làm đủ 12 tháng thì được nghỉ 12 ngày" in html
    assert "/dieu-113/#khoan-1" in html  # the answer's citation, to the clause
    assert "Điều 113. Nghỉ hằng năm" in html and "Bộ luật Lao động 2019" in html
    assert "<mark>" in html and "<b>nghỉ</b>" in html
    assert "<details>" in html  # the rest of the article folded
    assert html.index("Công đoàn đã trả lời") < html.index("Điều luật liên quan")
    asked = AskedQuestion.objects.get()
    assert asked.text == "Nghỉ phép năm được bao nhiêu ngày?" and asked.answer == answer_a


def test_question_without_marks_finds_the_same_article(client, labour_code):
    html = _ask(client, "lam them gio tinh luong the nao").content.decode()
    assert "Điều 98. Tiền lương làm thêm giờ" in html
    assert "<b>làm</b>" in html  # the worker's unmarked words found in the marked text


def test_question_page_is_never_kept_and_each_visitor_gets_their_own(client, labour_code, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    _ask(client, "nghỉ phép năm")
    _ask(Client(), "nghỉ phép năm")
    assert AskedQuestion.objects.count() == 2
    assert page_cache.lookup(RequestFactory().get(ASK, {"q": "nghỉ phép năm"})) is None
    assert "private" in _ask(client, "nghỉ phép năm")["Cache-Control"]


def test_empty_question_says_what_to_write_and_records_nothing(client, labour_code):
    response = _ask(client, "   ")
    assert response.status_code == 200
    assert "Hãy viết câu hỏi của bạn" in response.content.decode()
    assert AskedQuestion.objects.count() == 0


def test_ten_thousand_characters_are_refused_by_the_form_and_the_start_answered(
    client, labour_code
):
    response = _ask(client, ("nghỉ phép năm được mấy ngày " * 400)[:10_000])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Câu hỏi dài quá" in html and "2000" in html
    assert "chỉ 1.000 ký tự đầu" in html
    assert "Điều 113" in html
    assert len(AskedQuestion.objects.get().text) <= 500


def test_english_question_is_told_to_ask_in_vietnamese(client, labour_code):
    html = _ask(client, "How many days of annual leave do I get?").content.decode()
    assert "chỉ trả lời câu hỏi bằng tiếng Việt" in html
    assert "Gửi câu hỏi này cho Công đoàn" in html


@pytest.mark.parametrize(
    "question",
    ["<script>alert('x')</script> nghỉ phép", "' OR 1=1 --", '"><img src=x onerror=alert(1)>'],
)
def test_markup_and_sql_in_the_question_are_shown_as_text(client, labour_code, question):
    response = _ask(client, question)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert Law.objects.count() == 2


def test_helpful_is_recorded_once_only(labour_code):
    browser = Client(enforce_csrf_checks=True)
    html = _ask(browser, "nghỉ phép năm được mấy ngày").content.decode()
    asked = AskedQuestion.objects.get()
    action = reverse("legal:helpful", args=[asked.pk])
    fields = _form_fields(html, action)
    first = browser.post(action, {**fields, "helpful": "0"})
    assert first.status_code == 200
    assert "chưa giúp được bạn" in first.content.decode()
    assert "Gửi câu hỏi này cho Công đoàn" in first.content.decode()  # offered at once
    second = browser.post(action, {**fields, "helpful": "1"})
    assert "Bạn đã trả lời câu này rồi" in second.content.decode()
    asked.refresh_from_db()
    assert asked.helpful is False


def test_helpful_needs_the_key_of_the_question_given(client, labour_code):
    _ask(client, "nghỉ phép năm")
    asked = AskedQuestion.objects.get()
    response = client.post(reverse("legal:helpful", args=[asked.pk]), {"helpful": "1", "k": "x"})
    assert response.status_code == 404
    asked.refresh_from_db()
    assert asked.helpful is None


def test_helpful_is_rate_limited_per_address(client, labour_code, monkeypatch):
    monkeypatch.setattr(public, "VOTES_PER_MINUTE", 1)
    _ask(client, "nghỉ phép năm")
    _ask(client, "làm thêm giờ")
    first, second = AskedQuestion.objects.order_by("pk")
    for asked, status in ((first, 200), (second, 429)):
        response = client.post(
            reverse("legal:helpful", args=[asked.pk]),
            {"helpful": "1", "k": public.asked_token(asked.pk)},
        )
        assert response.status_code == status
    second.refresh_from_db()
    assert second.helpful is None


def test_to_concern_marks_the_question_and_opens_the_form_with_it_written_in(labour_code):
    browser = Client(enforce_csrf_checks=True)
    question = "Công ty giữ bằng gốc của em, gọi 0912345678"
    html = _ask(browser, question).content.decode()
    asked = AskedQuestion.objects.get()
    assert "0912345678" not in asked.text  # kept masked
    action = reverse("legal:to_concern", args=[asked.pk])
    response = browser.post(action, _form_fields(html, action))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("feedback:submit")
    assert parse_qs(target.query)["noi_dung"] == [question]  # the worker's own words
    asked.refresh_from_db()
    assert asked.turned_into_concern is True
    form = browser.get(response["Location"]).content.decode()
    assert "Công ty giữ bằng gốc của em, gọi 0912345678" in form  # written in the form


def test_to_concern_with_a_wrong_key_is_a_404(client, labour_code):
    _ask(client, "nghỉ phép năm")
    asked = AskedQuestion.objects.get()
    response = client.post(reverse("legal:to_concern", args=[asked.pk]), {"k": "nope"})
    assert response.status_code == 404
    assert client.get(reverse("legal:to_concern", args=[asked.pk])).status_code == 405


def test_laws_and_a_law_by_chapter_with_heading_only_articles(client, labour_code):
    html = client.get(reverse("legal:laws")).content.decode()
    assert "Bộ luật Lao động" in html and "145/2020/NĐ-CP" in html
    html = client.get(labour_code.get_absolute_url()).content.decode()
    assert "Điều 113. Nghỉ hằng năm" in html
    assert re.search(r"Điều 170\. Quyền thành lập.*?chưa nhập nội dung", html, re.S)


def test_article_in_force_its_versions_and_another_day(client, amended_code, answer_a):
    url = reverse("legal:article", args=[amended_code.slug, "113"])
    html = client.get(url).content.decode()
    assert "như sau: 14 ngày" in html and 'id="khoan-1"' in html
    assert "Các phiên bản" in html and "?ngay=2025-01-01" in html
    assert "Làm đủ 12 tháng thì được nghỉ 12 ngày" in html  # the answer citing it
    assert "dieu-107/" in html and "dieu-139/" in html  # previous, next
    html = client.get(url, {"ngay": "2024-06-01"}).content.decode()
    assert "như sau: 12 ngày" in html and "như sau: 14 ngày" not in html
    assert "Nội dung có hiệu lực vào" in html
    response = client.get(url, {"ngay": "2024-13-45"})
    assert response.status_code == 200 and "Không đọc được ngày" in response.content.decode()
    assert "như sau: 14 ngày" in response.content.decode()


def test_kept_law_page_is_renewed_when_a_law_is_imported(client, labour_code, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    url = reverse("legal:article", args=[labour_code.slug, "113"])
    assert "như sau: 12 ngày" in client.get(url).content.decode()
    assert page_cache.lookup(RequestFactory().get(url)) is not None
    services.import_laws([lawdata.code(leave_days=14)], effective_from=AMENDED_ON)
    assert "như sau: 14 ngày" in client.get(url).content.decode()


def test_heading_only_article_says_its_text_is_not_imported(client, labour_code):
    html = client.get(reverse("legal:article", args=[labour_code.slug, "170"])).content.decode()
    assert "chưa được nhập" in html


@pytest.mark.parametrize(
    "url",
    ["/phap-luat/van-ban/khong-co/", "/phap-luat/van-ban/45-2019-qh14/dieu-999/"],
)
def test_unknown_law_or_article_is_a_404(client, labour_code, url):
    assert client.get(url).status_code == 404


def test_published_answer_is_public_with_citations_to_the_clause(client, answer_a):
    html = client.get(answer_a.get_absolute_url()).content.decode()
    assert "Nghỉ phép năm được bao nhiêu ngày?" in html
    assert "/dieu-113/#khoan-1" in html and "khoản 1 Điều 113 Bộ luật Lao động 2019" in html


def test_draft_answer_only_for_officers_who_may_edit_it(
    client, client_of, draft_b, officer_a, officer_b, district_officer
):
    url = draft_b.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client_of(officer_a).get(url).status_code == 404
    assert client_of(officer_b).get(url).status_code == 200
    assert client_of(district_officer).get(url).status_code == 200


def test_pages_work_in_english(client, labour_code, answer_a):
    client.get("/ngon-ngu/", {"lang": "en", "next": ASK})
    for url in (
        ASK,
        f"{ASK}?q=nghi+phep+nam",
        f"{ASK}?q=How+many+days+off",
        reverse("legal:laws"),
        labour_code.get_absolute_url(),
        reverse("legal:article", args=[labour_code.slug, "113"]),
        answer_a.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode()


def test_home_page_links_to_the_questions(client, db):
    assert reverse("legal:ask") in client.get("/").content.decode()


def test_officer_asking_gets_a_link_to_answer_it(client_of, officer_a, labour_code):
    html = client_of(officer_a).get(ASK, {"q": "thử việc"}).content.decode()
    assert "/phap-luat/quan-ly/tra-loi/moi/?q=th%E1%BB%AD%20vi%E1%BB%87c" in html


def test_control_characters_in_the_question_are_no_error_page(client, labour_code):
    response = client.get(ASK, {"q": "nghỉ\x00 phép\x1b"})
    assert response.status_code < 500


def test_without_any_law_the_pages_say_so(client, db):
    html = _ask(client, "nghỉ phép năm").content.decode()
    assert "Chưa có văn bản pháp luật nào được nhập" in html
    assert (
        "Chưa có văn bản pháp luật nào được nhập"
        in client.get("/phap-luat/van-ban/").content.decode()
    )


def test_an_officers_markup_in_an_answer_is_shown_as_text(client, labour_code, cast):
    answer = services.answer_create(
        actor=cast.officer_a,
        unit=cast.unit_a,
        question="Nghỉ phép năm <b>mấy</b> ngày?",
        answer="<script>alert(1)</script>\nDòng hai",
        cited=[(labour_code.articles.get(number="113"), "")],
        publish=True,
    )
    for url in (answer.get_absolute_url(), f"{ASK}?q=nghi+phep+nam+may+ngay"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
        assert "<b>mấy</b>" not in html
