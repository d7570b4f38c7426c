"""A web page watched for changes: its main text extracted (trafilatura), one item per change.

Steps: GET the page through the safe fetcher; extract the article's title and text (scripts,
menus and boilerplate left out); hash the text (sha256 of the folded, normalised text); the
same hash as last time means no change (no item); a new hash is a new item whose id is the
page's address and the hash, with the page's HTML kept (sanitised) in its snapshot.
"""

from __future__ import annotations

import hashlib

import trafilatura
from django.utils.translation import gettext_noop

from congdoan.monitoring.fetch import safe_get
from congdoan.monitoring.models import ItemKind, Source
from congdoan.monitoring.sources.base import SourceError, html_text, to_datetime
from congdoan.monitoring.types import RawItem
from congdoan.text.normalize import normalize
from congdoan.text.vietnamese import fold


def page_hash(text: str) -> str:
    return hashlib.sha256(" ".join(fold(normalize(text)).split()).encode("utf-8")).hexdigest()


def extract(html: str, url: str = "") -> tuple[str, str, str, str]:
    """(title, text, author, date) of a page; the text falls back to all of the page's text."""
    doc = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False
    )
    title = text = author = date = ""
    if doc is not None:
        title = str(getattr(doc, "title", "") or "")
        text = str(getattr(doc, "text", "") or "")
        author = str(getattr(doc, "author", "") or "")
        date = str(getattr(doc, "date", "") or "")
    if not text.strip():
        text = html_text(html)
    return title, text.strip(), author, date


def fetch(source: Source) -> list[RawItem]:
    got = safe_get(source.url)
    if got.status >= 400:
        raise SourceError(gettext_noop("Máy chủ trả lời lỗi HTTP %(status)s."), status=got.status)
    html = got.text()
    title, text, author, date = extract(html, got.url)
    if not text:
        raise SourceError(gettext_noop("Trang không có nội dung chữ để theo dõi."))
    digest = page_hash(text)
    if digest == source.page_hash:
        return []
    source.page_hash = digest
    return [
        RawItem(
            external_id=f"{got.url}#{digest[:16]}",
            url=got.url,
            title=title,
            text=text,
            author=author,
            published_at=to_datetime(date),
            kind=ItemKind.ARTICLE,
            html=html,
            meta={"page_hash": digest},
        )
    ]
