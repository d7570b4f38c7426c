"""eSMS.vn brandname SMS (SMS_PROVIDER=esms), as its public API documents it.

Documentation (developers.esms.vn, eSMS API):
- "Send OTP/Customer care message": ``POST {ESMS_API_BASE}/MainService.svc/json/
  SendMultipleMessage_V4_post_json/`` with a JSON body of strings ``ApiKey, SecretKey, Phone,
  Content, Brandname, SmsType ("2": customer care), IsUnicode ("1"/"0"), Sandbox ("1": checked,
  not sent, not charged), RequestId`` (blocks a duplicate of the same request for 24 hours).
  It answers HTTP 200 with ``{"CodeResult": "100", "SMSID": …}`` when eSMS accepted the
  request (not yet delivered), or another CodeResult with ``ErrorMessage``.
- "Table of error codes": 99 number blocked, 101 wrong ApiKey/SecretKey, 102 no price list,
  103 balance too low, 104 brandname not registered, 108 bad phone number, 118 unsupported
  message type, 124 duplicate RequestId, 140 IP not whitelisted, 146 content does not match a
  registered customer-care template, 177 network not registered for the brandname.
- "Get SMS by SMSID": ``GET …/MainService.svc/json/GetSendStatus?RefId=&ApiKey=&SecretKey=``
  → ``{"CodeResponse": "100", "SendStatus": 1 in review | 2 waiting | 4 refused | 5 sent |
  7 at the network, waiting for its report, "SendSuccess", "SendFailed", …}``.

How we use it: one message per request; RequestId is the outbox message's stable id, so a
retry after a timeout is refused by eSMS as 124 and counted as sent (it was accepted the first
time), never sent twice. 103 (balance) is retried later by the outbox (someone tops the account
up); every other refusal is final and its reason shown to the officers. Tested against a fake
that follows this documentation (congdoan/outbox/tests/fakes_esms.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core.phones import normalize_phone
from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.http import get_json, post_json

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
STATUS_PATH = "/MainService.svc/json/GetSendStatus"
PROVIDER = "eSMS"
ACCEPTED = "100"
DUPLICATE_REQUEST = "124"
# Documented refusals, in words an officer can act on; 103 is the only one worth a later try.
REFUSALS = {
    "99": gettext_lazy("số điện thoại bị chặn trên hệ thống eSMS"),
    "101": gettext_lazy("sai ESMS_API_KEY hoặc ESMS_SECRET_KEY"),
    "102": gettext_lazy("tài khoản eSMS chưa có bảng giá"),
    "103": gettext_lazy("tài khoản eSMS không đủ số dư; nạp thêm tiền rồi tin sẽ được gửi lại"),
    "104": gettext_lazy("brandname ESMS_BRANDNAME chưa được đăng ký hoặc đã bị hủy"),
    "108": gettext_lazy("số điện thoại không đúng định dạng"),
    "118": gettext_lazy("loại tin ESMS_SMS_TYPE không được hỗ trợ"),
    "140": gettext_lazy("địa chỉ IP của máy chủ chưa được eSMS cho phép (whitelist)"),
    "146": gettext_lazy("nội dung không khớp mẫu tin chăm sóc khách hàng đã đăng ký"),
    "177": gettext_lazy("nhà mạng của số này chưa được đăng ký cho brandname"),
}
RETRYABLE = {"103"}
# GetSendStatus's SendStatus values.
STATUS_WORDS = {
    1: gettext_lazy("chờ duyệt"),
    2: gettext_lazy("chờ gửi"),
    4: gettext_lazy("bị từ chối"),
    5: gettext_lazy("đã gửi"),
    7: gettext_lazy("đã chuyển nhà mạng, chờ báo cáo"),
}


def missing_settings() -> list[str]:
    names = ("ESMS_API_BASE", "ESMS_API_KEY", "ESMS_SECRET_KEY", "ESMS_BRANDNAME")
    return [name for name in names if not getattr(settings, name)]


def national_number(to: str) -> str | None:
    """The Vietnamese number as eSMS takes it ("0912345678"); None when not a VN number."""
    phone = normalize_phone(to)
    if not phone or not phone.startswith("+84"):
        return None
    return "0" + phone[3:]


def send_sms(to: str, text: str, *, request_id: str = "") -> str:
    """Send one customer-care brandname SMS now (one try); return eSMS's SMSID.

    With `request_id`, a second request with the same id (a retry after a lost answer) is
    refused by eSMS as a duplicate and returns ``"RequestId:<id>"``: it was accepted before.
    """
    missing = missing_settings()
    if missing:
        raise ChannelNotConfigured(
            _("SMS (eSMS): chưa cấu hình %(names)s") % {"names": ", ".join(missing)}
        )
    phone = national_number(to)
    if phone is None:
        raise ChannelError(
            _("SMS (eSMS): số điện thoại không hợp lệ hoặc không phải số Việt Nam: %(phone)r")
            % {"phone": to}
        )
    payload = {
        "ApiKey": settings.ESMS_API_KEY,
        "SecretKey": settings.ESMS_SECRET_KEY,
        "Phone": phone,
        "Content": text,
        "Brandname": settings.ESMS_BRANDNAME,
        "SmsType": settings.ESMS_SMS_TYPE,
        "IsUnicode": "0" if text.isascii() else "1",
        "Sandbox": "1" if settings.ESMS_SANDBOX else "0",
    }
    if request_id:
        payload["RequestId"] = request_id[:50]
    data = post_json(
        settings.ESMS_API_BASE.rstrip("/") + SEND_PATH, payload, headers={}, provider=PROVIDER
    )
    code = str(data.get("CodeResult", ""))
    if code == ACCEPTED:
        return str(data.get("SMSID") or "")
    if code == DUPLICATE_REQUEST and request_id:
        return f"RequestId:{request_id[:50]}"
    raise refusal(code, str(data.get("ErrorMessage") or ""))


def refusal(code: str, message: str) -> ChannelError:
    """The error for a CodeResult other than 100: the documented reason, else eSMS's words."""
    reason = REFUSALS.get(code) or message or _("lỗi không rõ")
    return ChannelError(
        _("SMS (eSMS): mã %(code)s: %(reason)s") % {"code": code or "?", "reason": reason},
        retryable=code in RETRYABLE,
    )


@dataclass(frozen=True)
class SendStatus:
    sms_id: str
    status: int
    success: int
    failed: int

    @property
    def label(self) -> str:
        return str(STATUS_WORDS.get(self.status, self.status))


def send_status(sms_id: str) -> SendStatus:
    """What eSMS knows of a message sent in the last 7 days (GetSendStatus), for whoever
    traces a delivery; the outbox counts a message sent once eSMS accepted it."""
    missing = missing_settings()
    if missing:
        raise ChannelNotConfigured(
            _("SMS (eSMS): chưa cấu hình %(names)s") % {"names": ", ".join(missing)}
        )
    params = {
        "RefId": sms_id,
        "ApiKey": settings.ESMS_API_KEY,
        "SecretKey": settings.ESMS_SECRET_KEY,
    }
    data = get_json(
        settings.ESMS_API_BASE.rstrip("/") + STATUS_PATH, params=params, provider=PROVIDER
    )
    code = str(data.get("CodeResponse", ""))
    if code != ACCEPTED:
        raise refusal(code, str(data.get("ErrorMessage") or ""))
    return SendStatus(
        sms_id=str(data.get("SMSID") or sms_id),
        status=int(data.get("SendStatus") or 0),
        success=int(data.get("SendSuccess") or 0),
        failed=int(data.get("SendFailed") or 0),
    )
