"""Reading one post's figures from each platform, through the outbox's one HTTP client.

Each `read_*` returns a `Reading` (the figures it found, the raw answers) or raises
`FetchError`, whose kind says what the job does next:
- RECONNECT: the token is expired or withdrawn; the account is marked (as the refresh job and
  the senders do) and its officers told, its other posts are not asked this run;
- LIMITED: the platform asks us to slow down (rate limit, quota); the account's other posts
  wait for the next run;
- GONE: the post was deleted on the platform; its figures are kept and no longer asked for;
- FAILED: anything else (the platform down, a refusal we cannot act on); tried next run.

The platforms' answers (documented shapes, see docs/publishing.md "Reach"):
- Facebook Graph API: ``GET /{post-id}/insights?metric=post_impressions_unique,post_clicks,
  post_reactions_by_type_total`` → ``{"data": [{"name", "period": "lifetime", "values":
  [{"value": n or {"like": n, …}}]}]}`` (needs pages_read_insights) and ``GET /{post-id}?fields=
  shares,comments.summary(true).limit(0),reactions.summary(true).limit(0)`` → ``{"shares":
  {"count"}, "comments": {"summary": {"total_count"}}, "reactions": {"summary":
  {"total_count"}}}``; errors ``{"error": {"code", "error_subcode", "message"}}``: 190 token,
  4/17/32/613 rate limits, 100 with subcode 33 (or 803) the object does not exist;
- YouTube Data API v3: ``GET /youtube/v3/videos?part=statistics&id=…`` → ``{"items": [{"id",
  "statistics": {"viewCount", "likeCount", "commentCount"}}]}`` (counts as strings; no item:
  the video was deleted); 401 → one fresh access token; 403 quotaExceeded/rateLimitExceeded;
- Zalo OA: ``GET /v2.0/article/getdetail?id=…`` (header ``access_token``) → ``{"error": 0,
  "data": {"id", "title", "total_view", "total_share", …}}``; -216/-124/-220 token, -32 rate
  limit, -201 (invalid parameter: no such article) gone.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.outbox import http
from congdoan.outbox.channels import facebook as facebook_channel
from congdoan.outbox.channels import youtube as youtube_channel
from congdoan.outbox.channels import zalo as zalo_channel
from congdoan.outbox.errors import ChannelError

FACEBOOK_METRICS = "post_impressions_unique,post_clicks,post_reactions_by_type_total"
FACEBOOK_FIELDS = "shares,comments.summary(true).limit(0),reactions.summary(true).limit(0)"
FACEBOOK_GONE_SUBCODES = {33}
FACEBOOK_GONE_CODES = {803}
ZALO_DETAIL_PATH = "/v2.0/article/getdetail"
ZALO_RATE_LIMIT = {-32}
ZALO_GONE = {-201}


class Problem(enum.Enum):
    RECONNECT = "reconnect"
    LIMITED = "limited"
    GONE = "gone"
    FAILED = "failed"


class FetchError(Exception):
    def __init__(self, text: str, problem: Problem):
        super().__init__(text)
        self.problem = problem


@dataclass
class Reading:
    figures: dict[str, int | None] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def _int(value: Any) -> int | None:
    """A count as the platforms write it (an int, or a string of digits for YouTube)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def call(method: str, url: str, *, provider: str, **kwargs: Any) -> httpx.Response:
    """`http.request`, a transport failure becoming a FAILED FetchError (also used by presence)."""
    try:
        return http.request(method, url, provider=provider, **kwargs)
    except ChannelError as exc:  # timeouts, refused connections: the next run tries again
        raise FetchError(str(exc), Problem.FAILED) from exc


# --- Facebook --------------------------------------------------------------------------------


