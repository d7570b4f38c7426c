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


def display_phone(value: str, region: str = "VN") -> str:
    """A stored (E.164) number the way people write it at home: +84912345678 → 0912 345 678.

    A foreign number keeps its international form; anything unparsable is shown as stored.
    """
    value = (value or "").strip()
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return value
    if phonenumbers.region_code_for_number(parsed) == region:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
