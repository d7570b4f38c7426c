"""``{% chart_img src alt width height unit=… year=… %}``: a server-drawn chart (core.charts)
as a ``<picture>`` that asks for the narrow drawing on a phone (``w=phone``), so its labels
stay readable instead of shrinking with the picture. Keyword arguments become the address's
query (URL-encoded; empty ones left out), ``query`` adds a ready-made one, ``lazy=True`` for
charts below the fold."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from congdoan.core.charts import PHONE_PARAM

register = template.Library()


@register.simple_tag
def chart_img(
    src: str,
    alt: str,
    width: int | str = "",
    height: int | str = "",
    *,
    lazy: bool = False,
    query: str = "",
    **params: object,
) -> SafeString:
    parts = [
        p for p in (urlencode({k: v for k, v in params.items() if v not in ("", None)}), query) if p
    ]
    address = src + ("?" + "&".join(parts) if parts else "")
    phone = f"{address}{'&' if parts else '?'}w={PHONE_PARAM}"
    attrs = [
        format_html(' {}="{}"', name, value)
        for name, value in (("width", width), ("height", height))
        if value
    ]
    if lazy:
        attrs.append(mark_safe(' loading="lazy"'))
    return format_html(
        '<picture><source media="(max-width: 40em)" srcset="{}">'
        '<img src="{}" alt="{}"{}></picture>',
        phone,
        address,
        alt,
        mark_safe("".join(attrs)),
    )
