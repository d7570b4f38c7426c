# ruff: noqa: F811 - pytest fixtures from fakes.fixtures are used as parameters
"""A Zalo message "#baotin …" sent to the OA's webhook is a monitoring tip, not a concern: the
prefixes are registered by MonitoringConfig.ready(), nothing in the test registers them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from congdoan.feedback.models import Concern
from congdoan.feedback.tests.fakes import FakeZaloOA
from congdoan.feedback.tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    fake_zalo,
    fast_retries,
)
from congdoan.feedback.tests.test_channels_webhooks import post_zalo, zalo_event
from congdoan.monitoring.models import Item, Tip, TipChannel
from congdoan.orgs.site import set_home_unit

pytestmark = pytest.mark.django_db


def test_a_baotin_message_to_the_oa_webhook_becomes_a_tip_and_the_sender_gets_a_reply(
    cast: Any, client: Client, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    set_home_unit(cast.district)
    body = zalo_event("#baotin #PX-A Trang X đăng tin công đoàn ăn chặn tiền hỗ trợ", msg_id="t-1")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_zalo(client, body)
    assert response.status_code == 200
    assert not Concern.objects.exists()
    tip = Tip.objects.get()
    assert tip.channel == TipChannel.ZALO
    assert tip.zalo_user_id == "2468013579"
    assert tip.unit == cast.unit_a
    assert tip.text == "Trang X đăng tin công đoàn ăn chặn tiền hỗ trợ"
    assert Item.objects.get(tip=tip).text == tip.text
    (sent,) = fake_zalo.sent
    assert sent["user_id"] == "2468013579"
    assert "đã nhận tin báo" in sent["text"]
    # Zalo redelivers the same event: still one tip, one reply.
    with django_capture_on_commit_callbacks(execute=True):
        assert post_zalo(client, body).status_code == 200
    assert Tip.objects.count() == 1
    assert len(fake_zalo.sent) == 1


def test_an_ordinary_message_to_the_oa_webhook_is_still_a_concern(
    cast: Any, client: Client, fake_zalo: FakeZaloOA
) -> None:
    body = zalo_event("#PX-A Báo tin vui: công ty tăng lương từ tháng sau", msg_id="t-2")
    assert post_zalo(client, body).status_code == 200
    assert Concern.objects.get().unit == cast.unit_a
    assert not Tip.objects.exists()
