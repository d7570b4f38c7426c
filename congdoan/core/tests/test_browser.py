"""Flows a person does, in Debian's Chromium through Playwright, against a live server.

Run with `make browser-test`. Screenshots land in var/browser/ (not committed) for a look.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from congdoan import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "mat-khau-rat-dai-123"
SHOTS = Path(settings.VAR_DIR) / "browser"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    testing.require("browser", testing.browser_unavailable())
    sync_api = testing.require_module("playwright.sync_api", "playwright")
    # Playwright's sync API keeps an asyncio loop in this thread for as long as the browser
    # lives; Django refuses ORM calls (fixtures, the database flush) beside a loop unless told
    # it is safe, which it is: the loop never runs our code.
    with pytest.MonkeyPatch.context() as mp, sync_api.sync_playwright() as pw:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = pw.chromium.launch(executable_path=testing.CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 360, "height": 640},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_no_js(browser: Any) -> Iterator[Any]:
    """A 360 px phone with JavaScript off: the pages must work without it."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")


def _horizontal_overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_district_officer_logs_in_and_sees_the_union_tree(desktop, live_server, cast):
    page = desktop
    _log_in(page, live_server.url, cast.district_officer.email)
    assert page.url.endswith("/bang-dieu-khien/"), page.url
    page.click("header nav a[href='/don-vi/']")
    page.wait_for_load_state("load")
    tree = page.locator("#tree")
    assert tree.is_visible()
    text = tree.inner_text()
    assert "Công đoàn Công ty May A" in text and "Công đoàn Công ty Điện tử B" in text
    assert "Thường Tín" not in text  # another district: not in this officer's scope
    # The stylesheet loaded (our own static files, no CDN).
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    _shot(page, "tree-desktop.png")


def test_wrong_password_keeps_the_officer_on_the_login_page(desktop, live_server, cast):
    page = desktop
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", cast.district_officer.email)
    page.fill("#id_password", "sai-mat-khau")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")
    assert "/tai-khoan/dang-nhap/" in page.url
    assert "không đúng" in page.content()


@pytest.mark.parametrize("path", ["/", "/tai-khoan/dang-nhap/"])
def test_public_pages_fit_a_small_phone_without_horizontal_scroll(phone, live_server, db, path):
    phone.goto(f"{live_server.url}{path}")
    assert _horizontal_overflow(phone) <= 0
    _shot(phone, f"phone-{path.strip('/').replace('/', '-') or 'home'}.png")


def test_union_tree_fits_a_small_phone(phone, live_server, cast):
    _log_in(phone, live_server.url, cast.district_officer.email)
    phone.goto(f"{live_server.url}/don-vi/")
    assert "Công đoàn Công ty May A" in phone.locator("#tree").inner_text()
    _shot(phone, "phone-tree.png")
    assert _horizontal_overflow(phone) <= 0


def test_officer_reaches_the_library_from_the_menu_on_a_phone_without_javascript(
    browser, live_server, cast
):
    context = browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    _log_in(page, live_server.url, cast.district_officer.email)
    for path in ("/bang-dieu-khien/", "/y-kien/hop-thu/", "/tai-lieu/", "/don-vi/"):
        page.goto(f"{live_server.url}{path}")
        assert _horizontal_overflow(page) <= 0, path
    page.click("header summary")
    page.click("header .menu a[href='/tai-lieu/']")
    page.wait_for_load_state("load")
    assert page.url.endswith("/tai-lieu/"), page.url
    _shot(page, "phone-menu-library.png")
    context.close()
