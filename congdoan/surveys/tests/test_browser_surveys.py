"""A member answers a survey on a 360×640 phone in Chromium (marker `browser`): forgets a
required question, sees the form again with the answers kept, completes it and is thanked;
nothing scrolls sideways. Screenshots land in var/browser/ (not committed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from congdoan.core.tests.test_browser import _log_in
from congdoan.surveys.models import Receipt, Response
from congdoan.surveys.tests.conftest import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    folder = Path(settings.VAR_DIR) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def _scroll_width(page: Any) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


@pytest.mark.parametrize("device", ["phone", "phone_no_js"])
def test_a_member_answers_a_survey_on_a_small_phone(device, request, live_server, cast):
    page = request.getfixturevalue(device)
    survey = make_survey(cast.officer_a, cast.unit_a, title="Khảo sát nhu cầu thông tin")
    base = live_server.url
    _log_in(page, base, cast.member_user.email)
    page.goto(f"{base}/khao-sat/")
    page.click(f"text={survey.title}")
    page.wait_for_load_state("load")
    assert _scroll_width(page) <= 360
    # The scale and the matrix, but not the required single choice.
    page.locator("fieldset.q").nth(2).locator("label.opt", has_text="4").click()
    matrix = page.locator("fieldset.q").nth(3)
    matrix.locator("fieldset.mrow").nth(0).locator("label.opt", has_text="Nhiều").click()
    page.fill("textarea", "Muốn biết thêm về bảo hiểm xã hội")
    page.click("button[type=submit]:has-text('Gửi câu trả lời')")
    page.wait_for_load_state("load")
    assert page.locator(".errornote", has_text="Câu này là câu bắt buộc.").is_visible()
    assert page.locator("textarea").input_value() == "Muốn biết thêm về bảo hiểm xã hội"
    assert page.locator("fieldset.q").nth(2).locator("input[value='4']").is_checked()
    _shot(page, f"surveys-required-{device}.png")
    assert not Response.objects.exists()
    page.locator("fieldset.q").nth(0).locator("label.opt", has_text="Zalo").click()
    page.click("button[type=submit]:has-text('Gửi câu trả lời')")
    page.wait_for_load_state("load")
    assert page.locator("text=Cảm ơn bạn đã trả lời!").is_visible()
    assert _scroll_width(page) <= 360
    _shot(page, f"surveys-thanks-{device}.png")
    assert Response.objects.count() == 1 and Receipt.objects.count() == 1
    page.goto(f"{base}/khao-sat/{survey.key}/")
    assert "đã trả lời khảo sát này rồi" in page.content()
