"""The law used from other apps: articles suggested to an officer answering a concern, citations
that link to the article, the worker's question carried to the concern form, and content
products that cite articles (studio panel, public "Căn cứ pháp lý").

A small Labour Code is imported through `services.import_laws` (no dataset needed). The pages
run under this module's URLs: the site's, with the legal pages (the real ones when they load,
else a stand-in for the article page) and the two citation POSTs of `hooks_content`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from congdoan.config import urls as site_urls
from congdoan.content import services as content_services
from congdoan.content.models import Product, Sharing
from congdoan.content.tests.factories import published
from congdoan.feedback import services as feedback_services
from congdoan.feedback.models import Channel, Concern
from congdoan.legal import hooks_content, selectors, services
from congdoan.legal.models import Article, Citation
from congdoan.legal.parsing.types import ParsedArticle, ParsedClause, ParsedLaw


def _article_stand_in(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    return HttpResponse(f"Điều {number}")


def _legal_patterns() -> list[URLPattern | URLResolver]:
    try:
        from congdoan.legal import urls as legal_urls

        patterns = list(legal_urls.urlpatterns)
    except ImportError:  # the legal pages are being written: the article page stands in
        patterns = [
            path("van-ban/<slug:slug>/dieu-<str:number>/", _article_stand_in, name="article")
        ]
    names = {getattr(p, "name", None) for p in patterns}
    return patterns + [p for p in hooks_content.urlpatterns if p.name not in names]


urlpatterns: list[URLPattern | URLResolver] = [
    p for p in site_urls.urlpatterns if getattr(p, "namespace", None) != "legal"
] + [path("phap-luat/", include((_legal_patterns(), "legal")))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CODE = "45/2019/QH14"


def _clause(number: str, text: str) -> ParsedClause:
    return ParsedClause(number=number, text=text)


def small_code() -> ParsedLaw:
    """Four articles of the Labour Code, as printed."""
    articles = [
        ParsedArticle(
            number="17",
            title="Hành vi người sử dụng lao động không được làm khi giao kết, thực hiện hợp "
            "đồng lao động",
            text="1. Giữ bản chính giấy tờ tùy thân, văn bằng, chứng chỉ của người lao động.\n"
            "2. Yêu cầu người lao động phải thực hiện biện pháp bảo đảm bằng tiền hoặc tài "
            "sản khác cho việc thực hiện hợp đồng lao động.",
            clauses=[
                _clause(
                    "1",
                    "Giữ bản chính giấy tờ tùy thân, văn bằng, chứng chỉ của người lao động.",
                ),
                _clause(
                    "2",
                    "Yêu cầu người lao động phải thực hiện biện pháp bảo đảm bằng tiền hoặc "
                    "tài sản khác cho việc thực hiện hợp đồng lao động.",
                ),
            ],
        ),
        ParsedArticle(
            number="97",
            title="Kỳ hạn trả lương",
            text="1. Người lao động hưởng lương theo tháng được trả một tháng một lần hoặc nửa "
            "tháng một lần.\n2. Trường hợp không thể trả lương đúng hạn thì không được chậm "
            "quá 30 ngày.",
            clauses=[
                _clause(
                    "1",
                    "Người lao động hưởng lương theo tháng được trả một tháng một lần hoặc "
                    "nửa tháng một lần.",
                ),
                _clause(
                    "2",
                    "Trường hợp không thể trả lương đúng hạn thì không được chậm quá 30 ngày.",
                ),
            ],
        ),
        ParsedArticle(
            number="98",
            title="Tiền lương làm thêm giờ, làm việc vào ban đêm",
            text="1. Người lao động làm thêm giờ được trả lương vào ngày thường ít nhất bằng "
            "150%, vào ngày nghỉ hằng tuần ít nhất bằng 200%.",
            clauses=[
                _clause(
                    "1",
                    "Người lao động làm thêm giờ được trả lương vào ngày thường ít nhất bằng "
                    "150%, vào ngày nghỉ hằng tuần ít nhất bằng 200%.",
                )
            ],
        ),
        ParsedArticle(
            number="113",
            title="Nghỉ hằng năm",
            text="1. Người lao động làm việc đủ 12 tháng cho một người sử dụng lao động thì "
            "được nghỉ hằng năm, hưởng nguyên lương 12 ngày làm việc.\n2. Người lao động làm "
            "việc chưa đủ 12 tháng thì số ngày nghỉ hằng năm theo tỷ lệ tương ứng với số "
            "tháng làm việc.",
            clauses=[
                _clause(
                    "1",
                    "Người lao động làm việc đủ 12 tháng cho một người sử dụng lao động thì "
                    "được nghỉ hằng năm, hưởng nguyên lương 12 ngày làm việc.",
                ),
                _clause(
                    "2",
                    "Người lao động làm việc chưa đủ 12 tháng thì số ngày nghỉ hằng năm theo "
                    "tỷ lệ tương ứng với số tháng làm việc.",
                ),
            ],
        ),
    ]
    return ParsedLaw(
        law_id=CODE,
        title="Bộ luật Lao động",
        kind="bo_luat",
        issuer="Quốc hội",
        issued_on=date(2019, 11, 20),
        effective_from=date(2021, 1, 1),
        articles=articles,
    )


@pytest.fixture
def labour_code(db: Any) -> Any:
    services.import_laws([small_code()], source="test")
    return selectors.law_by_slug("45-2019-qh14")


def _article(number: str) -> Article:
    article = selectors.find_article(CODE, number)
    assert article is not None
    return article


def _concern(text: str, unit: Any) -> Concern:
    return feedback_services.concern_submit(text=text, unit=unit, channel=Channel.WEB)


def _field_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


# ---------------------------------------------------------------- citations as links


def test_a_citation_naming_an_imported_article_links_to_it(labour_code):
    url = "/phap-luat/van-ban/45-2019-qh14/dieu-113/"
    assert selectors.link_for_citation("khoản 1 Điều 113 Bộ luật Lao động 2019") == (
        url + "#khoan-1"
    )
    assert selectors.link_for_citation("Điều 113 BLLĐ") == url
    assert selectors.link_for_citation("khoan 2 dieu 97 bo luat lao dong") == (
        "/phap-luat/van-ban/45-2019-qh14/dieu-97/#khoan-2"
    )
    assert selectors.link_for_citation("Điều 113 Bộ luật Lao động số 45/2019/QH14") == url


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Nội quy lao động của công ty",  # no article
        "Điều 999 Bộ luật Lao động 2019",  # no such article
        "Điều 5 Nghị định 145/2020/NĐ-CP",  # a law not imported
        "Điều 113",  # no law named
    ],
)
def test_a_citation_that_names_no_imported_article_has_no_link(labour_code, text):
    assert selectors.link_for_citation(text) is None


def test_without_laws_a_citation_has_no_link(db):
    assert selectors.link_for_citation("Điều 113 Bộ luật Lao động 2019") is None
    assert selectors.suggested_articles("nghỉ phép năm được bao nhiêu ngày") == []


# ---------------------------------------------------------------- the officer's concern page


def test_the_officer_answering_a_concern_gets_articles_and_one_click_fills_the_basis(
    labour_code, cast, client_of
):
    concern = _concern(
        "Công ty giữ bằng gốc của em không trả lại, có đúng luật không?", cast.unit_a
    )
    client = client_of(cast.officer_a)
    page = client.get(f"/y-kien/hop-thu/{concern.code}/").content.decode()
    assert 'id="dieu-luat-goi-y"' in page
    assert "Điều 17 Bộ luật Lao động 2019" in page
    assert 'href="/phap-luat/van-ban/45-2019-qh14/dieu-17/' in page
    keys = re.findall(r'href="\?article=([^"&#]+)', page)
    assert 1 <= len(keys) <= 5
    article_17 = next(k for k in keys if k.startswith(str(_article("17").pk)))

    filled = client.get(f"/y-kien/hop-thu/{concern.code}/?article={article_17}").content.decode()
    label = _field_value(filled, "citation")
    assert label.endswith("Điều 17 Bộ luật Lao động 2019")
    assert _field_value(filled, "citation_url").startswith(
        "/phap-luat/van-ban/45-2019-qh14/dieu-17/"
    )
    # a key that is not one of the suggestions fills nothing
    other = client.get(f"/y-kien/hop-thu/{concern.code}/?article=999999-1").content.decode()
    assert _field_value(other, "citation") == ""


def test_without_laws_the_concern_page_says_how_to_import_them(cast, client_of):
    concern = _concern("Công ty chậm trả lương tháng 10", cast.unit_a)
    response = client_of(cast.officer_a).get(f"/y-kien/hop-thu/{concern.code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="dieu-luat-goi-y"' not in page
    assert "congdoan legal import" in page


def test_an_officer_who_cannot_see_the_concern_gets_no_suggestions(labour_code, cast):
    concern = _concern("Công ty chậm trả lương tháng 10", cast.unit_a)
    from congdoan.feedback import selectors as feedback_selectors

    assert feedback_selectors.article_suggestions(viewer=cast.officer_b, concern=concern) == []


def test_the_answer_links_its_citation_for_the_worker_and_the_officer(
    labour_code, cast, client, client_of
):
    concern = _concern("Em làm 8 tháng thì được nghỉ phép mấy ngày?", cast.unit_a)
    feedback_services.concern_answer(
        actor=cast.officer_a,
        concern=concern,
        text="Bạn được nghỉ theo tỷ lệ số tháng đã làm: 8/12 của 12 ngày, tức 8 ngày.",
        citation="khoản 2 Điều 113 Bộ luật Lao động 2019",
    )
    link = 'href="/phap-luat/van-ban/45-2019-qh14/dieu-113/#khoan-2"'
    worker_page = client.get(f"/y-kien/tra-cuu/{concern.code}/").content.decode()
    assert link in worker_page
    officer_page = client_of(cast.officer_a).get(f"/y-kien/hop-thu/{concern.code}/")
    assert link in officer_page.content.decode()


def test_correcting_a_sent_answer_also_offers_articles(labour_code, cast, client_of):
    concern = _concern("Công ty chậm trả lương tháng 10 đã 20 ngày", cast.unit_a)
    feedback_services.concern_answer(
        actor=cast.officer_a, concern=concern, text="Công đoàn đang làm việc với công ty."
    )
    client = client_of(cast.officer_a)
    page = client.get(f"/y-kien/hop-thu/{concern.code}/").content.decode()
    key = next(k for k in re.findall(r'href="\?article=([^"&#]+)', page))
    filled = client.get(f"/y-kien/hop-thu/{concern.code}/?article={key}").content.decode()
    assert "Bộ luật Lao động 2019" in _field_value(filled, "citation")
    assert "<details open>" in filled  # the correction form is shown open


def test_an_officers_own_link_is_kept(labour_code, cast, client):
    concern = _concern("Lương tháng trả chậm", cast.unit_a)
    feedback_services.concern_answer(
        actor=cast.officer_a,
        concern=concern,
        text="Công ty phải trả lương đúng kỳ đã thoả thuận.",
        citation="Điều 97 Bộ luật Lao động 2019",
        citation_url="https://example.vn/dieu-97",
    )
    page = client.get(f"/y-kien/tra-cuu/{concern.code}/").content.decode()
    assert 'href="https://example.vn/dieu-97"' in page


# ---------------------------------------------------------------- question → concern


def test_the_concern_form_is_prefilled_from_the_legal_page_and_nothing_is_sent(db, client):
    before = Concern.objects.count()
    question = "Công ty không trả lương làm thêm giờ <b>ngày chủ nhật</b>"
    response = client.get("/y-kien/gui/", {"noi_dung": question})
    page = response.content.decode()
    assert response.status_code == 200
    textarea = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None
    assert "ngày chủ nhật" in textarea.group(1)
    assert "<b>" not in textarea.group(1)  # escaped, never markup
    assert Concern.objects.count() == before
    # the union search keeps the question
    assert 'name="noi_dung"' in page


def test_a_very_long_prefill_is_cut_to_the_text_box(db, client):
    page = client.get("/y-kien/gui/", {"noi_dung": "a" * 20000}).content.decode()
    textarea = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None
    assert len(textarea.group(1).strip()) == 5000


# ---------------------------------------------------------------- content products


@pytest.fixture
def leaflet(cast: Any) -> Product:
    return content_services.product_create(
        actor=cast.officer_a,
        unit=cast.unit_a,
        title="Tờ rơi: nghỉ hằng năm được bao nhiêu ngày",
        summary="Người lao động làm đủ 12 tháng được nghỉ hằng năm 12 ngày hưởng nguyên lương.",
        body="<p>Nghỉ phép năm.</p>",
        sharing=Sharing.PUBLIC,
    )


def test_an_editor_cites_and_uncites_articles_on_a_product(labour_code, cast, client_of, leaflet):
    client = client_of(cast.officer_a)
    studio = client.get(f"/noi-dung/{leaflet.pk}/").content.decode()
    assert 'id="can-cu-phap-ly"' in studio
    assert "Thêm căn cứ" in studio
    assert "Nghỉ hằng năm" in studio  # suggested from the title and summary

    response = client.post(
        f"/phap-luat/noi-dung/{leaflet.pk}/dan-dieu-luat/",
        {"law_id": CODE, "number": "113", "clause": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/noi-dung/{leaflet.pk}/"
    cited = list(selectors.citations_of("content.product", leaflet.pk))
    assert [(c.article.number, c.clause) for c in cited] == [("113", "1")]

    studio = client.get(f"/noi-dung/{leaflet.pk}/").content.decode()
    assert "khoản 1 Điều 113 Bộ luật Lao động 2019" in studio

    suggestion = _article("98")
    client.post(
        f"/phap-luat/noi-dung/{leaflet.pk}/dan-dieu-luat/", {"article": f"{suggestion.pk}-"}
    )
    assert Citation.objects.filter(target="content.product", target_id=leaflet.pk).count() == 2

    client.post(f"/phap-luat/noi-dung/{leaflet.pk}/bo-dieu-luat/", {"article": str(suggestion.pk)})
    assert [c.article.number for c in selectors.citations_of("content.product", leaflet.pk)] == [
        "113"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"law_id": CODE, "number": "999"}, "không có Điều 999"),
        ({"law_id": CODE, "number": "113", "clause": "9"}, "không có khoản 9"),
        ({"law_id": "1/2000/QH10", "number": "1"}, "không có Điều 1"),
        ({"law_id": CODE, "number": ""}, "ghi số điều"),
        ({"article": "abc"}, "Không tìm thấy"),
    ],
)
def test_a_wrong_article_is_refused_with_a_message(
    labour_code, cast, client_of, leaflet, data, message
):
    client = client_of(cast.officer_a)
    response = client.post(f"/phap-luat/noi-dung/{leaflet.pk}/dan-dieu-luat/", data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Citation.objects.filter(target="content.product").exists()


def test_only_who_may_edit_the_product_cites(labour_code, cast, client_of, leaflet):
    article = _article("113")
    for user in (cast.officer_b, cast.member_user):
        response = client_of(user).post(
            f"/phap-luat/noi-dung/{leaflet.pk}/dan-dieu-luat/", {"article": f"{article.pk}-"}
        )
        assert response.status_code == 404
    assert not Citation.objects.exists()
    services.cite(actor=cast.officer_a, target=leaflet, article=article)
    response = client_of(cast.officer_b).post(
        f"/phap-luat/noi-dung/{leaflet.pk}/bo-dieu-luat/", {"article": str(article.pk)}
    )
    assert response.status_code == 404
    assert Citation.objects.count() == 1


def test_the_public_product_page_shows_its_legal_basis(labour_code, cast, client, leaflet):
    article = _article("113")
    product = published(leaflet, approver=cast.district_officer, actor=cast.officer_a)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Căn cứ pháp lý" not in page  # cites nothing yet

    services.cite(actor=cast.officer_a, target=product, article=article, clause="1")
    page = client.get(product.get_absolute_url()).content.decode()  # the cache forgot the page
    assert "Căn cứ pháp lý" in page
    assert 'href="/phap-luat/van-ban/45-2019-qh14/dieu-113/#khoan-1"' in page
    assert "khoản 1 Điều 113 Bộ luật Lao động 2019" in page


def test_the_studio_panel_without_laws_says_how_to_import(cast, client_of, leaflet):
    studio = client_of(cast.officer_a).get(f"/noi-dung/{leaflet.pk}/").content.decode()
    assert "congdoan legal import" in studio
