"""The officers' pages on a 360 px phone in Chromium (Playwright), JavaScript off: no
horizontal scroll, and the attendance checklist ticks and saves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from congdoan import testing
from congdoan.activities import services
from congdoan.activities.models import ActivityKind, Attendance, ChannelKind
from congdoan.orgs.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-rat-dai-123"
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


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_officer_pages_fit_a_phone_and_the_checklist_saves(
    phone: Any, live_server: Any, cast: Any
) -> None:
    activity = services.activity_create(
        actor=None,
        unit=cast.unit_a,
        values={
            "kind": ActivityKind.DIALOGUE,
            "title": "Đối thoại định kỳ giữa Ban Giám đốc và người lao động quý IV năm 2026",
            "held_on": date(2026, 11, 20),
            "participants": 120,
        },
    )
    f.member(cast.unit_a, full_name="Phạm Văn Đức")
    services.channel_save(
        actor=None,
        unit=cast.unit_a,
        values={"kind": ChannelKind.FANPAGE, "url": "https://www.facebook.com/congdoanmaya2026"},
    )
    _log_in(phone, live_server.url, cast.officer_a.email)
    for path in (
        "/hoat-dong/",
        "/hoat-dong/moi/",
        f"/hoat-dong/{activity.pk}/",
        f"/hoat-dong/{activity.pk}/diem-danh/",
        f"/hoat-dong/{activity.pk}/nhap-danh-sach/",
        "/hoat-dong/bao-chi/",
        "/hoat-dong/guong-dien-hinh/",
        "/hoat-dong/tap-huan/",
        "/hoat-dong/kenh/",
        "/hoat-dong/kinh-phi/",
    ):
        phone.goto(f"{live_server.url}{path}")
        assert _overflow(phone) <= 0, path
    phone.goto(f"{live_server.url}/hoat-dong/{activity.pk}/diem-danh/?q=pham duc")
    phone.check("input[name=present]")
    phone.click("button:has-text('Lưu điểm danh')")
    phone.wait_for_load_state("load")
    assert list(Attendance.objects.values_list("member__full_name", flat=True)) == ["Phạm Văn Đức"]


def test_the_activity_list_is_one_card_per_activity_on_a_phone(
    phone: Any, live_server: Any, cast: Any
) -> None:
    """The list was a five-column table scrolled sideways inside its box: the attendance
    figures were out of sight on a 360 px phone."""
    services.activity_create(
        actor=None,
        unit=cast.unit_a,
        values={
            "kind": ActivityKind.TALK,
            "title": "Nói chuyện chuyên đề: an toàn, vệ sinh lao động",
            "held_on": date(2026, 11, 20),
            "participants": 120,
        },
    )
    _log_in(phone, live_server.url, cast.officer_a.email)
    phone.goto(f"{live_server.url}/hoat-dong/")
    cell = phone.locator("td[data-label='Điểm danh']").first
    box = cell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    wrap = phone.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    phone.goto(f"{live_server.url}/hoat-dong/kenh/")  # the channels of each unit: cards too
    box = phone.locator("td[data-label='Bài cuối']").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
