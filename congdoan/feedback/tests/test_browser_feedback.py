"""The worker's and the officer's flows in Chromium (`make browser-test`)."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.core.tests.test_browser import _horizontal_overflow, _log_in, _shot
from congdoan.feedback.models import Concern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_on_a_phone_finds_the_union_sends_and_gets_a_code(
    phone: Any, live_server: Any, cast: Any
) -> None:
    page = phone
    page.goto(f"{live_server.url}/y-kien/gui/")
    page.fill("#q", "may a")
    page.click("main form[method=get] button")
    page.wait_for_load_state("load")
    page.check("input[name=unit_pick][value='PX-A']")
    page.fill("#id_text", "cong ty tra luong cham 2 thang")
    page.click("main form[method=post] button")
    page.wait_for_load_state("load")
    concern = Concern.objects.get()
    assert concern.code in page.inner_text("main")
    assert _horizontal_overflow(page) <= 0
    _shot(page, "phone-feedback-sent.png")


def test_officer_filters_the_inbox_and_the_rows_refresh_in_place(
    desktop: Any, live_server: Any, cast: Any
) -> None:
    Concern.objects.create(
        unit=cast.unit_a, assigned_unit=cast.unit_a, text="Xin hỏi đoàn phí", topic="union"
    )
    Concern.objects.create(
        unit=cast.unit_a, assigned_unit=cast.unit_a, text="Xưởng nóng quá", topic="safety"
    )
    page = desktop
    _log_in(page, live_server.url, cast.district_officer.email)
    page.goto(f"{live_server.url}/y-kien/hop-thu/")
    assert "Xưởng nóng quá" in page.inner_text("#rows")
    page.select_option("select[name=topic]", "union")
    # Playwright's own assertion polls without eval (the page's CSP forbids eval).
    from playwright.sync_api import expect

    expect(page.locator("#rows")).not_to_contain_text("Xưởng nóng quá", timeout=5000)
    assert "Xin hỏi đoàn phí" in page.inner_text("#rows")
    assert "topic=union" in page.url  # hx-push-url: the filtered list can be bookmarked
    _shot(page, "inbox-filtered.png")
