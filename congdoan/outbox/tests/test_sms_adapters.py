# ruff: noqa: F811 - pytest fixtures from fakes.fixtures are used as parameters
"""The SMS adapters against fakes that follow their providers' documentation: the chosen one
by SMS_PROVIDER, eSMS.vn's request, its error codes, its RequestId and its status call."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from congdoan.feedback.tests.fakes import FakeSmsGateway
from congdoan.feedback.tests.fakes.fixtures import fake_sms, fast_retries  # noqa: F401
from congdoan.outbox.channels import sms, sms_esms
from congdoan.outbox.delivery import message_deliver
from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.models import MessageStatus
from congdoan.outbox.services import sms_enqueue
from congdoan.outbox.tests.fakes import FakeEsms, esms_settings


@pytest.fixture
def fake_esms(settings: Any, fast_retries: None) -> Iterator[FakeEsms]:
    server = FakeEsms().start()
    for name, value in esms_settings(server).items():
        setattr(settings, name, value)
    try:
        yield server
    finally:
        server.stop()


def test_esms_send_posts_the_documented_request(fake_esms: FakeEsms) -> None:
    sms_id = sms.send_sms("+84 912 345 678", "Mã ý kiến YK-ABC234", request_id="cd-1")
    (rec,) = fake_esms.requests
    assert rec.path == "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    assert rec.headers["content-type"].startswith("application/json")
    assert rec.json == {
        "ApiKey": "esms-api-key",
        "SecretKey": "esms-secret",
        "Phone": "0912345678",
        "Content": "Mã ý kiến YK-ABC234",
        "Brandname": "CONGDOAN",
        "SmsType": "2",
        "IsUnicode": "1",
        "Sandbox": "0",
        "RequestId": "cd-1",
    }
    assert sms_id in fake_esms.messages


def test_esms_sends_plain_text_without_unicode_and_sandbox_when_asked(
    fake_esms: FakeEsms, settings: Any
) -> None:
    settings.ESMS_SANDBOX = True
    sms.send_sms("0912345678", "Ma y kien YK-ABC234")
    body = fake_esms.requests[0].json
    assert (body["IsUnicode"], body["Sandbox"]) == ("0", "1")
    assert fake_esms.sent == [] and fake_esms.balance == 100  # checked, not sent, not charged


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"ESMS_SECRET_KEY": "wrong"}, "101", "ESMS_API_KEY"),
        ({"ESMS_BRANDNAME": "KHAC"}, "104", "brandname"),
        ({"ESMS_SMS_TYPE": "9"}, "118", "ESMS_SMS_TYPE"),
    ],
)
def test_esms_refusals_are_final_with_the_documented_reason(
    fake_esms: FakeEsms, settings: Any, change: dict[str, str], code: str, words: str
) -> None:
    for name, value in change.items():
        setattr(settings, name, value)
    with pytest.raises(ChannelError, match=f"mã {code}: .*{words}") as info:
        sms.send_sms("0912345678", "xin chào")
    assert info.value.retryable is False
    assert len(fake_esms.requests) == 1


def test_esms_blocked_number_is_final(fake_esms: FakeEsms) -> None:
    fake_esms.blocked.add("0912345678")
    with pytest.raises(ChannelError, match="mã 99: số điện thoại bị chặn") as info:
        sms.send_sms("0912345678", "xin chào")
    assert info.value.retryable is False


def test_esms_low_balance_is_retried_later(fake_esms: FakeEsms) -> None:
    fake_esms.balance = 0
    with pytest.raises(ChannelError, match=r"mã 103: .*số dư") as info:
        sms.send_sms("0912345678", "xin chào")
    assert info.value.retryable is True


def test_esms_retry_after_a_lost_answer_is_not_sent_twice(
    fake_esms: FakeEsms, settings: Any
) -> None:
    """The first answer times out after eSMS accepted the message: the retry with the same
    RequestId is refused as a duplicate (124), which means it was sent."""
    settings.OUTBOX_HTTP_TIMEOUT = 0.2
    fake_esms.fail_next(1, delay=0.6)
    with pytest.raises(ChannelError, match="quá thời gian chờ") as info:
        sms.send_sms("0912345678", "xin chào", request_id="cd-42")
    assert info.value.retryable is True
    deadline = time.monotonic() + 3
    while not fake_esms.messages and time.monotonic() < deadline:  # eSMS finishes its work
        time.sleep(0.05)
    settings.OUTBOX_HTTP_TIMEOUT = 2.0
    assert sms.send_sms("0912345678", "xin chào", request_id="cd-42") == "RequestId:cd-42"
    assert len(fake_esms.sent) == 1


def test_esms_refuses_a_foreign_or_invalid_number_before_any_request(
    fake_esms: FakeEsms,
) -> None:
    for phone in ("12", "+1 202 555 0143"):
        with pytest.raises(ChannelError, match="không phải số Việt Nam"):
            sms.send_sms(phone, "xin chào")
    assert fake_esms.requests == []


def test_esms_5xx_is_retryable(fake_esms: FakeEsms) -> None:
    fake_esms.fail_next(1, status=503)
    with pytest.raises(ChannelError, match="HTTP 503") as info:
        sms.send_sms("0912345678", "xin chào")
    assert info.value.retryable is True


def test_esms_without_keys_refuses_before_any_request(fake_esms: FakeEsms, settings: Any) -> None:
    settings.ESMS_API_KEY = ""
    assert sms.missing_settings() == ["ESMS_API_KEY"]
    with pytest.raises(ChannelNotConfigured, match="ESMS_API_KEY"):
        sms.send_sms("0912345678", "xin chào")
    assert fake_esms.requests == []


def test_esms_status_reads_get_send_status(fake_esms: FakeEsms, settings: Any) -> None:
    sms_id = sms.send_sms("0912345678", "xin chào")
    status = sms_esms.send_status(sms_id)
    assert (status.sms_id, status.status, status.success) == (sms_id, 5, 1)
    assert status.label == "đã gửi"
    rec = fake_esms.requests[-1]
    assert rec.method == "GET" and rec.path.startswith("/MainService.svc/json/GetSendStatus?")
    with pytest.raises(ChannelError, match="mã 105"):
        sms_esms.send_status("unknown")
    settings.ESMS_SECRET_KEY = "wrong"
    with pytest.raises(ChannelError, match="mã 101"):
        sms_esms.send_status(sms_id)


@pytest.mark.django_db
def test_outbox_sends_an_sms_through_esms_once_with_a_stable_request_id(
    fake_esms: FakeEsms, settings: Any
) -> None:
    message = sms_enqueue(to="0912345678", text="Công đoàn đã nhận ý kiến", key="t:1")
    fake_esms.fail_next(1, status=502)
    assert message_deliver(message_id=message.pk) == MessageStatus.QUEUED
    message.refresh_from_db()
    assert message_deliver(message_id=message.pk, now=message.next_attempt_at) == "sent"
    message.refresh_from_db()
    assert message.provider_id in fake_esms.messages
    ids = {rec.json["RequestId"] for rec in fake_esms.requests}
    assert ids == {sms.request_id(message)} and len(fake_esms.sent) == 1


def test_generic_gateway_stays_the_default(fake_sms: FakeSmsGateway, settings: Any) -> None:
    assert settings.SMS_PROVIDER == "generic"
    assert sms.missing_settings() == []
    assert sms.send_sms("0912345678", "xin chào") == "sms1"
    settings.SMS_API_KEY = ""
    assert sms.missing_settings() == ["SMS_API_KEY"]


def test_unknown_provider_is_a_clear_configuration_error(settings: Any) -> None:
    settings.SMS_PROVIDER = "viettel"
    assert sms.missing_settings() == ["SMS_PROVIDER"]
    with pytest.raises(ChannelNotConfigured, match="SMS_PROVIDER='viettel'"):
        sms.send_sms("0912345678", "xin chào")
