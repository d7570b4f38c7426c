"""The full version's HTML, made safe, and the plain text taken from it.

Officers paste from Word, from Zalo, from other sites: whatever arrives is cleaned with nh3
(the Rust `ammonia` sanitiser) to an allow-list of tags and attributes an article needs.
Scripts, styles, event handlers, `javascript:` links and unknown tags go; `<script>` and
`<style>` lose their content too. Links get `rel="noopener noreferrer"`.

`text_to_html` turns what an officer types on a phone (plain text with a few marks) into the
simple HTML that the sanitiser then takes.
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


_HAS_TAG = re.compile(r"<(p|br|h[2-4]|ul|ol|li|strong|em|b|i|a|img|table|blockquote)[\s>/]", re.I)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(line: str) -> str:
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", html.escape(line)))


def text_to_html(text: str) -> str:
    """An officer's plain text as simple HTML; text that already has HTML is left as it is
    (content.services sanitises either way).

    The few marks a phone keyboard types easily: a blank line between paragraphs, "- " or
    "* " for a list item, "## " for a subheading, **bold**, *italic*. Nothing else is read:
    this is not Markdown, and needs no editor.
    """
    if not text.strip() or _HAS_TAG.search(text):
        return text
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip().replace("\r\n", "\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if all(re.match(r"[-*•] ", line) for line in lines):
            items = "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif len(lines) == 1 and lines[0].startswith("#"):
            level = min(4, max(2, len(lines[0]) - len(lines[0].lstrip("#"))))
            blocks.append(f"<h{level}>{_inline(lines[0].lstrip('#').strip())}</h{level}>")
        else:
            blocks.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return "\n".join(blocks)
