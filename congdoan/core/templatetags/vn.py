from __future__ import annotations

from datetime import date, datetime

from django import template

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
