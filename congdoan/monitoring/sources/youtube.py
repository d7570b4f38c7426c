"""Comments on a YouTube video through the Data API v3 (``commentThreads.list``).

Read with the unit's connected YouTube account (OAuth bearer, refreshed by publishing's
backend; one retry with a fresh token after a 401), else the API key
settings.MONITORING_YOUTUBE_API_KEY (public comments need no OAuth). Up to
MONITORING_API_MAX_PAGES pages of 100 top-level comments, newest first. Reach: likes + replies.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_noop

from congdoan.monitoring.models import ItemKind, Source
from congdoan.monitoring.sources import accounts
from congdoan.monitoring.sources.base import SourceError, as_dict, to_datetime, to_int
from congdoan.monitoring.types import RawItem
from congdoan.outbox import http
from congdoan.outbox.errors import ChannelError

PATH = "/youtube/v3/commentThreads"
PAGE_SIZE = 100


def thread_item(thread: dict[str, Any], video: str) -> RawItem | None:
    snippet = as_dict(thread.get("snippet"))
    top = as_dict(snippet.get("topLevelComment"))
    comment = as_dict(top.get("snippet"))
    comment_id = str(top.get("id") or thread.get("id") or "")
    if not comment_id:
        return None
    return RawItem(
        external_id=comment_id,
        url=f"https://www.youtube.com/watch?v={video}&lc={comment_id}",
        text=str(comment.get("textOriginal") or comment.get("textDisplay") or ""),
        author=str(comment.get("authorDisplayName") or ""),
        published_at=to_datetime(comment.get("publishedAt")),
        reach=to_int(comment.get("likeCount")) + to_int(snippet.get("totalReplyCount")),
        kind=ItemKind.COMMENT,
        meta={"platform": "youtube", "video": video},
    )


def _reason(data: dict[str, Any], status: int) -> str:
    error = as_dict(data.get("error"))
    errors = error.get("errors") if isinstance(error.get("errors"), list) else []
    reason = errors[0].get("reason", "") if errors and isinstance(errors[0], dict) else ""
    message = str(error.get("message") or f"HTTP {status}")
    return f"{reason}: {message}" if reason else message


def fetch(source: Source) -> list[RawItem]:
    video = source.external_ref.strip()
    if not video:
        raise SourceError(gettext_noop("Chưa nhập mã video YouTube."))
    fallback = settings.MONITORING_YOUTUBE_API_KEY
    cred = accounts.credential(source, accounts.YOUTUBE, fallback=fallback)
    url = f"{settings.YOUTUBE_API_BASE.rstrip('/')}{PATH}"
    items: list[RawItem] = []
    page_token = ""
    retried = False
    pages = 0
    while pages < max(1, settings.MONITORING_API_MAX_PAGES):
        params = {
            "part": "snippet",
            "videoId": video,
            "maxResults": str(PAGE_SIZE),
            "order": "time",
            "textFormat": "plainText",
        }
        headers: dict[str, str] = {"Accept": "application/json"}
        if cred.account_ref:
            headers["Authorization"] = f"Bearer {cred.token}"
        else:
            params["key"] = cred.token
        if page_token:
            params["pageToken"] = page_token
        try:
            response = http.request("GET", url, provider="YouTube", params=params, headers=headers)
        except ChannelError as exc:
            raise SourceError(str(exc)) from exc
        data = http.json_of(response)
        if response.status_code == 401 and cred.account_ref and not retried:
            retried = True
            cred = accounts.credential(source, accounts.YOUTUBE, fallback=fallback, refresh=True)
            continue
        if response.status_code >= 400:
            refused = SourceError(
                gettext_noop("YouTube từ chối: %(error)s"),
                error=_reason(data, response.status_code),
            )
            if response.status_code == 401:
                accounts.rejected(cred, str(refused))
            raise refused
        pages += 1
        for thread in data.get("items") or []:
            item = thread_item(thread, video) if isinstance(thread, dict) else None
            if item is not None:
                items.append(item)
        page_token = str(data.get("nextPageToken") or "")
        if not page_token:
            break
    return items
