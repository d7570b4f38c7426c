"""Dates and numbers written the Vietnamese way (and the English way in English mode)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import dateformat, timezone, translation


def vn_date(value: date | datetime | None, with_weekday: bool = False) -> str:
    """'ngày 27 tháng 11 năm 2026' (administrative style; day and month of one digit get a leading zero only for day < 10 and month < 3, as in Decree 30/2020)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if (translation.get_language() or "vi").startswith("en"):
        return dateformat.format(value, "l, j F Y" if with_weekday else "j F Y")
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    text = f"ngày {day} tháng {month} năm {value.year}"
    if with_weekday:
        names = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
        text = f"{names[value.weekday()]}, {text}"
    return text


def vn_short_date(value: date | datetime | None) -> str:
    """'27/11/2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def vn_number(value: int | float) -> str:
    """A number the way the reader's language writes it: Vietnamese 1234567.5 -> '1.234.567,5',
    English -> '1,234,567.5' (at most two decimals)."""
    english = (translation.get_language() or "vi").startswith("en")
    thousands, decimal = (",", ".") if english else (".", ",")
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", thousands)
    whole, frac = f"{value:,.2f}".split(".")
    frac = frac.rstrip("0")
    whole = whole.replace(",", thousands)
    return f"{whole}{decimal}{frac}" if frac else whole
