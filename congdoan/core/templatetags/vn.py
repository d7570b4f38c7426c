from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.translation import gettext

from congdoan.core import vndate
from congdoan.core.phones import display_phone

register = template.Library()


@register.filter(name="vn_date")
def vn_date_filter(value: date | datetime | None) -> str:
    """27/11/2026 → "ngày 27 tháng 11 năm 2026" (in English mode, "27 November 2026")."""
    return vndate.vn_date(value)


@register.filter(name="vn_short_date")
def vn_short_date_filter(value: date | datetime | None) -> str:
    return vndate.vn_short_date(value)


@register.filter(name="vn_number")
def vn_number_filter(value: int | float | None) -> str:
    """9067 → "9.067" (in English mode, "9,067")."""
    return "" if value is None else vndate.vn_number(value)


@register.filter
def vn_phone(value: str | None) -> str:
    """+84912345678 → 0912 345 678, as a Vietnamese reader writes it."""
    return display_phone(value or "")


@register.filter
def translated(value: str | list[str] | None) -> str | list[str]:
    """Stored Vietnamese phrases (urgency reasons…) in the reader's language; a list stays a list."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [gettext(str(v)) for v in value]
    return gettext(str(value))
