"""Facebook Page posts through the Graph API (FACEBOOK_GRAPH_BASE).

A post with a photo goes to ``POST /{page-id}/photos`` (the file itself, ``caption``), any other
to ``POST /{page-id}/feed`` (``message``, ``link``); a scheduled one adds ``published=false``
and ``scheduled_publish_time``. Graph errors come as ``{"error": {"code", "message", …}}``:
- 190 (token expired or revoked), 102, 10 and 200–299 (a permission withdrawn): the account
  must be reconnected: final, the account is marked, no retries;
- 4, 17, 32, 613 (rate limits), 368 (temporarily blocked), 1, 2 and HTTP 5xx: retryable, the
  outbox backs off by its one policy;
- anything else (100 invalid parameter, a post Facebook refuses…): final, Facebook's words.

The Graph API takes no idempotency key, so a post whose answer was lost (a timeout, a 5xx, a
worker killed mid-call: the message's progress still says "sent_at") is first looked for on the
page (``GET /{page-id}/feed`` or ``/scheduled_posts``, by its text, among all its posts since that
attempt) before it is posted again.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.outbox import http
from congdoan.outbox.channels.accounts import (
    CredentialsRejected,
    backend,
    post_of,
)
from congdoan.outbox.errors import ChannelError
from congdoan.outbox.models import OutboundMessage

AUTH_CODES = {190, 102, 10}
RETRY_CODES = {1, 2, 4, 17, 32, 341, 368, 613}
# Looking for a post whose answer was lost: posts read per request, and requests at most.
LOOKUP_LIMIT = 100
LOOKUP_PAGES = 20


def _error(status: int, data: dict[str, Any], account: str) -> ChannelError:
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    assert isinstance(error, dict)
    code = error.get("code")
    detail = str(error.get("message") or _("lỗi không rõ"))[:500]
    if code in AUTH_CODES or (isinstance(code, int) and 200 <= code <= 299) or status == 401:
        text = _(
            "Facebook: quyền đăng bài của trang đã hết hạn hoặc bị thu hồi (mã %(code)s: "
            "%(detail)s). Cán bộ cần kết nối lại trang ở mục Kênh xuất bản."
        ) % {"code": code, "detail": detail}
        backend().rejected(account, text)
        return CredentialsRejected(text, status=status)
    if code in RETRY_CODES or http.is_retryable_status(status):
        return ChannelError(
            _("Facebook: đang giới hạn hoặc tạm lỗi (mã %(code)s: %(detail)s); sẽ thử lại sau.")
            % {"code": code, "detail": detail},
            retryable=True,
            status=status,
        )
    return ChannelError(
        _("Facebook từ chối bài đăng (mã %(code)s: %(detail)s).")
        % {"code": code, "detail": detail},
        status=status,
    )


def _already_posted(
    base: str, page_id: str, token: str, text: str, *, scheduled: bool, since: str
) -> str:
    """The id of the page's post with exactly this text made since `since` (the attempt that
    never heard back, ISO time), or "". Every post since then is read (a minute of margin for
    clocks, LOOKUP_LIMIT a page following Graph's paging, at most LOOKUP_PAGES pages): on a
    busy page the lost post may be far below the newest few (`congdoan bench publish` found
    posts doubled when only the last 25 were read)."""
    params = {"access_token": token, "fields": "id,message", "limit": str(LOOKUP_LIMIT)}
    with contextlib.suppress(ValueError):
        params["since"] = str(int(datetime.fromisoformat(since).timestamp()) - 60)
    url = f"{base}/{page_id}/{'scheduled_posts' if scheduled else 'feed'}"
    for _page in range(LOOKUP_PAGES):
        response = http.request("GET", url, provider="Facebook", params=params)
        answer = http.json_of(response)
        if response.status_code >= 400 or "error" in answer:
            raise _error(response.status_code, answer, "")
        for item in answer.get("data") or []:
            if isinstance(item, dict) and item.get("message") == text and item.get("id"):
                return str(item["id"])
        paging = answer.get("paging")
        following = str(paging.get("next") or "") if isinstance(paging, dict) else ""
        if not following.startswith(base + "/"):  # the last page (or not Graph's: no token)
            return ""
        url, params = following, {}
    return ""


def send(message: OutboundMessage) -> str:
    """Post once (unless an earlier attempt did and never heard back); return the post's id
    ("{page-id}_{post-id}")."""
    post = post_of(message)
    accounts = backend()
    creds = accounts.credentials(message.recipient)
    page_id = str(creds.get("page_id") or "")
    token = str(creds.get("access_token") or "")
    base = settings.FACEBOOK_GRAPH_BASE.rstrip("/")
    data: dict[str, str] = {"access_token": token}
    if post.get("scheduled_publish_time"):
        data["published"] = "false"
        data["scheduled_publish_time"] = str(int(post["scheduled_publish_time"]))
    photo = str(post.get("photo_path") or "")
    scheduled = "scheduled_publish_time" in data
    text = (
        "\n\n".join(p for p in (post.get("message"), post.get("link")) if p)
        if photo
        else str(post.get("message") or "")
    )
    sent_at = str(accounts.progress_get(message).get("sent_at") or "")
    if sent_at:
        found = _already_posted(base, page_id, token, text, scheduled=scheduled, since=sent_at)
        if found:
            return found
    accounts.progress_save(message, {"sent_at": timezone.now().isoformat()})
    if photo:
        data["caption"] = text
        with default_storage.open(photo, "rb") as fh:
            content = fh.read()
        response = http.request(
            "POST",
            f"{base}/{page_id}/photos",
            provider="Facebook",
            data=data,
            files={"source": (photo.rsplit("/", 1)[-1], content, "application/octet-stream")},
        )
    else:
        data["message"] = text
        if post.get("link"):
            data["link"] = str(post["link"])
        response = http.request("POST", f"{base}/{page_id}/feed", provider="Facebook", data=data)
    answer = http.json_of(response)
    if response.status_code >= 400 or "error" in answer:
        error = _error(response.status_code, answer, message.recipient)
        if response.status_code < 500:  # Facebook answered that it did not post
            accounts.progress_save(message, {})
        raise error
    post_id = answer.get("post_id") or answer.get("id")
    if not post_id:
        raise ChannelError(_("Facebook: câu trả lời không có mã bài đăng"))
    return str(post_id)
