"""The union tree and members in Chromium: what an officer and a visitor see (marker `browser`)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from congdoan.core.tests.test_browser import _log_in, _shot, browser, desktop  # noqa: F401 (fixtures)
from congdoan.orgs.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_officer_searches_the_tree_without_diacritics(desktop, live_server, cast):  # noqa: F811
    factories.unit(cast.district, code="PX-PM", name="Công đoàn Công ty May Phú Minh")
    page = desktop
    _log_in(page, live_server.url, cast.district_officer.email)
    page.goto(f"{live_server.url}/don-vi/")
    page.fill("input[name=q]", "phu minh")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state("load")
    text = page.locator("#tree").inner_text()
    assert "Công đoàn Công ty May Phú Minh" in text
    assert "Điện tử B" not in text
    _shot(page, "tree-search.png")


def test_officer_finds_a_member_typed_without_diacritics(desktop, live_server, cast):  # noqa: F811
    factories.member(cast.unit_a, full_name="Nguyễn Thị Hoa")
    factories.member(cast.unit_a, full_name="Lê Văn Dũng")
    page = desktop
    _log_in(page, live_server.url, cast.officer_a.email)
    page.goto(f"{live_server.url}/don-vi/PX-A/")
    assert "Lê Văn Dũng" in page.locator("#members").inner_text()
    page.fill("form.filters input[name=q]", "nguyen thi")
    page.press("form.filters input[name=q]", "Enter")
    page.locator("#members").get_by_text("Lê Văn Dũng").wait_for(state="detached")
    page.wait_for_load_state("networkidle")  # the typing trigger's request too
    text = page.locator("#members").inner_text()
    assert "Nguyễn Thị Hoa" in text and "Nguyễn Thị Lan" in text
    _shot(page, "members-search.png")
    # Headless Chromium loses the first click after typing in the search box (the page jumps
    # on mousedown); leave the box first, as a person's eye does before clicking a name.
    page.click("h2:has-text('Đoàn viên')")
    with page.expect_navigation():
        page.click("#members a:has-text('Nguyễn Thị Hoa')")
    assert page.locator("h1").inner_text() == "Nguyễn Thị Hoa"
    assert "Quá trình sinh hoạt" in page.content()
    _shot(page, "member-page.png")


def _count(text: str, pattern: str) -> int:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in {text!r}"
    return int(match.group(1))


def test_home_page_and_dashboard_show_the_same_number_of_unions(desktop, live_server, cast):  # noqa: F811
    factories.unit(cast.other_district, code="TT-A", name="Công đoàn Trường Tiểu học Thường Tín")
    page: Any = desktop
    page.goto(f"{live_server.url}/")
    total = _count(page.locator("main").inner_text(), r"(\d+) công đoàn cơ sở đang hoạt động")
    assert total == page.locator("a[href^='/don-vi/cong-khai/']").count() == 3
    page.click("summary:has-text('Phú Xuyên')")
    district = _count(
        page.locator("summary:has-text('Phú Xuyên')").inner_text(), r"(\d+) công đoàn cơ sở"
    )
    _shot(page, "home-unions.png")
    page.click("a:has-text('Công đoàn Công ty May A')")
    page.wait_for_url(re.compile(r".*/cong-khai/PX-A/$"))
    assert page.locator("h1").inner_text() == "Công đoàn Công ty May A"
    _log_in(page, live_server.url, cast.district_officer.email)
    page.goto(f"{live_server.url}/bang-dieu-khien/")
    assert _count(page.locator("main").inner_text(), r"(\d+) công đoàn cơ sở") == district == 2
