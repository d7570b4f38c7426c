# ruff: noqa: F811 - pytest fixtures from fakes.fixtures are used as parameters
"""The Zalo OA and SMS clients against local fake providers: success, errors, timeouts.

The clients try once; whether a failure is worth another try later is theirs to say
(`retryable`), the trying again is the outbox's (congdoan/outbox/tests).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from congdoan.feedback.channels import sms, zalo
from congdoan.feedback.tests.fakes import FakeSmsGateway, FakeZaloOA
from congdoan.feedback.tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    SMS_WEBHOOK_SECRET,
    ZALO_APP_ID,
    ZALO_SECRET,
    fake_sms,
    fake_zalo,
    fast_retries,
)
from congdoan.outbox.channels import sms as sms_client
from congdoan.outbox.channels import zalo as zalo_client
from congdoan.outbox.errors import ChannelError

# The Zalo client asks the units' connected OA accounts (the database) for its token first.
pytestmark = pytest.mark.django_db

# --- Zalo OA client ---------------------------------------------------------------------------


def test_zalo_send_posts_the_documented_request(fake_zalo: FakeZaloOA) -> None:
    message_id = zalo_client.send_text("84123456789", "Ý kiến của bạn đã được tiếp nhận")
    assert message_id == "zmsg1"
    (rec,) = fake_zalo.requests
    assert rec.path == "/v3.0/oa/message/cs"
    assert rec.headers["access_token"] == fake_zalo.access_token
    assert rec.headers["content-type"].startswith("application/json")
    assert rec.json == {
        "recipient": {"user_id": "84123456789"},
        "message": {"text": "Ý kiến của bạn đã được tiếp nhận"},
    }


def test_zalo_error_code_is_a_failure_with_its_message_and_is_not_retried(
    fake_zalo: FakeZaloOA, settings: Any
) -> None:
    settings.ZALO_OA_ACCESS_TOKEN = "expired-token"
    with pytest.raises(ChannelError, match="-216: Access token is invalid"):
        zalo_client.send_text("84123456789", "xin chào")
    assert len(fake_zalo.requests) == 1


def test_zalo_5xx_is_a_retryable_failure_after_one_try(fake_zalo: FakeZaloOA) -> None:
    fake_zalo.fail_next(5, status=502)
    with pytest.raises(ChannelError, match="HTTP 502") as info:
        zalo_client.send_text("u1", "xin chào")
    assert info.value.retryable is True
    assert len(fake_zalo.requests) == 1


def test_zalo_slow_answer_times_out_as_a_retryable_failure(
    fake_zalo: FakeZaloOA, settings: Any
) -> None:
    settings.OUTBOX_HTTP_TIMEOUT = 0.2
    fake_zalo.fail_next(1, delay=0.6)
    with pytest.raises(ChannelError, match="quá thời gian chờ") as info:
        zalo_client.send_text("u1", "xin chào")
    assert info.value.retryable is True


def test_zalo_unreachable_server_raises_a_clear_error(settings: Any, fast_retries: None) -> None:
    server = FakeZaloOA().start()
    url = server.url
    server.stop()
    settings.ZALO_OA_API_BASE = url
    settings.ZALO_OA_ACCESS_TOKEN = "t"
    with pytest.raises(ChannelError, match="không kết nối được"):
        zalo_client.send_text("u1", "xin chào")


def test_zalo_without_token_refuses_before_any_request(
    fake_zalo: FakeZaloOA, settings: Any
) -> None:
    settings.ZALO_OA_ACCESS_TOKEN = ""
    with pytest.raises(ChannelError, match="ZALO_OA_ACCESS_TOKEN"):
        zalo_client.send_text("u1", "xin chào")
    assert fake_zalo.requests == []


def test_zalo_text_longer_than_2000_characters_is_cut(fake_zalo: FakeZaloOA) -> None:
    zalo_client.send_text("u1", "ồ" * 2500)
    assert len(fake_zalo.sent[0]["text"]) == 2000


# --- Zalo signature ---------------------------------------------------------------------------


def _zalo_mac(body: bytes, timestamp: str) -> str:
    return hashlib.sha256(
        ZALO_APP_ID.encode() + body + timestamp.encode() + ZALO_SECRET.encode()
    ).hexdigest()


def test_zalo_signature_follows_zalo_formula(fake_zalo: FakeZaloOA) -> None:
    body = json.dumps({"event_name": "user_send_text", "timestamp": "1732700000000"}).encode()
    assert zalo.verify_signature(body, "mac=" + _zalo_mac(body, "1732700000000"))
    assert not zalo.verify_signature(body, "mac=" + _zalo_mac(body, "1732700000001"))
    assert not zalo.verify_signature(body + b" ", "mac=" + _zalo_mac(body, "1732700000000"))
    assert not zalo.verify_signature(body, _zalo_mac(body, "1732700000000"))  # no "mac="
    assert not zalo.verify_signature(body, None)
    assert not zalo.verify_signature(body, "")


def test_zalo_signature_fails_closed_without_configured_secret(
    fake_zalo: FakeZaloOA, settings: Any
) -> None:
    body = json.dumps({"timestamp": "1"}).encode()
    mac = _zalo_mac(body, "1")
    settings.ZALO_OA_SECRET_KEY = ""
    assert not zalo.verify_signature(body, "mac=" + mac)


def test_zalo_parse_reads_text_events_and_ignores_others() -> None:
    event = {
        "event_name": "user_send_text",
        "sender": {"id": "246"},
        "recipient": {"id": "oa1"},
        "message": {"text": " Lương tháng 10 chưa trả ", "msg_id": "m-1"},
        "timestamp": "1732700000000",
    }
    parsed = zalo.parse_text_event(event)
    assert parsed is not None
    assert (parsed.sender_id, parsed.text, parsed.msg_id) == (
        "246",
        "Lương tháng 10 chưa trả",
        "m-1",
    )
    assert zalo.parse_text_event({**event, "event_name": "user_send_image"}) is None
    assert zalo.parse_text_event({"event_name": "follow", "follower": {"id": "1"}}) is None
    assert zalo.parse_text_event({**event, "message": "not an object"}) is None


# --- SMS client -------------------------------------------------------------------------------


def test_sms_send_posts_the_documented_request(fake_sms: FakeSmsGateway) -> None:
    assert sms_client.send_sms("0912 345 678", "Mã ý kiến YK-ABC234") == "sms1"
    (rec,) = fake_sms.requests
    assert rec.path == "/send"
    assert rec.headers["authorization"] == "Bearer test-sms-key"
    assert rec.json == {"to": "+84912345678", "text": "Mã ý kiến YK-ABC234"}


def test_sms_rejected_request_raises_with_the_gateway_reason_and_is_not_retried(
    fake_sms: FakeSmsGateway, settings: Any
) -> None:
    settings.SMS_API_KEY = "wrong"
    with pytest.raises(ChannelError, match="HTTP 401") as info:
        sms_client.send_sms("0912345678", "xin chào")
    assert info.value.retryable is False
    assert len(fake_sms.requests) == 1


def test_sms_status_not_ok_is_a_failure(fake_sms: FakeSmsGateway) -> None:
    fake_sms.fail_next(1, payload={"status": "error", "error": "insufficient credit"})
    with pytest.raises(ChannelError, match="insufficient credit"):
        sms_client.send_sms("0912345678", "xin chào")


def test_sms_5xx_is_a_retryable_failure(fake_sms: FakeSmsGateway) -> None:
    fake_sms.fail_next(1, status=500)
    with pytest.raises(ChannelError, match="HTTP 500") as info:
        sms_client.send_sms("0912345678", "xin chào")
    assert info.value.retryable is True and len(fake_sms.requests) == 1


def test_sms_invalid_number_refuses_before_any_request(fake_sms: FakeSmsGateway) -> None:
    with pytest.raises(ChannelError, match="không hợp lệ"):
        sms_client.send_sms("12", "xin chào")
    assert fake_sms.requests == []


def test_sms_signature_is_hmac_sha256_of_the_raw_body(fake_sms: FakeSmsGateway) -> None:
    body = b'{"from":"0912345678","text":"hi","id":"1"}'
    good = hmac.new(SMS_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert sms.verify_signature(body, good)
    assert sms.verify_signature(body, "sha256=" + good.upper())
    assert not sms.verify_signature(body, "0" * 64)
    assert not sms.verify_signature(body + b"x", good)
    assert not sms.verify_signature(body, None)


def test_sms_payload_reads_form_and_json_and_normalises_the_phone() -> None:
    form = sms.parse_payload(
        b"from=0912345678&text=L%C6%B0%C6%A1ng&id=77&timestamp=1",
        "application/x-www-form-urlencoded",
    )
    assert (form.phone, form.text, form.msg_id) == ("+84912345678", "Lương", "77")
    js = sms.parse_payload(
        '{"from": "+84 912 345 678", "text": "Lương", "id": 78}'.encode(), "application/json"
    )
    assert (js.phone, js.msg_id) == ("+84912345678", "78")
    with pytest.raises(sms.PayloadError):
        sms.parse_payload(b'{"text": "x", "id": "1"}', "application/json")
    with pytest.raises(sms.PayloadError):
        sms.parse_payload(b"[1]", "application/json")


# --- SMS segments -----------------------------------------------------------------------------


def test_segment_counts_follow_gsm7_and_ucs2_limits() -> None:
    assert sms.segment_count("a" * 160) == 1
    assert sms.segment_count("a" * 161) == 2
    assert sms.segment_count("a" * 306) == 2
    assert sms.segment_count("ă" * 70) == 1
    assert sms.segment_count("ă" * 71) == 2
    assert sms.segment_count("ă" * 134) == 2
    assert sms.segment_count("ă" * 135) == 3
    assert sms.segment_count("{" * 80) == 1  # extension characters count twice
    assert sms.segment_count("{" * 81) == 2


def test_long_vietnamese_answer_is_cut_at_a_word_with_the_tracking_link() -> None:
    answer = "Công đoàn đã làm việc với doanh nghiệp về việc chậm trả lương tháng mười. " * 6
    link = "https://congdoan.example/y-kien/tra-cuu/YK-ABC234"
    short = sms.fit_segments(answer, 3, link=link)
    assert sms.segment_count(short) <= 3
    assert short.endswith("… " + link)
    kept = short[: -len("… " + link)]
    assert answer.startswith(kept)
    assert not kept.endswith(" ")
    assert answer[len(kept)] == " "  # cut between words
    assert sms.fit_segments("Đã giải quyết.", 3, link=link) == "Đã giải quyết."
