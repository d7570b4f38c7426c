"""Template filters of the monitoring pages: what was collected from outside is shown safely.

- `snapshot_html`: a snapshot's HTML copy, sanitised again at display (the ingest sanitises it
  with nh3; a second pass here means a row written any other way, or an older policy, never
  reaches the page with a script, a style, an event handler, a form or a remote image);
- `outside_href`: an item's address only when it is http(s) (never `javascript:` or `data:`);
- `risk_badge`: the badge class for a risk (0..1);
- `percent`: a share (0..1) as "83,3 %".
"""

from __future__ import annotations

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

from congdoan.core.vndate import vn_number

register = template.Library()

SNAPSHOT_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "blockquote", "q", "cite",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "div",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "time",
}  # fmt: skip


@register.filter
def snapshot_html(value: str | None) -> SafeString:
    cleaned = nh3.clean(
        value or "",
        tags=SNAPSHOT_TAGS,
        attributes={"a": {"href", "title"}, "th": {"colspan"}, "td": {"colspan"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)


@register.filter
def outside_href(value: str | None) -> str:
    url = (value or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


@register.filter
def risk_badge(value: float | None) -> str:
    risk = value or 0.0
    if risk >= 0.7:
        return "bad"
    if risk >= 0.4:
        return "warn"
    return "ok"


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{vn_number(round(value * 100, 1))} %"