def _facebook_error(status: int, data: dict[str, Any]) -> FetchError:
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    assert isinstance(error, dict)
    code, subcode = error.get("code"), error.get("error_subcode")
    detail = str(error.get("message") or status)[:300]
    words = {"code": code, "detail": detail}
    if code == 190 or status == 401:
        return FetchError(
            _(
                "Facebook: quyền của trang đã hết hạn hoặc bị thu hồi (mã %(code)s: %(detail)s). "
                "Cán bộ cần kết nối lại trang ở mục Kênh xuất bản."
            )
            % words,
            Problem.RECONNECT,
        )
    if code in facebook_channel.RETRY_CODES or http.is_retryable_status(status):
        return FetchError(
            _("Facebook: đang giới hạn hoặc tạm lỗi (mã %(code)s: %(detail)s); lần sau đọc lại.")
            % words,
            Problem.LIMITED,
        )
    if subcode in FACEBOOK_GONE_SUBCODES or code in FACEBOOK_GONE_CODES:
        return FetchError(
            _("Facebook: bài đăng không còn trên trang (đã bị xóa) (%(detail)s).") % words,
            Problem.GONE,
        )
    if code in facebook_channel.AUTH_CODES or (isinstance(code, int) and 200 <= code <= 299):
        return FetchError(
            _(
                "Facebook: trang chưa cho phép đọc số liệu (mã %(code)s: %(detail)s); kết nối "
                "lại trang để cấp quyền pages_read_insights."
            )
            % words,
            Problem.FAILED,
        )
    return FetchError(
        _("Facebook: không đọc được số liệu (mã %(code)s: %(detail)s).") % words, Problem.FAILED
    )


def _facebook_get(path: str, token: str, **params: str) -> dict[str, Any]:
    base = settings.FACEBOOK_GRAPH_BASE.rstrip("/")
    response = call(
        "GET", f"{base}/{path}", provider="Facebook", params={"access_token": token, **params}
    )
    data = http.json_of(response)
    if response.status_code >= 400 or "error" in data:
        raise _facebook_error(response.status_code, data)
    return data


def read_facebook(post_id: str, creds: dict[str, Any]) -> Reading:
    """The post's insights and its public counts (two calls)."""
    token = str(creds.get("access_token") or "")
    counts = _facebook_get(post_id, token, fields=FACEBOOK_FIELDS)
    reading = Reading(raw={"post": counts})
    shares = counts.get("shares") if isinstance(counts.get("shares"), dict) else {}
    reading.figures["shares"] = _int((shares or {}).get("count")) or 0
    for name in ("comments", "reactions"):
        part = counts.get(name) if isinstance(counts.get(name), dict) else {}
        summary = (part or {}).get("summary")
        if isinstance(summary, dict):
            reading.figures[name] = _int(summary.get("total_count"))
    try:
        insights = _facebook_get(f"{post_id}/insights", token, metric=FACEBOOK_METRICS)
    except FetchError as exc:
        if exc.problem is not Problem.FAILED:
            raise
        reading.raw["insights_error"] = str(exc)  # the public counts are still worth keeping
        return reading
    reading.raw["insights"] = insights
    for row in insights.get("data") or []:
        if not isinstance(row, dict) or not row.get("values"):
            continue
        value = row["values"][-1].get("value") if isinstance(row["values"][-1], dict) else None
        if row.get("name") == "post_impressions_unique":
            reading.figures["reach"] = _int(value)
        elif row.get("name") == "post_clicks":
            reading.figures["clicks"] = _int(value)
        elif (
            row.get("name") == "post_reactions_by_type_total"
            and isinstance(value, dict)
            and reading.figures.get("reactions") is None
        ):
            reading.figures["reactions"] = sum(_int(v) or 0 for v in value.values())
    return reading


# --- YouTube ---------------------------------------------------------------------------------


