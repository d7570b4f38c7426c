# ruff: noqa: F811 - pytest fixtures from fakes.fixtures are used as parameters
"""Signed webhooks with control characters are acknowledged (200), logged, and store nothing:
an error answer would make the provider redeliver them forever (issue 12, finding 4)."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from congdoan.feedback.models import Concern
from congdoan.feedback.tests.fakes import FakeSmsGateway, FakeZaloOA
from congdoan.feedback.tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    fake_sms,
    fake_zalo,
    fast_retries,
)
from congdoan.feedback.tests.test_channels_webhooks import post_sms, post_zalo, zalo_event

pytestmark = pytest.mark.django_db


def test_signed_zalo_text_with_a_nul_is_acknowledged_logged_and_not_stored(
    cast: Any, client: Client, fake_zalo: FakeZaloOA, caplog: Any
) -> None:
    with caplog.at_level(logging.WARNING, logger="congdoan.feedback.channels"):
        response = post_zalo(client, zalo_event("#PX-A lương\u0000 chậm", msg_id="z-nul"))
    assert response.status_code == 200
    assert response.json() == {"ok": False, "error": "control characters"}
    assert not Concern.objects.exists()
    assert "z-nul" in caplog.text and "control character" in caplog.text


def test_signed_zalo_sender_with_a_nul_is_acknowledged(
    cast: Any, client: Client, fake_zalo: FakeZaloOA
) -> None:
    response = post_zalo(client, zalo_event("#PX-A lương chậm", sender="24\u000068"))
    assert response.status_code == 200
    assert not Concern.objects.exists()


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "application/json"])
def test_signed_sms_with_a_nul_is_acknowledged_logged_and_not_stored(
    cast: Any, client: Client, fake_sms: FakeSmsGateway, caplog: Any, content_type: str
) -> None:
    fields = {"from": "0912345678", "text": "#PX-B tăng ca\x00 quá nhiều", "id": "sms-nul"}
    body = (urlencode(fields) if "form" in content_type else json.dumps(fields)).encode()
    with caplog.at_level(logging.WARNING, logger="congdoan.feedback.channels"):
        response = post_sms(client, body, content_type)
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is False
    assert not Concern.objects.exists()
    assert "sms-nul" in caplog.text
    assert fake_sms.sent == []


def test_unsigned_webhook_with_a_nul_is_still_refused_as_unsigned(
    cast: Any, client: Client, fake_sms: FakeSmsGateway
) -> None:
    body = urlencode({"from": "0912345678", "text": "a\x00b", "id": "x"}).encode()
    response = post_sms(client, body, "application/x-www-form-urlencoded", signature=None)
    assert response.status_code == 403
