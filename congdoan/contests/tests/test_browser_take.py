"""A participant on a 360×640 phone (marker `browser`): joins, starts, answers, reloads half-way
and resumes the same attempt with the answers kept, opens a second tab that resumes it too,
hands in with the prediction and sees the score; the same attempt without JavaScript.

Screenshots land in var/browser/ (not committed); CONGDOAN_BROWSER_SHOTS puts them elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from congdoan.contests.models import Answer, Attempt, AttemptStatus, Contest, Option, Round
from congdoan.core.tests.test_browser import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    folder = Path(os.environ.get("CONGDOAN_BROWSER_SHOTS") or Path(settings.VAR_DIR) / "browser")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _answer_shown_question(page: Any) -> int:
    """Tick the correct option(s) of the question on the page (the test knows the key, the
    page does not); return the question's id."""
    qid = int(page.get_attribute("#answer-form", "data-question"))
    for oid in Option.objects.filter(question_id=qid, is_correct=True).values_list("pk", flat=True):
        page.check(f"input[name=option][value='{oid}']")
    return qid


def _take(page: Any, base: str, contest: Contest, shot: str, *, js: bool) -> Attempt:
    page.goto(f"{base}/cuoc-thi/")
    page.click(f"text={contest.title}")
    assert _overflow(page) <= 0
    _shot(page, f"{shot}-contest.png")
    page.click("text=Vào thi")  # not joined yet: the join page
    assert _overflow(page) <= 0
    page.click("button:has-text('Tham gia cuộc thi')")
    page.click("button:has-text('Vào thi')")
    page.wait_for_selector("#answer-form")
    assert "Câu 1/5" in page.content()
    attempt = Attempt.objects.get()
    assert page.url.endswith(f"/cuoc-thi/luot/{attempt.token}/")
    assert _overflow(page) <= 0
    _shot(page, f"{shot}-question.png")

    first = _answer_shown_question(page)
    if js:  # take.js saved it through the API as soon as it was ticked, before any button
        page.wait_for_selector("#save-state:has-text('Đã lưu')")
        assert Answer.objects.filter(attempt=attempt, question_id=first).exists()
    page.click("button[name=go][value=next]")
    page.wait_for_url("**?q=2")
    _answer_shown_question(page)
    page.click("button[name=go][value=next]")
    page.wait_for_url("**?q=3")

    # Half-way: the page is reloaded (a lost connection, a pocket tap): the same attempt, on
    # the same question, both answers kept and marked in the list.
    page.reload()
    assert "Câu 3/5" in page.content()
    assert page.locator(".qnum.done").count() == 2
    page.click("button[name=go][value='1']")
    page.wait_for_url("**?q=1")
    assert int(page.get_attribute("#answer-form", "data-question")) == first
    checked = page.locator("input[name=option]:checked").first.get_attribute("value")
    assert Option.objects.get(pk=int(checked)).is_correct
    assert Attempt.objects.count() == 1 and Answer.objects.filter(attempt=attempt).count() == 2

    # A second tab that presses "Vào thi" again resumes the same attempt.
    other = page.context.new_page()
    other.goto(f"{base}/cuoc-thi/{contest.slug}/")
    other.click("button:has-text('Vào thi')")
    other.wait_for_selector("#answer-form")
    assert other.url.split("?")[0] == page.url.split("?")[0]
    other.close()
    assert Attempt.objects.count() == 1

    page.click("button[name=go][value='3']")
    page.wait_for_url("**?q=3")
    for n in (3, 4, 5):
        _answer_shown_question(page)
        page.click(
            "button[name=go][value=next]"
            if n < 5
            else "button[name=go][value=review]:not(.secondary)"
        )
        page.wait_for_load_state("load")
    assert "Bạn đã trả lời" in page.content() and "5/5" in page.content()
    page.fill("#id_prediction", "250")
    page.click("form[action$='/nop-bai/'] button[type=submit]")
    page.wait_for_url("**/ket-qua/")
    html = page.content()
    assert "5/5" in html and "câu đúng" in html
    assert _overflow(page) <= 0
    _shot(page, f"{shot}-result.png")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FINISHED
    assert attempt.score == 5 and attempt.prediction == 250
    assert Answer.objects.filter(attempt=attempt).count() == 5
    return attempt


def test_a_participant_on_a_phone_reloads_half_way_resumes_and_sees_the_score(
    phone: Any, live_server: Any, cast: Any, contest: Contest, round_open: Round
) -> None:
    _log_in(phone, live_server.url, cast.member_user.email)
    _take(phone, live_server.url, contest, "contest-take-phone", js=True)


def test_the_same_attempt_works_without_javascript(
    phone_no_js: Any, live_server: Any, cast: Any, contest: Contest, round_open: Round
) -> None:
    _log_in(phone_no_js, live_server.url, cast.member_user.email)
    _take(phone_no_js, live_server.url, contest, "contest-take-nojs", js=False)
