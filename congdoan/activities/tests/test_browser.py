"""The officers' pages on a 360 px phone in Chromium (Playwright), JavaScript off: no
horizontal scroll, and the attendance checklist ticks and saves."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from congdoan.activities import services
from congdoan.activities.models import ActivityKind, Attendance, ChannelKind
from congdoan.core.tests.test_browser import _horizontal_overflow, _log_in
from congdoan.orgs.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_pages_fit_a_phone_and_the_checklist_saves(
    phone_no_js: Any, live_server: Any, cast: Any
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
    _log_in(phone_no_js, live_server.url, cast.officer_a.email)
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
        phone_no_js.goto(f"{live_server.url}{path}")
        assert _horizontal_overflow(phone_no_js) <= 0, path
    phone_no_js.goto(f"{live_server.url}/hoat-dong/{activity.pk}/diem-danh/?q=pham duc")
    phone_no_js.check("input[name=present]")
    phone_no_js.click("button:has-text('Lưu điểm danh')")
    phone_no_js.wait_for_load_state("load")
    assert list(Attendance.objects.values_list("member__full_name", flat=True)) == ["Phạm Văn Đức"]


def test_the_activity_list_is_one_card_per_activity_on_a_phone(
    phone_no_js: Any, live_server: Any, cast: Any
) -> None:
    """The list was a five-column table scrolled sideways inside its box: the attendance
    figures were out of sight on a 360 px phone_no_js."""
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
    _log_in(phone_no_js, live_server.url, cast.officer_a.email)
    phone_no_js.goto(f"{live_server.url}/hoat-dong/")
    cell = phone_no_js.locator("td[data-label='Điểm danh']").first
    box = cell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    wrap = phone_no_js.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    phone_no_js.goto(f"{live_server.url}/hoat-dong/kenh/")  # the channels of each unit: cards too
    box = phone_no_js.locator("td[data-label='Bài cuối']").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
