"""Monitoring in a browser (marker `browser`): a member reports a post from a 360×640 phone with
JavaScript off; an officer on the same phone opens the dashboard and a narrative, confirms it
false through the form, and the pages fit the screen; the dashboard on a desktop.

Screenshots land in var/browser/ (not committed); CONGDOAN_BROWSER_SHOTS puts them elsewhere.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from congdoan.core.tests import test_browser as core
from congdoan.monitoring.models import Item, Narrative, NarrativeStatus, Source, SourceKind, Tip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser fixtures of core (Chromium through Playwright; skipped where it is missing).
browser = core.browser
phone = core.phone
phone_no_js = core.phone_no_js
desktop = core.desktop
_log_in = core._log_in

TITLE = "Tin đồn công ty trừ thêm 2% lương công nhân để nộp kinh phí công đoàn"


def _shot(page: Any, name: str) -> None:
    folder = Path(os.environ.get("CONGDOAN_BROWSER_SHOTS") or Path(settings.VAR_DIR) / "browser")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _story(cast: Any) -> Narrative:
    source = Source.objects.create(
        unit=cast.unit_a, name="Trang Facebook “Công nhân Phú Xuyên”", kind=SourceKind.FILE
    )
    now = timezone.now()
    narrative = Narrative.objects.create(
        unit=cast.unit_a,
        title=TITLE,
        first_seen_at=now - timedelta(days=3),
        last_seen_at=now - timedelta(hours=2),
        item_count=3,
        source_count=1,
        total_reach=24500,
        risk=0.82,
    )
    for n in range(3):
        Item.objects.create(
            source=source,
            external_id=f"p{n}",
            content_hash=str(n).ljust(40, "0"),
            text=f"Từ tháng sau công ty trừ thêm 2% lương để nộp kinh phí công đoàn, lần {n}",
            author="Nguyễn Văn Hùng",
            published_at=now - timedelta(days=3 - n),
            reach=8000 + n * 100,
            relevant=True,
            narrative=narrative,
        )
    return narrative


def test_a_member_reports_a_post_from_a_phone_without_javascript(phone_no_js, live_server, cast):
    page = phone_no_js
    _log_in(page, live_server.url, cast.member_user.email)
    page.goto(f"{live_server.url}/bao-tin/")
    assert _overflow(page) <= 0
    _shot(page, "monitoring-tip-form.png")
    page.fill("#id_text", "Nhóm Zalo công nhân đang chia sẻ tin công ty trừ 2% lương nộp công đoàn")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.endswith("/bao-tin/da-gui/")
    assert "Cảm ơn bạn đã báo tin" in page.content()
    assert _overflow(page) <= 0
    _shot(page, "monitoring-tip-thanks.png")
    tip = Tip.objects.get()
    assert tip.reporter == cast.member_user and tip.unit == cast.unit_a


def test_an_officer_confirms_a_narrative_false_on_a_phone(phone, live_server, cast):
    narrative = _story(cast)
    page = phone
    _log_in(page, live_server.url, cast.officer_a.email)
    page.goto(f"{live_server.url}/theo-doi/")
    assert TITLE in page.content()
    assert _overflow(page) <= 0
    _shot(page, "monitoring-dashboard-phone.png")
    page.click(f"text={TITLE}")
    page.wait_for_load_state("load")
    assert _overflow(page) <= 0
    assert page.locator("figure.chart img").evaluate("img => img.naturalWidth") > 0
    _shot(page, "monitoring-narrative-phone.png")
    page.select_option("#id_to_status", "false")
    page.fill("#id_note", "Đã đối chiếu: kinh phí công đoàn do doanh nghiệp đóng")
    page.click("button:has-text('Chuyển tình trạng')")
    page.wait_for_load_state("load")
    assert "Đã chuyển sang" in page.content()
    narrative.refresh_from_db()
    assert narrative.status == NarrativeStatus.CONFIRMED_FALSE
    assert _overflow(page) <= 0
    item = narrative.items.first()
    assert item is not None
    for path in (
        "/theo-doi/tin/",
        f"/theo-doi/tin/{item.pk}/",
        "/theo-doi/nguon/",
        f"/theo-doi/nguon/{item.source_id}/",
        "/theo-doi/nguon/moi/",
        "/theo-doi/thong-tin-sai/",
        "/theo-doi/thong-tin-sai/moi/",
        "/theo-doi/tin-bao/",
        "/theo-doi/bao-cao/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert _overflow(page) <= 0, path


def test_the_dashboard_on_a_desktop(desktop, live_server, cast):
    _story(cast)
    page = desktop
    _log_in(page, live_server.url, cast.district_officer.email)
    for path in ("/theo-doi/", "/theo-doi/nguon/", "/theo-doi/tin/", "/theo-doi/bao-cao/"):
        page.goto(f"{live_server.url}{path}")
        assert _overflow(page) <= 0, path
    page.goto(f"{live_server.url}/theo-doi/")
    assert TITLE in page.content()
    _shot(page, "monitoring-dashboard-desktop.png")
