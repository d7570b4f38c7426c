"""`{{ row|figure }}`: a figure as the officer reads it ("85,3 %", "3 văn bản", "chưa có dữ liệu")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from congdoan.core.vndate import vn_number
from congdoan.plan.indicators import COUNT

register = template.Library()


def shown(value: Decimal | None, kind: str, unit_label: str = "") -> str:
    if value is None:
        return _("chưa có dữ liệu")
    if kind == COUNT:
        return f"{vn_number(int(value))} {unit_label}".strip()
    return f"{vn_number(float(value))} %"


@register.filter
def figure(row: Any) -> str:
    return shown(row.value, row.kind, row.unit_label)


@register.filter
def target_text(row: Any) -> str:
    if row.target is None:
        return "—"
    return shown(row.target, row.kind, row.unit_label)


@register.filter
def percent(value: Decimal | None) -> str:
    return shown(value, "percent")
