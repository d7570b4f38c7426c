"""Phone numbers stored one way: E.164 (+84…)."""

from __future__ import annotations

import phonenumbers


def normalize_phone(raw: str, region: str = "VN") -> str | None:
    """Return the number in E.164 form, or None when it is not a valid number."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
