"""A worker on a 360 px phone, as qa-worker walked it (`make browser-test`)."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.core.tests.test_browser import _horizontal_overflow, _shot
from congdoan.feedback.models import Channel, Concern, Status
from congdoan.feedback.services import concern_answer, concern_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_unknown_union_option_is_read_whole_in_the_phones_select(
    phone: Any, live_server: Any, cast: Any
) -> None:
    phone.goto(f"{live_server.url}/y-kien/gui/")
    # The chosen option's text, in the select's font, fits inside the select (the arrow aside).
    room = phone.evaluate(
        """() => { const s = document.querySelector('#unit_pick');
        const c = document.createElement('canvas').getContext('2d');
        c.font = getComputedStyle(s).font;
        return s.clientWidth - 40 - c.measureText(s.options[s.selectedIndex].text).width; }"""
    )
    assert room > 0


def test_worker_reopens_on_a_phone_and_still_reads_the_earlier_answer(
    phone: Any, live_server: Any, cast: Any
) -> None:
    concern = concern_submit(
        text="Xin hỏi nghỉ Tết mấy ngày", unit=cast.unit_a, channel=Channel.WEB
    )
    concern_answer(
        actor=cast.officer_a,
        concern=concern,
        text="Nghỉ 5 ngày theo Điều 112.",
        citation="Điều 112 BLLĐ 2019",
    )
    phone.goto(f"{live_server.url}/y-kien/tra-cuu/{concern.code}/")
    phone.fill("textarea[name=reason]", "công ty nói chỉ nghỉ 3 ngày")
    phone.click("text=Mở lại ý kiến")
    phone.wait_for_load_state("load")
    assert Concern.objects.get(pk=concern.pk).status == Status.REOPENED
    main = phone.inner_text("main")
    assert "Trả lời trước của Công đoàn" in main and "Nghỉ 5 ngày theo Điều 112." in main
    assert "Đã mở lại, chờ trả lời" in main
    assert _horizontal_overflow(phone) <= 0
    _shot(phone, "phone-feedback-reopened-keeps-answer.png")
