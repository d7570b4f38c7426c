"""RSS and Atom feeds (feedparser), read with a conditional GET (ETag, Last-Modified).

Steps: GET the feed through the safe fetcher (304: nothing new); parse the bytes (never a URL:
feedparser would fetch it itself); a document that yields no entry and is not well-formed is an
error ("invalid XML"), a well-formed-enough one that yields entries is read; each entry becomes
an article (its id, else its link; its content, else its summary, as text without tags).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import feedparser
from django.utils.translation import gettext_noop

from congdoan.monitoring.fetch import safe_get
from congdoan.monitoring.models import ItemKind, Source
from congdoan.monitoring.sources.base import SourceError, html_text
from congdoan.monitoring.types import RawItem

logger = logging.getLogger("congdoan.monitoring")


def _when(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def entry_item(entry: Any) -> RawItem:
    contents = entry.get("content") or []
    html = (contents[0].get("value") if contents else "") or entry.get("summary", "") or ""
    title = html_text(entry.get("title", "") or "")
    text = html_text(html) or title
    return RawItem(
        external_id=str(entry.get("id") or entry.get("link") or ""),
        url=str(entry.get("link") or ""),
        title=title,
        text=text,
        author=str(entry.get("author") or ""),
        published_at=_when(entry),
        kind=ItemKind.ARTICLE,
        html=html,
    )


def parse(body: bytes) -> list[RawItem]:
    """The entries of a feed document; SourceError when it is not a feed at all."""
    parsed = feedparser.parse(body)
    entries = parsed.get("entries") or []
    if parsed.get("bozo") and not entries:
        error = parsed.get("bozo_exception")
        raise SourceError(
            gettext_noop("Nguồn tin không đọc được (XML không hợp lệ: %(error)s)."), error=error
        )
    if parsed.get("bozo"):
        logger.warning("feed not well-formed, read anyway: %s", parsed.get("bozo_exception"))
    if not entries and not parsed.get("feed"):
        raise SourceError(gettext_noop("Không phải nguồn tin RSS/Atom."))
    return [entry_item(entry) for entry in entries]


def fetch(source: Source) -> list[RawItem]:
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml, */*"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    got = safe_get(source.url, headers=headers)
    if got.status == 304:
        return []
    if got.status >= 400:
        raise SourceError(gettext_noop("Máy chủ trả lời lỗi HTTP %(status)s."), status=got.status)
    items = parse(got.body)
    source.etag = got.headers.get("etag", "")[:255]
    source.last_modified = got.headers.get("last-modified", "")[:100]
    return items
