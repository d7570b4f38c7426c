"""Channel credentials encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is CHANNEL_CREDENTIALS_KEY (one or more Fernet keys separated by commas: the first
encrypts, all decrypt, so a key can be rotated); unset, it is derived from SECRET_KEY, so a
database copied without the settings reads as noise. Changing SECRET_KEY without setting
CHANNEL_CREDENTIALS_KEY to the old derived key makes stored credentials unreadable: each
account then asks its officers to reconnect.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsUnreadable(Exception):
    """The stored credentials cannot be decrypted with the configured keys."""


def derived_key(secret: str) -> bytes:
    """A Fernet key from SECRET_KEY (used when CHANNEL_CREDENTIALS_KEY is not set)."""
    digest = hashlib.sha256(b"congdoan.channel-credentials:" + secret.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    configured = [k.strip() for k in settings.CHANNEL_CREDENTIALS_KEY.split(",") if k.strip()]
    keys = [k.encode("ascii") for k in configured] or [derived_key(settings.SECRET_KEY)]
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(data: dict[str, Any]) -> str:
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode("utf-8")).decode("ascii")


def decrypt(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        plain = _fernet().decrypt(token.encode("ascii"))
    except (InvalidToken, ValueError) as exc:
        raise CredentialsUnreadable(str(exc) or "invalid token") from exc
    data = json.loads(plain)
    return data if isinstance(data, dict) else {}
