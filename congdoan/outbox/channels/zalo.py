"""Zalo Official Account: the customer-service text message (``POST /v3.0/oa/message/cs``).

Zalo answers HTTP 200 with ``{"error": 0, "data": {"message_id": …}}`` or a non-zero error,
which is final (a user who never followed the OA, a bad token…).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.http import post_json
from congdoan.outbox.models import OutboundMessage

SEND_PATH = "/v3.0/oa/message/cs"
# Zalo OA text messages are limited to 2000 characters.
MAX_TEXT = 2000


def send_text(user_id: str, text: str) -> str:
    """Send a customer-service text to a Zalo user now (one try); return Zalo's message id."""
    token = settings.ZALO_OA_ACCESS_TOKEN
    if not token:
        raise ChannelNotConfigured(_("Zalo OA: chưa cấu hình ZALO_OA_ACCESS_TOKEN"))
    if not user_id:
        raise ChannelError(_("Zalo OA: thiếu mã người nhận (user_id)"))
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    data = post_json(
        settings.ZALO_OA_API_BASE.rstrip("/") + SEND_PATH,
        {"recipient": {"user_id": user_id}, "message": {"text": text}},
        headers={"access_token": token},
        provider="Zalo OA",
    )
    error = data.get("error")
    if error != 0:
        raise ChannelError(
            _("Zalo OA: lỗi %(code)s: %(detail)s")
            % {"code": error, "detail": data.get("message") or _("lỗi không rõ")}
        )
    inner = data.get("data") or {}
    return str(inner.get("message_id", "")) if isinstance(inner, dict) else ""


def send(message: OutboundMessage) -> str:
    return send_text(message.recipient, message.body)
