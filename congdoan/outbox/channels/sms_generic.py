"""The generic SMS gateway (SMS_PROVIDER=generic, the default): ``POST {SMS_API_BASE}/send``
with ``Authorization: Bearer SMS_API_KEY`` and JSON ``{"to": "+84…", "text": …}``; the gateway
answers ``{"status": "ok", "id": …}``. Any gateway, or a small bridge in front of one, that
speaks this is used as it is (docs/feedback-channels.md)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.core.phones import normalize_phone
from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.http import post_json


def missing_settings() -> list[str]:
    """The settings this adapter needs and does not have."""
    return [name for name in ("SMS_API_BASE", "SMS_API_KEY") if not getattr(settings, name)]


def send_sms(to: str, text: str, *, request_id: str = "") -> str:
    """Send one (possibly concatenated) SMS now (one try); return the gateway's message id.

    The generic gateway has no idempotency key: `request_id` is accepted and not sent."""
    del request_id
    if missing_settings():
        raise ChannelNotConfigured(_("SMS: chưa cấu hình SMS_API_BASE / SMS_API_KEY"))
    phone = normalize_phone(to)
    if not phone:
        raise ChannelError(_("SMS: số điện thoại không hợp lệ: %(phone)r") % {"phone": to})
    data = post_json(
        settings.SMS_API_BASE.rstrip("/") + "/send",
        {"to": phone, "text": text},
        headers={"Authorization": f"Bearer {settings.SMS_API_KEY}"},
        provider="SMS",
    )
    if data.get("status") != "ok":
        detail = data.get("error") or data.get("message") or data.get("status") or _("lỗi không rõ")
        raise ChannelError(_("SMS: cổng tin nhắn từ chối: %(detail)s") % {"detail": detail})
    return str(data.get("id", ""))
