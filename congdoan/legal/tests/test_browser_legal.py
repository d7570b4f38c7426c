"""The legal pages in Chromium (marker `browser`): a worker on a 360×640 phone asks without
marks and is answered from Điều 113, votes, and sends the question to the union; the same page
without JavaScript; a district officer on a desktop publishes a curated answer the worker then
reads; the English interface.

Screenshots land in var/browser/ (not committed); CONGDOAN_BROWSER_SHOTS puts them elsewhere.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

from congdoan.core.tests.test_browser import (  # noqa: F401 (fixtures)
    _log_in,
    browser,
    desktop,
    phone,
)
from congdoan.legal.models import AskedQuestion, CuratedAnswer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASK = "/phap-luat/"
QUESTION = "nghi phep nam duoc bao nhieu ngay"
PHONE_WIDTH = 360


def _shot(page: Any, name: str) -> None:
    folder = Path(os.environ.get("CONGDOAN_BROWSER_SHOTS") or Path(settings.VAR_DIR) / "browser")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def _scroll_width(page: Any) -> int:
    """How wide the page is: more than the screen means the worker scrolls sideways."""
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def _ask(page: Any, base: str, question: str = QUESTION) -> None:
    """Type the question in the ask form and send it, as a worker does."""
    page.goto(f"{base}{ASK}")
    page.fill("textarea[name=q]", question)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state("load")


def _article_113_with_its_clause_highlighted(page: Any) -> None:
    hit = page.locator("article.law-hit", has_text="Điều 113").first
    assert hit.is_visible()
    assert "Nghỉ hằng năm" in hit.inner_text()
    mark = hit.locator(".clause mark").first
    assert mark.is_visible()
    # One clause of the article (which clause answers best is the ranking's to test, in
    # test_services_search.py), with the worker's unmarked words found in its marked text.
    assert re.match(r"Khoản \d+\. ", mark.inner_text()), mark.inner_text()
    assert "nghỉ hằng năm" in mark.inner_text()
    assert mark.locator("b").count() > 0  # the question's words stand out inside it
    # The highlight is drawn (a coloured background), not only a tag in the markup.
    background = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background


def test_worker_on_a_phone_asks_without_marks_and_reads_the_clause(
    phone: Any,  # noqa: F811 (the fixture imported above)
    live_server: Any,
    labour_code: Any,
) -> None:
    page = phone
    _ask(page, live_server.url)
    assert "q=nghi+phep+nam" in page.url
    _article_113_with_its_clause_highlighted(page)
    assert page.locator("textarea[name=q]").input_value() == QUESTION  # the question stays
    assert _scroll_width(page) <= PHONE_WIDTH
    assert AskedQuestion.objects.count() == 1
    _shot(page, "phone-ask-vi.png")

    highlighted = page.locator("article.law-hit:has-text('Điều 113') .clause mark").first
    clause = re.match(r"Khoản (\d+)\.", highlighted.inner_text())
    assert clause is not None
    anchor = f"#khoan-{clause.group(1)}"
    page.click("article.law-hit:has-text('Điều 113') h3 a")
    page.wait_for_load_state("load")
    # The article opens at the clause that was highlighted, marked as the target.
    assert "/dieu-113/" in page.url and page.url.endswith(anchor), page.url
    assert "Nghỉ hằng năm" in page.inner_text("main")
    assert page.locator(anchor).is_visible()
    assert page.locator(anchor).evaluate("c => c.matches(':target')")
    assert _scroll_width(page) <= PHONE_WIDTH
    _shot(page, "phone-article-vi.png")


def test_worker_says_the_answer_helped_and_is_thanked(
    phone: Any,  # noqa: F811 (the fixture imported above)
    live_server: Any,
    labour_code: Any,
) -> None:
    page = phone
    _ask(page, live_server.url)
    vote = page.locator(".vote")
    assert "Có giúp ích không?" in vote.inner_text()
    vote.locator("button[name=helpful][value='1']").click()
    page.wait_for_load_state("load")
    main = page.inner_text("main")
    assert "Cảm ơn bạn đã cho biết" in main
    assert "Gửi câu hỏi này cho Công đoàn" not in main  # a "yes" needs no union
    assert AskedQuestion.objects.get().helpful is True
    assert _scroll_width(page) <= PHONE_WIDTH


def test_worker_sends_the_question_to_the_union_and_finds_it_written_in(
    phone: Any,  # noqa: F811 (the fixture imported above)
    live_server: Any,
    labour_code: Any,
) -> None:
    page = phone
    _ask(page, live_server.url)
    page.click("text=Gửi câu hỏi này cho Công đoàn")
    page.wait_for_load_state("load")
    assert "/y-kien/gui/" in page.url, page.url
    assert page.locator("#id_text").input_value() == QUESTION
    assert _scroll_width(page) <= PHONE_WIDTH


def test_the_ask_page_works_without_javascript(
    browser: Any,  # noqa: F811 (the fixture imported above)
    live_server: Any,
    labour_code: Any,
) -> None:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 640}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        _ask(page, live_server.url)
        _article_113_with_its_clause_highlighted(page)
        # The whole article opens without a script (a <details>).
        page.click("article.law-hit:has-text('Điều 113') details summary")
        assert page.locator("article.law-hit:has-text('Điều 113') details .clause").count() == 3
        assert _scroll_width(page) <= PHONE_WIDTH
        page.click(".vote button[name=helpful][value='0']")
        page.wait_for_load_state("load")
        assert "chưa giúp được bạn" in page.inner_text("main")
        page.click("main form button[type=submit]")  # the thank-you page offers the union
        page.wait_for_load_state("load")
        assert "/y-kien/gui/" in page.url, page.url
        assert page.locator("#id_text").input_value() == QUESTION
        assert AskedQuestion.objects.get().helpful is False
    finally:
        context.close()


def test_officer_answers_a_question_workers_asked_and_the_worker_then_reads_it(
    desktop: Any,  # noqa: F811 (the fixture imported above)
    phone: Any,  # noqa: F811 (the fixture imported above)
    live_server: Any,
    labour_code: Any,
    cast: Any,
) -> None:
    _ask(phone, live_server.url)
    assert "Công đoàn đã trả lời" not in phone.inner_text("main")

    page = desktop
    _log_in(page, live_server.url, cast.district_officer.email)
    page.goto(f"{live_server.url}{ASK}quan-ly/")
    assert "Hỏi đáp pháp luật: quản lý" in page.inner_text("h1")
    assert "Chưa có câu trả lời nào ở đây." in page.inner_text("main")
    # The worker's question waits among those without a good answer, with a link to answer it.
    waiting = page.locator("#chua-tra-loi + p + .table-wrap tbody tr", has_text=QUESTION)
    assert waiting.count() == 1
    _shot(page, "desktop-manage-vi.png")

    waiting.locator("a", has_text="Viết câu trả lời").click()
    page.wait_for_load_state("load")
    assert "/phap-luat/quan-ly/tra-loi/moi/?q=" in page.url, page.url
    assert page.locator("#id_question").input_value() == QUESTION
    # The search suggests the articles for the question, Điều 113 among them.
    assert page.locator("fieldset", has_text="Điều 113").count() == 1
    page.select_option("#id_unit", str(cast.unit_a.pk))
    page.fill("#id_question", "Nghỉ phép năm được bao nhiêu ngày?")
    page.fill("#id_variants", f"{QUESTION}\nmột năm được nghỉ mấy ngày")
    page.fill(
        "#id_answer",
        "Làm đủ 12 tháng cho một công ty thì bạn được nghỉ 12 ngày, hưởng nguyên lương.",
    )
    page.fill("#id_references", "Điều 113")
    _shot(page, "desktop-answer-form-vi.png")
    page.click("form.card button[name=publish]")
    page.wait_for_load_state("load")
    assert "Đã đăng câu trả lời." in page.inner_text("body")
    answer = CuratedAnswer.objects.get()
    assert answer.is_published and answer.unit == cast.unit_a
    assert [c.article.number for c in answer.citations.all()] == ["113"]
    assert "Điều 113" in page.inner_text("main")  # "Đang dẫn"

    _ask(phone, live_server.url)
    main = phone.inner_text("main")
    assert "Công đoàn đã trả lời" in main
    assert "bạn được nghỉ 12 ngày, hưởng nguyên lương" in main
    assert main.index("Công đoàn đã trả lời") < main.index("Điều luật liên quan")
    assert _scroll_width(phone) <= PHONE_WIDTH
    _shot(phone, "phone-ask-curated-vi.png")


def test_the_english_interface_shows_the_ask_page(
    phone: Any,  # noqa: F811 (the fixture imported above)
    live_server: Any,
    labour_code: Any,
) -> None:
    page = phone
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/ngon-ngu/?lang=en&next={quote(ASK, safe='')}")
    page.wait_for_load_state("load")
    assert page.url.endswith(ASK), page.url
    assert page.evaluate("document.documentElement.lang") == "en"
    response = page.goto(f"{live_server.url}{ASK}?q={quote(QUESTION)}")
    assert response is not None and response.status == 200
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Điều 113" in page.inner_text("main")  # the law itself stays Vietnamese
    assert _scroll_width(page) <= PHONE_WIDTH
    assert errors == []
    _shot(page, "phone-ask-en.png")


def test_the_legal_pages_break_no_rule_of_the_content_security_policy(
    phone: Any,  # noqa: F811 (the fixture imported above)
    live_server: Any,
    labour_code: Any,
) -> None:
    """The browser reports a blocked style or script in the console: the page then shows
    without it (no highlighted clause block, the vote buttons stacked)."""
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _ask(phone, live_server.url)
    phone.goto(f"{live_server.url}{ASK}van-ban/{labour_code.slug}/dieu-113/")
    assert errors == []
