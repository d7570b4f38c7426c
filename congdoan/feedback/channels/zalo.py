"""Zalo Official Account: webhook signature check and event parsing.

Zalo signs every webhook call with the header
``X-ZEvent-Signature: mac=<sha256 hex of (app_id + raw_body + timestamp + oa_secret_key)>``,
where ``timestamp`` is the ``timestamp`` field of the JSON body.
Messages go out through the outbox (congdoan/outbox/channels/zalo.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

SIGNATURE_HEADER = "X-ZEvent-Signature"


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
