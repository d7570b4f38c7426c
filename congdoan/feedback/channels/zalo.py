"""Zalo Official Account: webhook signature check, event parsing and the send-message client.

Zalo signs every webhook call with the header
``X-ZEvent-Signature: mac=<sha256 hex of (app_id + raw_body + timestamp + oa_secret_key)>``,
where ``timestamp`` is the ``timestamp`` field of the JSON body.
Messages go out through ``POST {ZALO_OA_API_BASE}/v3.0/oa/message/cs`` with the OA's
``access_token`` header; Zalo answers HTTP 200 with ``{"error": 0, …}`` or a non-zero error.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from congdoan.feedback.channels.http import (
    ChannelError,
    ChannelNotConfigured,
    RetryPolicy,
    post_json,
)

SIGNATURE_HEADER = "X-ZEvent-Signature"
SEND_PATH = "/v3.0/oa/message/cs"
# Zalo OA text messages are limited to 2000 characters.
MAX_TEXT = 2000


def expected_signature(raw_body: bytes, timestamp: str, *, app_id: str, secret: str) -> str:
    data = app_id.encode() + raw_body + str(timestamp).encode() + secret.encode()
    return hashlib.sha256(data).hexdigest()


def verify_signature(raw_body: bytes, header: str | None) -> bool:
    """True when `header` carries Zalo's MAC of this body; False when missing, malformed or forged."""
    app_id = settings.ZALO_APP_ID
    secret = settings.ZALO_OA_SECRET_KEY
    if not header or not app_id or not secret:
        return False
    value = header.strip()
    if not value.startswith("mac="):
        return False
    given = value[4:].strip().lower()
    try:
        body = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    if not isinstance(body, dict) or "timestamp" not in body:
        return False
    wanted = expected_signature(raw_body, str(body["timestamp"]), app_id=app_id, secret=secret)
    return hmac.compare_digest(given.encode(), wanted.encode())


@dataclass(frozen=True)
class ZaloText:
    sender_id: str
    text: str
    msg_id: str
    timestamp: str


def parse_text_event(body: dict[str, Any]) -> ZaloText | None:
    """The text message in a `user_send_text` event; None for every other event."""
    if body.get("event_name") != "user_send_text":
        return None
    sender = body.get("sender") or {}
    message = body.get("message") or {}
    if not isinstance(sender, dict) or not isinstance(message, dict):
        return None
    sender_id = str(sender.get("id") or "").strip()
    msg_id = str(message.get("msg_id") or "").strip()
    text = str(message.get("text") or "").strip()
    if not sender_id or not msg_id:
        return None
    return ZaloText(
        sender_id=sender_id, text=text, msg_id=msg_id, timestamp=str(body.get("timestamp", ""))
    )


def send_text(user_id: str, text: str) -> str:
    """Send a customer-service text to a Zalo user; return Zalo's message id."""
    token = settings.ZALO_OA_ACCESS_TOKEN
    if not token:
        raise ChannelNotConfigured("Zalo OA: chưa cấu hình ZALO_OA_ACCESS_TOKEN")
    if not user_id:
        raise ChannelError("Zalo OA: thiếu mã người nhận (user_id)")
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    url = settings.ZALO_OA_API_BASE.rstrip("/") + SEND_PATH
    data = post_json(
        url,
        {"recipient": {"user_id": user_id}, "message": {"text": text}},
        headers={"access_token": token},
        policy=RetryPolicy.from_settings(),
        provider="Zalo OA",
    )
    error = data.get("error")
    if error != 0:
        message = data.get("message") or "lỗi không rõ"
        raise ChannelError(f"Zalo OA: lỗi {error}: {message}")
    inner = data.get("data") or {}
    return str(inner.get("message_id", "")) if isinstance(inner, dict) else ""
