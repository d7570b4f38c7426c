"""The reports list on a 360 px phone in Chromium (Playwright), JavaScript off: one card per
unit, its status and submission date in sight, no sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.core.tests.test_browser import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reports_list_is_one_card_per_unit_on_a_phone(
    phone_no_js: Any, live_server: Any, cast: Any
) -> None:
    """Four columns squeezed the unit names to a word a line, the status beside them."""
    user = cast.district_officer
    _log_in(phone_no_js, live_server.url, user.email)
    phone_no_js.goto(f"{live_server.url}/bao-cao-dinh-ky/?period=2026H1")
    assert phone_no_js.evaluate("document.documentElement.scrollWidth") <= 360
    status = phone_no_js.locator("td[data-label='Trạng thái']").first
    box = status.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    name = phone_no_js.locator("tbody td:first-child").first.bounding_box()
    assert name is not None and name["width"] > 250  # the unit's name has the card's width
