"""A generic SMS gateway: ``POST {SMS_API_BASE}/send`` with ``Authorization: Bearer SMS_API_KEY``
and JSON ``{"to": "+84…", "text": …}``; the gateway answers ``{"status": "ok", "id": …}``."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.core.phones import normalize_phone
from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.http import post_json
from congdoan.outbox.models import OutboundMessage


def send_sms(to: str, text: str) -> str:
    """Send one (possibly concatenated) SMS now (one try); return the gateway's message id."""
    base = settings.SMS_API_BASE
    key = settings.SMS_API_KEY
    if not base or not key:
        raise ChannelNotConfigured(_("SMS: chưa cấu hình SMS_API_BASE / SMS_API_KEY"))
    phone = normalize_phone(to)
    if not phone:
        raise ChannelError(_("SMS: số điện thoại không hợp lệ: %(phone)r") % {"phone": to})
    data = post_json(
        base.rstrip("/") + "/send",
        {"to": phone, "text": text},
        headers={"Authorization": f"Bearer {key}"},
        provider="SMS",
    )
    if data.get("status") != "ok":
        detail = data.get("error") or data.get("message") or data.get("status") or _("lỗi không rõ")
        raise ChannelError(_("SMS: cổng tin nhắn từ chối: %(detail)s") % {"detail": detail})
    return str(data.get("id", ""))


def send(message: OutboundMessage) -> str:
    return send_sms(message.recipient, message.body)
