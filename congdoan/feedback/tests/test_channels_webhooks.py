# ruff: noqa: F811 - pytest fixtures from fakes.fixtures are used as parameters
"""Zalo OA and SMS webhooks: signatures, intake as concerns, receipts and answers through fakes."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.test import Client

from congdoan.feedback.channels import deliver_answer
from congdoan.feedback.models import Channel, Concern, ConcernEvent
from congdoan.feedback.tests.fakes import FakeSmsGateway, FakeZaloOA
from congdoan.feedback.tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    SMS_WEBHOOK_SECRET,
    ZALO_APP_ID,
    ZALO_SECRET,
    fake_sms,
    fake_zalo,
    fast_retries,
)
from congdoan.outbox.models import MessageStatus, OutboundMessage

ZALO_URL = "/kenh/zalo/"
SMS_URL = "/kenh/sms/"


def zalo_event(
    text: str, *, msg_id: str = "msg-1", sender: str = "2468013579", ts: str = "1732700000000"
) -> bytes:
    return json.dumps(
        {
            "app_id": ZALO_APP_ID,
            "event_name": "user_send_text",
            "sender": {"id": sender},
            "recipient": {"id": "579745863508352884"},
            "message": {"text": text, "msg_id": msg_id},
            "timestamp": ts,
        },
        ensure_ascii=False,
    ).encode()


def zalo_mac(body: bytes) -> str:
    ts = str(json.loads(body)["timestamp"])
    return (
        "mac="
        + hashlib.sha256(
            ZALO_APP_ID.encode() + body + ts.encode() + ZALO_SECRET.encode()
        ).hexdigest()
    )


def post_zalo(client: Client, body: bytes, signature: str | None = "auto") -> Any:
    headers = {}
    if signature == "auto":
        headers["X-ZEvent-Signature"] = zalo_mac(body)
    elif signature is not None:
        headers["X-ZEvent-Signature"] = signature
    return client.post(ZALO_URL, data=body, content_type="application/json", headers=headers)


def sms_sig(body: bytes) -> str:
    return hmac.new(SMS_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def post_sms(client: Client, body: bytes, content_type: str, signature: str | None = "auto") -> Any:
    headers = {}
    if signature == "auto":
        headers["X-Signature"] = sms_sig(body)
    elif signature is not None:
        headers["X-Signature"] = signature
    return client.post(SMS_URL, data=body, content_type=content_type, headers=headers)


# --- Zalo -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_zalo_text_becomes_a_concern_of_the_tagged_unit_and_the_worker_gets_the_code(
    cast: Any, client: Client, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    body = zalo_event("#PX-A Tháng này công ty nợ lương hai tháng rồi")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_zalo(client, body)
    assert response.status_code == 200
    concern = Concern.objects.get()
    assert response.json() == {"ok": True, "code": concern.code, "duplicate": False}
    assert concern.channel == Channel.ZALO
    assert concern.unit == cast.unit_a
    assert concern.text == "Tháng này công ty nợ lương hai tháng rồi"
    assert concern.external_id == "msg-1"
    assert concern.contact_zalo_id == "2468013579"
    assert concern.is_anonymous is True
    (sent,) = fake_zalo.sent
    assert sent["user_id"] == "2468013579"
    assert concern.code in sent["text"]
    assert ConcernEvent.objects.filter(concern=concern, kind="channel.receipt_sent").exists()


@pytest.mark.django_db
def test_zalo_unit_is_found_by_qr_token_too(
    cast: Any, client: Client, fake_zalo: FakeZaloOA
) -> None:
    body = zalo_event(f"Nhà vệ sinh xưởng hỏng cả tuần #{cast.unit_b.qr_token}")
    assert post_zalo(client, body).status_code == 200
    assert Concern.objects.get().unit == cast.unit_b


@pytest.mark.django_db
def test_zalo_without_known_unit_goes_to_the_district_inbox(
    cast: Any, client: Client, fake_zalo: FakeZaloOA
) -> None:
    assert post_zalo(client, zalo_event("#KHONG-CO Ca đêm không có nước uống")).status_code == 200
    concern = Concern.objects.get()
    assert concern.unit is None
    assert concern.text == "#KHONG-CO Ca đêm không có nước uống"


@pytest.mark.django_db
def test_zalo_redelivered_msg_id_creates_no_duplicate_and_no_second_reply(
    cast: Any, client: Client, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    body = zalo_event("#PX-A Xin hỏi về chế độ thai sản")
    with django_capture_on_commit_callbacks(execute=True):
        first = post_zalo(client, body)
        again = post_zalo(client, body)
    assert Concern.objects.count() == 1
    assert again.json()["duplicate"] is True
    assert again.json()["code"] == first.json()["code"]
    assert len(fake_zalo.sent) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    [None, "", "mac=" + "0" * 64, "deadbeef", "mac="],
    ids=["missing", "empty", "forged", "no-prefix", "blank-mac"],
)
def test_zalo_bad_signature_is_refused_and_nothing_is_stored(
    cast: Any, client: Client, fake_zalo: FakeZaloOA, signature: str | None
) -> None:
    response = post_zalo(client, zalo_event("#PX-A nội dung giả mạo"), signature=signature)
    assert response.status_code == 403
    assert Concern.objects.count() == 0
    assert fake_zalo.requests == []


@pytest.mark.django_db
def test_zalo_signature_of_another_body_is_refused(
    cast: Any, client: Client, fake_zalo: FakeZaloOA
) -> None:
    genuine = zalo_event("Xin chào", msg_id="a")
    tampered = zalo_event("#PX-A Nội dung bị sửa", msg_id="a")
    response = post_zalo(client, tampered, signature=zalo_mac(genuine))
    assert response.status_code == 403
    assert Concern.objects.count() == 0


@pytest.mark.django_db
def test_zalo_other_events_are_acknowledged_and_ignored(
    cast: Any, client: Client, fake_zalo: FakeZaloOA
) -> None:
    body = json.dumps(
        {
            "app_id": ZALO_APP_ID,
            "event_name": "follow",
            "follower": {"id": "1"},
            "timestamp": "1732700000000",
        }
    ).encode()
    response = post_zalo(client, body)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "ignored": "follow"}
    assert Concern.objects.count() == 0


@pytest.mark.django_db
def test_zalo_empty_message_gets_a_help_reply_and_stores_nothing(
    cast: Any, client: Client, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_zalo(client, zalo_event("#PX-A"))
    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert Concern.objects.count() == 0
    (sent,) = fake_zalo.sent
    assert "Chưa ghi nhận" in sent["text"]


@pytest.mark.django_db
def test_zalo_get_is_not_allowed(client: Client, fake_zalo: FakeZaloOA) -> None:
    assert client.get(ZALO_URL).status_code == 405


@pytest.mark.django_db
def test_zalo_concern_is_kept_when_the_reply_fails(
    cast: Any, client: Client, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    fake_zalo.fail_next(10, status=503)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_zalo(client, zalo_event("#PX-A Xe đưa đón công nhân bị cắt"))
    assert response.status_code == 200
    concern = Concern.objects.get()
    assert len(fake_zalo.requests) == 1  # one try now; the outbox tries again later
    message = OutboundMessage.objects.get(purpose="feedback.receipt")
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert "503" in message.last_error and message.ref == f"feedback.concern:{concern.pk}"


# --- SMS --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sms_form_post_becomes_an_anonymous_concern_and_gets_the_code_by_sms(
    cast: Any, client: Client, fake_sms: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    from urllib.parse import urlencode

    body = urlencode(
        {
            "from": "0912345678",
            "text": "#PX-B Tang ca qua nhieu, khong duoc tra luong them gio",
            "id": "sms-42",
            "timestamp": "1732700000",
        }
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_sms(client, body, "application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content
    concern = Concern.objects.get()
    assert concern.channel == Channel.SMS
    assert concern.unit == cast.unit_b
    assert concern.contact_phone == "+84912345678"
    assert concern.is_anonymous is True
    assert concern.external_id == "sms-42"
    (sent,) = fake_sms.sent
    assert sent["to"] == "+84912345678"
    assert concern.code in sent["text"]


@pytest.mark.django_db
def test_sms_json_post_and_replay_create_one_concern(
    cast: Any, client: Client, fake_sms: FakeSmsGateway
) -> None:
    body = json.dumps(
        {"from": "+84912345678", "text": "Xin hỏi lịch nghỉ Tết", "id": "s-1"}
    ).encode()
    assert post_sms(client, body, "application/json").status_code == 200
    assert post_sms(client, body, "application/json").json()["duplicate"] is True
    assert Concern.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature", [None, "", "0" * 64, "sha256=abc"], ids=["missing", "empty", "forged", "short"]
)
def test_sms_bad_signature_is_refused_and_nothing_is_stored(
    cast: Any, client: Client, fake_sms: FakeSmsGateway, signature: str | None
) -> None:
    body = json.dumps({"from": "0912345678", "text": "giả mạo", "id": "x"}).encode()
    assert post_sms(client, body, "application/json", signature=signature).status_code == 403
    assert Concern.objects.count() == 0


@pytest.mark.django_db
def test_sms_signed_but_unusable_payload_is_acknowledged_not_redelivered(
    cast: Any, client: Client, fake_sms: FakeSmsGateway
) -> None:
    body = json.dumps({"text": "thiếu số gửi", "id": "x"}).encode()
    response = post_sms(client, body, "application/json")
    assert response.status_code == 200 and response.json()["ok"] is False
    assert "from" in response.json()["error"]
    assert Concern.objects.count() == 0


# --- answers ----------------------------------------------------------------------------------


def _answered(unit: Any, **kw: Any) -> Concern:
    return Concern.objects.create(
        unit=unit, text="Lương chậm", answer_text="Công ty đã cam kết trả lương trước ngày 5.", **kw
    )


@pytest.mark.django_db
def test_deliver_answer_sends_zalo_answers_through_the_oa(
    cast: Any, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    concern = _answered(cast.unit_a, channel=Channel.ZALO, contact_zalo_id="u-77")
    with django_capture_on_commit_callbacks(execute=True):
        deliver_answer(concern)
    (sent,) = fake_zalo.sent
    assert sent["user_id"] == "u-77"
    assert "Công ty đã cam kết trả lương trước ngày 5." in sent["text"]
    assert concern.code in sent["text"]
    assert ConcernEvent.objects.filter(concern=concern, kind="channel.answer_sent").exists()


@pytest.mark.django_db
def test_deliver_answer_sends_sms_answers_and_cuts_long_ones_with_the_tracking_link(
    cast: Any, fake_sms: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    from congdoan.feedback.channels import sms, tracking_url

    concern = _answered(cast.unit_a, channel=Channel.SMS, contact_phone="+84912345678")
    concern.answer_text = "Công đoàn đã làm việc với công ty về tiền lương làm thêm giờ. " * 10
    concern.save()
    with django_capture_on_commit_callbacks(execute=True):
        deliver_answer(concern)
    (sent,) = fake_sms.sent
    assert sent["to"] == "+84912345678"
    assert sms.segment_count(sent["text"]) <= 3
    assert sent["text"].endswith(tracking_url(concern))


@pytest.mark.django_db
def test_answer_refused_by_zalo_fails_for_good_and_is_logged_on_the_concern(
    cast: Any, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    concern = _answered(cast.unit_a, channel=Channel.ZALO, contact_zalo_id="u-77")
    fake_zalo.fail_next(
        1,
        payload={
            "error": -230,
            "message": "User has not interacted with the OA in the last 7 days",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        deliver_answer(concern)
    message = OutboundMessage.objects.get(purpose="feedback.answer")
    assert message.status == MessageStatus.FAILED and "-230" in message.last_error
    assert ConcernEvent.objects.filter(concern=concern, kind="channel.answer_failed").exists()


@pytest.mark.django_db
def test_answer_during_an_sms_gateway_outage_waits_in_the_outbox_for_a_retry(
    cast: Any, fake_sms: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    concern = _answered(cast.unit_a, channel=Channel.SMS, contact_phone="+84912345678")
    fake_sms.fail_next(5, status=500)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_answer(concern)
    assert len(fake_sms.requests) == 1  # no sleeping retry loop inside the worker
    message = OutboundMessage.objects.get(purpose="feedback.answer")
    assert message.status == MessageStatus.QUEUED and "HTTP 500" in message.last_error
    assert not ConcernEvent.objects.filter(concern=concern, kind="channel.answer_sent").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "channel", [Channel.WEB, Channel.API, Channel.MEMBER, Channel.OFFICER, Channel.IMPORT]
)
def test_deliver_answer_is_a_no_op_for_site_channels(
    cast: Any, fake_zalo: FakeZaloOA, fake_sms: FakeSmsGateway, channel: str
) -> None:
    concern = _answered(
        cast.unit_a, channel=channel, contact_phone="+84912345678", contact_zalo_id="u"
    )
    deliver_answer(concern)
    assert fake_zalo.requests == [] and fake_sms.requests == []


# --- status questions -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["{code}", "ma {spaced}", "{lower}."])
def test_zalo_message_with_only_a_tracking_code_gets_the_status_and_stores_nothing(
    cast: Any,
    client: Client,
    fake_zalo: FakeZaloOA,
    django_capture_on_commit_callbacks: Any,
    typed: str,
) -> None:
    concern = Concern.objects.create(
        unit=cast.unit_a,
        text="Lương chậm",
        status="answered",
        answer_text="Đã trả đủ lương ngày 5.",
    )
    text = typed.format(
        code=concern.code, spaced=concern.code.replace("-", " "), lower=concern.code.lower()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post_zalo(client, zalo_event(text, msg_id="ask-1"))
    assert response.json() == {"ok": True, "status_of": concern.code}
    assert Concern.objects.count() == 1
    (sent,) = fake_zalo.sent
    assert (
        concern.code in sent["text"]
        and "Đã trả lời" in sent["text"]
        and "Đã trả đủ lương" in sent["text"]
    )


@pytest.mark.django_db
def test_sms_status_question_for_an_unknown_code_says_so(
    cast: Any, client: Client, fake_sms: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    body = json.dumps({"from": "0912345678", "text": "YK-ZZZZZZ", "id": "q-1"}).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_sms(client, body, "application/json")
    assert response.json()["status_of"] == "YK-ZZZZZZ"
    assert Concern.objects.count() == 0
    assert "Không tìm thấy" in fake_sms.sent[0]["text"]


@pytest.mark.django_db
def test_sms_receipt_fits_the_segment_limit_and_keeps_the_tracking_link(
    cast: Any,
    client: Client,
    fake_sms: FakeSmsGateway,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    from congdoan.feedback.channels import sms, tracking_url

    settings.SMS_MAX_SEGMENTS = 2
    body = json.dumps({"from": "0912345678", "text": "#PX-A Thiếu nước uống", "id": "r-1"}).encode()
    with django_capture_on_commit_callbacks(execute=True):
        post_sms(client, body, "application/json")
    text = fake_sms.sent[0]["text"]
    assert sms.segment_count(text) <= 2
    assert text.endswith(tracking_url(Concern.objects.get()))


@pytest.mark.django_db
def test_code_of_a_merged_union_leads_to_the_union_it_merged_into(
    cast: Any, client: Client, fake_zalo: FakeZaloOA
) -> None:
    from congdoan.orgs.models import Unit

    Unit.objects.filter(pk=cast.unit_a.pk).update(is_active=False, merged_into=cast.unit_b)
    assert post_zalo(client, zalo_event("Xin hỏi về   lương #px-a   tháng 11")).status_code == 200
    concern = Concern.objects.get()
    assert concern.unit == cast.unit_b
    assert concern.text == "Xin hỏi về lương tháng 11"


@pytest.mark.django_db
def test_deliver_answer_without_configuration_logs_and_does_not_raise(
    cast: Any, settings: Any
) -> None:
    settings.ZALO_OA_ACCESS_TOKEN = ""
    concern = _answered(cast.unit_a, channel=Channel.ZALO, contact_zalo_id="u-77")
    deliver_answer(concern)
    event = ConcernEvent.objects.get(concern=concern, kind="channel.answer_not_sent")
    assert "ZALO_OA_ACCESS_TOKEN" in event.note


@pytest.mark.django_db
def test_deliver_answer_after_the_contact_was_erased_sends_nothing(
    cast: Any, fake_sms: FakeSmsGateway
) -> None:
    concern = _answered(cast.unit_a, channel=Channel.SMS, contact_phone="")
    deliver_answer(concern)
    assert fake_sms.requests == []
    assert ConcernEvent.objects.filter(concern=concern, kind="channel.answer_not_sent").exists()
