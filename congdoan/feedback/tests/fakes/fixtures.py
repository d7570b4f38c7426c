"""pytest fixtures that start the fakes and point the settings at them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from congdoan.feedback.tests.fakes.sms import FakeSmsGateway
from congdoan.feedback.tests.fakes.smtp import FakeSmtpServer
from congdoan.feedback.tests.fakes.zalo import FakeZaloOA

ZALO_APP_ID = "1234567890"
ZALO_SECRET = "oa-secret-for-tests"
SMS_WEBHOOK_SECRET = "sms-webhook-secret-for-tests"


@pytest.fixture
def fast_retries(settings: Any) -> None:
    """Short timeouts; the outbox's retry policy is left as it is (tests move the clock)."""
    settings.OUTBOX_HTTP_TIMEOUT = 2.0


@pytest.fixture
def fake_zalo(settings: Any, fast_retries: None) -> Iterator[FakeZaloOA]:
    server = FakeZaloOA().start()
    settings.ZALO_OA_API_BASE = server.url
    settings.ZALO_OA_ACCESS_TOKEN = server.access_token
    settings.ZALO_APP_ID = ZALO_APP_ID
    settings.ZALO_OA_SECRET_KEY = ZALO_SECRET
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fake_sms(settings: Any, fast_retries: None) -> Iterator[FakeSmsGateway]:
    server = FakeSmsGateway().start()
    settings.SMS_API_BASE = server.url
    settings.SMS_API_KEY = server.api_key
    settings.SMS_WEBHOOK_SECRET = SMS_WEBHOOK_SECRET
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fake_smtp(settings: Any) -> Iterator[FakeSmtpServer]:
    """A real SMTP server on loopback; `fake_smtp.refuse()` makes it answer 421."""
    server = FakeSmtpServer().start()
    for name, value in server.settings_for().items():
        setattr(settings, name, value)
    try:
        yield server
    finally:
        server.stop()
