"""A Facebook Page's posts through the Graph API (``GET /{page-id}/posts``).

Read with the unit's connected Page account, else settings.MONITORING_FACEBOOK_TOKEN (see
accounts.py). Up to MONITORING_API_MAX_PAGES pages of 100 posts, newest first, following the
``after`` cursor. Reach: reactions + comments + shares. A token the Graph API rejects (error
190) marks the account for reconnection.
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

FIELDS = (
    "id,message,created_time,permalink_url,from,shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)
PAGE_SIZE = 100


def _count(post: dict[str, Any], name: str) -> int:
    part = post.get(name)
    if not isinstance(part, dict):
        return 0
    if name == "shares":
        return to_int(part.get("count"))
    summary = part.get("summary")
    return to_int(summary.get("total_count")) if isinstance(summary, dict) else 0


def post_item(post: dict[str, Any]) -> RawItem | None:
    post_id = str(post.get("id") or "")
    if not post_id:
        return None
    author = post.get("from")
    return RawItem(
        external_id=post_id,
        url=str(post.get("permalink_url") or f"https://www.facebook.com/{post_id}"),
        text=str(post.get("message") or ""),
        author=str(author.get("name") or "") if isinstance(author, dict) else "",
        published_at=to_datetime(post.get("created_time")),
        reach=_count(post, "reactions") + _count(post, "comments") + _count(post, "shares"),
        kind=ItemKind.POST,
        meta={"platform": "facebook"},
    )


def _error_of(data: dict[str, Any], status: int) -> tuple[str, int | None]:
    error = data.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        return str(error.get("message") or status), code if isinstance(code, int) else None
    return f"HTTP {status}", None


def fetch(source: Source) -> list[RawItem]:
    page_id = source.external_ref.strip()
    if not page_id:
        raise SourceError(gettext_noop("Chưa nhập mã trang Facebook."))
    cred = accounts.credential(
        source, accounts.FACEBOOK_PAGE, fallback=settings.MONITORING_FACEBOOK_TOKEN
    )
    url = f"{settings.FACEBOOK_GRAPH_BASE.rstrip('/')}/{page_id}/posts"
    items: list[RawItem] = []
    after = ""
    for _page in range(max(1, settings.MONITORING_API_MAX_PAGES)):
        params = {"fields": FIELDS, "limit": str(PAGE_SIZE), "access_token": cred.token}
        if after:
            params["after"] = after
        try:
            response = http.request("GET", url, provider="Facebook", params=params)
        except ChannelError as exc:
            raise SourceError(str(exc)) from exc
        data = http.json_of(response)
        if response.status_code >= 400:
            message, code = _error_of(data, response.status_code)
            refused = SourceError(gettext_noop("Facebook từ chối: %(error)s"), error=message)
            if code == 190:
                accounts.rejected(cred, str(refused))
            raise refused
        for post in data.get("data") or []:
            item = post_item(post) if isinstance(post, dict) else None
            if item is not None:
                items.append(item)
        paging = as_dict(data.get("paging"))
        cursors = as_dict(paging.get("cursors"))
        after = str(cursors.get("after") or "") if paging.get("next") else ""
        if not after:
            break
    return items