def read_youtube(
    video_id: str, creds: dict[str, Any], refresh: Callable[[], dict[str, Any]]
) -> Reading:
    """The video's statistics; a 401 gets one fresh access token (`refresh`, which marks the
    account and raises when Google refuses the refresh token)."""
    url = settings.YOUTUBE_API_BASE.rstrip("/") + "/youtube/v3/videos"
    token = str(creds.get("access_token") or "")
    for attempt in range(2):
        response = call(
            "GET",
            url,
            provider="YouTube",
            params={"part": "statistics", "id": video_id},
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code != 401 or attempt:
            break
        token = str(refresh().get("access_token") or "")
    data = http.json_of(response)
    status = response.status_code
    if status >= 400:
        reason, detail = youtube_channel.error_reason(data)
        words = {"reason": reason or status, "detail": detail}
        if status == 401:
            raise FetchError(
                _(
                    "YouTube: quyền của kênh đã hết hạn hoặc bị thu hồi (%(detail)s). Cán bộ cần "
                    "kết nối lại kênh ở mục Kênh xuất bản."
                )
                % words,
                Problem.RECONNECT,
            )
        if http.is_retryable_status(status) or reason in youtube_channel.RETRY_REASONS:
            raise FetchError(
                _("YouTube: đang giới hạn hoặc tạm lỗi (%(reason)s: %(detail)s); lần sau đọc lại.")
                % words,
                Problem.LIMITED,
            )
        raise FetchError(
            _("YouTube: không đọc được số liệu (%(reason)s: %(detail)s).") % words, Problem.FAILED
        )
    items = [i for i in data.get("items") or [] if isinstance(i, dict)]
    if not items:
        raise FetchError(_("YouTube: video không còn trên kênh (đã bị xóa)."), Problem.GONE)
    stats = items[0].get("statistics") if isinstance(items[0].get("statistics"), dict) else {}
    assert isinstance(stats, dict)
    return Reading(
        figures={
            "views": _int(stats.get("viewCount")),
            "reactions": _int(stats.get("likeCount")),
            "comments": _int(stats.get("commentCount")),
        },
        raw=data,
    )


# --- Zalo OA ---------------------------------------------------------------------------------


def read_zalo(
    article_id: str, creds: dict[str, Any], renew: Callable[[str], dict[str, Any] | None]
) -> Reading:
    """The article's views and shares; a refused token is renewed once (`renew(token)` gives
    the fresh credentials, or None when the account must be reconnected)."""
    url = settings.ZALO_OA_API_BASE.rstrip("/") + ZALO_DETAIL_PATH
    token = str(creds.get("access_token") or "")
    for attempt in range(2):
        response = call(
            "GET",
            url,
            provider="Zalo OA",
            params={"id": article_id},
            headers={"access_token": token},
        )
        data = http.json_of(response)
        if http.is_retryable_status(response.status_code) or not data:
            raise FetchError(
                _("Zalo OA: tạm lỗi (HTTP %(status)s); lần sau đọc lại.")
                % {"status": response.status_code},
                Problem.LIMITED,
            )
        if data.get("error") not in zalo_channel.TOKEN_ERRORS or attempt:
            break
        fresh = renew(token)
        if fresh is None:
            break
        token = str(fresh.get("access_token") or "")
    code = data.get("error")
    words = {"code": code, "detail": str(data.get("message") or "")[:300]}
    if code in zalo_channel.TOKEN_ERRORS:
        raise FetchError(
            _(
                "Zalo OA: mã truy cập không còn dùng được (mã %(code)s: %(detail)s). Cán bộ cần "
                "kết nối lại Zalo OA ở trang Kênh xuất bản."
            )
            % words,
            Problem.RECONNECT,
        )
    if code in ZALO_RATE_LIMIT:
        raise FetchError(
            _("Zalo OA: đang giới hạn số lần gọi (mã %(code)s); lần sau đọc lại.") % words,
            Problem.LIMITED,
        )
    if code in ZALO_GONE:
        raise FetchError(
            _("Zalo OA: bài viết không còn trên OA (mã %(code)s: %(detail)s).") % words,
            Problem.GONE,
        )
    if code != 0:
        raise FetchError(
            _("Zalo OA: không đọc được số liệu (mã %(code)s: %(detail)s).") % words,
            Problem.FAILED,
        )
    article = data.get("data") if isinstance(data.get("data"), dict) else {}
    assert isinstance(article, dict)
    return Reading(
        figures={
            "views": _int(article.get("total_view")),
            "shares": _int(article.get("total_share")),
        },
        raw=data,
    )
