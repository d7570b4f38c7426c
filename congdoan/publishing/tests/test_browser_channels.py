"""The channels page and the outbox's status page on a 360×640 phone, once a unit has
channels: their tables become cards (or scroll in their box) and never widen the page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.core.tests.test_browser import _horizontal_overflow, _log_in
from congdoan.publishing.models import AccountStatus, ChannelAccount, ChannelKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    _log_in(page, live_server.url, officer.email)

    page.goto(f"{live_server.url}/xuat-ban/kenh/")
    assert page.get_by_text("Công đoàn huyện Phú Xuyên — trang chính thức").is_visible()
    assert _horizontal_overflow(page) <= 0
    page.goto(f"{live_server.url}/hop-thu-di/")
    assert page.get_by_text("Không có người nhận").count() >= 1
    assert _horizontal_overflow(page) <= 0


def test_a_platform_without_an_app_has_a_grey_button_on_the_channels_page(
    phone: Any, live_server: Any, cast: Any, settings: Any
) -> None:
    settings.FACEBOOK_APP_ID = ""
    settings.GOOGLE_OAUTH_CLIENT_ID = "g-client"
    settings.GOOGLE_OAUTH_CLIENT_SECRET = "g-secret"
    page = phone
    _log_in(page, live_server.url, cast.district_officer.email)
    page.goto(f"{live_server.url}/xuat-ban/kenh/")

    def colour(name: str) -> str:
        return str(
            page.locator(f"button:has-text('Kết nối {name}')").evaluate(
                "b => getComputedStyle(b).backgroundColor"
            )
        )

    assert page.locator("button:has-text('Kết nối Trang Facebook')").is_disabled()
    assert colour("Trang Facebook") != colour("Kênh YouTube")  # the usable one stays red
