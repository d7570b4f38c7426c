"""The full version's HTML, made safe, and the plain text taken from it.

Officers paste from Word, from Zalo, from other sites: whatever arrives is cleaned with nh3
(the Rust `ammonia` sanitiser) to an allow-list of tags and attributes an article needs.
Scripts, styles, event handlers, `javascript:` links and unknown tags go; `<script>` and
`<style>` lose their content too. Links get `rel="noopener noreferrer"`.
"""

from __future__ import annotations

import html
import re

import nh3

from congdoan.text import fold

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|tr|figcaption)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_html(body: str) -> str:
    """The HTML with only the allowed tags and attributes (see the module's docstring)."""
    return nh3.clean(
        body or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def html_to_text(body: str) -> str:
    """Plain text of the HTML: one line per paragraph, entities decoded."""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", body or "")
    text = html.unescape(nh3.clean(marked, tags=set()))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def search_text(*, title: str, summary: str, body: str) -> str:
    """What the accent-less search looks in: title, short and full versions, folded."""
    return " ".join(fold(" ".join([title, summary, html_to_text(body)])).split())
