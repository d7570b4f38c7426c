# ruff: noqa: F811 - browser fixtures are used as parameters
"""In the browser: the admin is reached only through our login and its second factor
(issue 12, finding 1); a member's account page shows what is for members (issue 11, item 14)."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from congdoan.core.tests.test_browser import PASSWORD, _log_in, _shot, browser, desktop, phone  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_with_totp_goes_through_the_code_to_the_admin(
    desktop: Any, live_server: Any, cast: Any
) -> None:
    page = desktop
    device = TOTPDevice.objects.create(user=cast.admin, name="a", confirmed=True)
    page.goto(f"{live_server.url}/quan-tri/")
    assert "/tai-khoan/dang-nhap/" in page.url, page.url
    page.fill("#id_username", "ADMIN@example.vn")
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")
    assert "/tai-khoan/xac-thuc/" in page.url, page.url
    page.fill("#id_token", f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.endswith("/quan-tri/"), page.url
    _shot(page, "admin-after-2fa.png")


def test_member_account_page_shows_what_is_for_members(
    phone: Any, live_server: Any, cast: Any
) -> None:
    page = phone
    _log_in(page, live_server.url, cast.member_user.email)
    page.goto(f"{live_server.url}/tai-khoan/")
    text = page.inner_text("main")
    assert "Xác thực hai lớp" not in text
    assert "Đổi mật khẩu" in text
    _shot(page, "member-account.png")
