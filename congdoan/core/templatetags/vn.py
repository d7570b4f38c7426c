from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.translation import gettext

from congdoan.core.phones import display_phone
from congdoan.core.vndate import vn_date, vn_number, vn_short_date

register = template.Library()


@register.filter
def ngay(value: date | datetime | None) -> str:
    return vn_date(value)


@register.filter
def ngay_ngan(value: date | datetime | None) -> str:
    return vn_short_date(value)


@register.filter
def so(value: int | float | None) -> str:
    return "" if value is None else vn_number(value)


@register.filter
def dien_thoai(value: str | None) -> str:
    """+84912345678 → 0912 345 678, as a Vietnamese reader writes it."""
    return display_phone(value or "")


@register.filter
def dich(value: str | list[str] | None) -> str | list[str]:
    """Stored Vietnamese phrases (urgency reasons…) in the reader's language; a list stays a list."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [gettext(str(v)) for v in value]
    return gettext(str(value))
