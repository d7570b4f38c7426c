"""The channels page and the outbox's status page on a 360×640 phone, once a unit has
channels: their tables become cards (or scroll in their box) and never widen the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan import testing
from congdoan.publishing.models import AccountStatus, ChannelAccount, ChannelKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PASSWORD = "mat-khau-rat-dai-123"  # the cast's (congdoan/orgs/tests/factories.py)


@pytest.fixture
def phone() -> Iterator[Any]:
    testing.require("browser", testing.browser_unavailable())
    sync_api = testing.require_module("playwright.sync_api", "playwright")
    with pytest.MonkeyPatch.context() as mp, sync_api.sync_playwright() as pw:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the loop never runs our code
        chromium = pw.chromium.launch(executable_path=testing.CHROMIUM, args=ARGS, headless=True)
        context = chromium.new_context(viewport={"width": 360, "height": 640})
        yield context.new_page()
        context.close()
        chromium.close()


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_channels_and_outbox_status_fit_a_phone(phone: Any, live_server: Any, cast: Any) -> None:
    officer = cast.district_officer
    unit = cast.district
    later = timezone.now() + timedelta(days=60)
    for kind, name in (
        (ChannelKind.FACEBOOK_PAGE, "Công đoàn huyện Phú Xuyên — trang chính thức"),
        (ChannelKind.YOUTUBE, "Liên đoàn Lao động huyện Phú Xuyên"),
        (ChannelKind.ZALO_OA, "Công đoàn Phú Xuyên"),
    ):
        ChannelAccount.objects.create(
            unit=unit,
            kind=kind,
            display_name=name,
            external_id=f"1029384756{kind}",
            status=AccountStatus.CONNECTED,
            refresh_token_expires_at=later,
        )
    page = phone
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", officer.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")

    page.goto(f"{live_server.url}/xuat-ban/kenh/")
    assert page.get_by_text("Công đoàn huyện Phú Xuyên — trang chính thức").is_visible()
    assert _overflow(page) <= 0
    page.goto(f"{live_server.url}/hop-thu-di/")
    assert page.get_by_text("Không có người nhận").count() >= 1
    assert _overflow(page) <= 0


def test_a_platform_without_an_app_has_a_grey_button_on_the_channels_page(
    phone: Any, live_server: Any, cast: Any, settings: Any
) -> None:
    settings.FACEBOOK_APP_ID = ""
    settings.GOOGLE_OAUTH_CLIENT_ID = "g-client"
    settings.GOOGLE_OAUTH_CLIENT_SECRET = "g-secret"
    page = phone
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", cast.district_officer.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/xuat-ban/kenh/")

    def colour(name: str) -> str:
        return str(
            page.locator(f"button:has-text('Kết nối {name}')").evaluate(
                "b => getComputedStyle(b).backgroundColor"
            )
        )

    assert page.locator("button:has-text('Kết nối Trang Facebook')").is_disabled()
    assert colour("Trang Facebook") != colour("Kênh YouTube")  # the usable one stays red
