"""The reports list on a 360 px phone in Chromium (Playwright), JavaScript off: one card per
unit, its status and submission date in sight, no sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from congdoan import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic"]


@pytest.fixture
def phone() -> Iterator[Any]:
    testing.require("browser", testing.browser_unavailable())
    sync_api = testing.require_module("playwright.sync_api", "playwright")
    with pytest.MonkeyPatch.context() as mp, sync_api.sync_playwright() as pw:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = pw.chromium.launch(executable_path=testing.CHROMIUM, args=ARGS, headless=True)
        context = chromium.new_context(
            viewport={"width": 360, "height": 640}, is_mobile=True, java_script_enabled=False
        )
        yield context.new_page()
        chromium.close()


def test_the_reports_list_is_one_card_per_unit_on_a_phone(
    phone: Any, live_server: Any, cast: Any
) -> None:
    """Four columns squeezed the unit names to a word a line, the status beside them."""
    password = "mat-khau-rat-dai-123"  # the standard cast's (conftest.py)
    user = cast.district_officer
    phone.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    phone.fill("#id_username", user.email)
    phone.fill("#id_password", password)
    phone.click("form.card button[type=submit]")
    phone.wait_for_load_state("load")
    phone.goto(f"{live_server.url}/bao-cao-dinh-ky/?period=2026H1")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    status = phone.locator("td[data-label='Trạng thái']").first
    box = status.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    name = phone.locator("tbody td:first-child").first.bounding_box()
    assert name is not None and name["width"] > 250  # the unit's name has the card's width
