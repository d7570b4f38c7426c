"""A generic SMS gateway: webhook signature check, payload parsing, segmenting.

Incoming (gateway → us): ``POST /kenh/sms/`` with a form or JSON body
``from, text, id, timestamp``, signed with ``X-Signature: <hex HMAC-SHA256(raw body, SMS_WEBHOOK_SECRET)>``
(a ``sha256=`` prefix is accepted).
Outgoing (us → gateway): sent by the outbox (congdoan/outbox/channels/sms.py); this module
only fits the text into the allowed number of segments.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings

from congdoan.core.phones import normalize_phone

SIGNATURE_HEADER = "X-Signature"

# GSM 03.38 basic alphabet and the extension table (extension characters take two septets).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXT = set("^{}\\[~]|€\f")


def expected_signature(raw_body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify_signature(raw_body: bytes, header: str | None) -> bool:
    secret = settings.SMS_WEBHOOK_SECRET
    if not header or not secret:
        return False
    given = header.strip()
    if given.lower().startswith("sha256="):
        given = given[7:]
    wanted = expected_signature(raw_body, secret)
    return hmac.compare_digest(given.lower().encode(), wanted.encode())


@dataclass(frozen=True)
class IncomingSms:
    phone: str  # E.164, or the raw sender when it is not a phone number (short codes)
    text: str
    msg_id: str
    timestamp: str


class PayloadError(ValueError):
    pass


def parse_payload(raw_body: bytes, content_type: str) -> IncomingSms:
    """Read an incoming SMS from a JSON or form-encoded body; PayloadError when unusable."""
    try:
        text_body = raw_body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError("body is not UTF-8") from exc
    data: dict[str, Any]
    if "json" in (content_type or "").lower():
        try:
            loaded = json.loads(text_body)
        except json.JSONDecodeError as exc:
            raise PayloadError("body is not valid JSON") from exc
        if not isinstance(loaded, dict):
            raise PayloadError("JSON body must be an object")
        data = loaded
    else:
        data = {k: v[0] for k, v in parse_qs(text_body, keep_blank_values=True).items()}
    sender = str(data.get("from") or "").strip()
    msg_id = str(data.get("id") or "").strip()
    text = str(data.get("text") or "").strip()
    if not sender:
        raise PayloadError("missing 'from'")
    if not msg_id:
        raise PayloadError("missing 'id'")
    phone = normalize_phone(sender) or sender
    return IncomingSms(
        phone=phone, text=text, msg_id=msg_id, timestamp=str(data.get("timestamp") or "")
    )


# --- segments -------------------------------------------------------------------------------


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXT for ch in text)


def _units(text: str) -> int:
    """Length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2."""
    if is_gsm7(text):
        return sum(2 if ch in _GSM_EXT else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def segment_limits(text: str) -> tuple[int, int]:
    """(single-message limit, per-part limit when concatenated) for this text's encoding."""
    return (160, 153) if is_gsm7(text) else (70, 67)


def segment_count(text: str) -> int:
    units = _units(text)
    single, part = segment_limits(text)
    if units <= single:
        return 1
    return math.ceil(units / part)


def fit_segments(text: str, max_segments: int, link: str = "") -> str:
    """Return `text` unchanged when it fits in `max_segments` SMS; otherwise cut it at a word
    boundary and append "… " + `link` (the tracking page) so that the whole fits."""
    text = " ".join(text.split())
    if segment_count(text) <= max_segments:
        return text
    tail = f"… {link}" if link else "…"
    words = text.split(" ")
    # Shrink word by word (then character by character for one very long word).
    while words:
        candidate = " ".join(words) + tail
        if segment_count(candidate) <= max_segments:
            return candidate
        if len(words) == 1:
            word = words[0]
            while word:
                word = word[:-1]
                candidate = word + tail
                if segment_count(candidate) <= max_segments:
                    return candidate
            break
        words.pop()
    return tail.strip()


def with_link(text: str, link: str, max_segments: int) -> str:
    """`text` followed by `link`; when too long, `text` is cut so that the link always fits."""
    whole = f"{' '.join(text.split())} {link}".strip()
    if segment_count(whole) <= max_segments:
        return whole
    return fit_segments(text, max_segments, link=link)
