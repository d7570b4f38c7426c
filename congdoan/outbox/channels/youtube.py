"""YouTube uploads through the Data API v3's resumable protocol (YOUTUBE_API_BASE).

1. ``POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`` with the
   metadata as JSON answers a session URL (``Location``), kept in the message's progress;
2. the bytes go by ``PUT`` in chunks of YOUTUBE_UPLOAD_CHUNK_BYTES with ``Content-Range``;
   ``308 Resume Incomplete`` (``Range: bytes=0-N``) asks for the rest, ``200/201`` is the video;
3. an attempt that was cut (a killed worker, a 5xx) resumes: ``PUT`` with
   ``Content-Range: bytes */size`` asks how much arrived, and the upload goes on from there;
   a session that expired (404/410) starts again.
401 asks the account for a fresh access token once, then counts as a rejected token; quota and
rate-limit refusals (403 ``quotaExceeded``, ``rateLimitExceeded``…) and 5xx are retried with the
outbox's backoff; other refusals are final, in Google's words.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from congdoan.outbox import http
from congdoan.outbox.channels.accounts import (
    CredentialsRejected,
    backend,
    post_of,
)
from congdoan.outbox.errors import ChannelError
from congdoan.outbox.models import OutboundMessage

UPLOAD_PATH = "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status"
RETRY_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "backendError"}
_RANGE = re.compile(r"bytes=0-(\d+)")


def error_reason(data: dict[str, Any]) -> tuple[str, str]:
    """YouTube error body → (first `reason`, message); used by the sender and the metrics reader."""
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    assert isinstance(error, dict)
    errors = error.get("errors") or [{}]
    reason = str(errors[0].get("reason", "")) if isinstance(errors[0], dict) else ""
    return reason, str(error.get("message") or _("lỗi không rõ"))[:500]


class _Upload:
    def __init__(self, message: OutboundMessage):
        self.message = message
        self.account = message.recipient
        self.post = post_of(message)
        self.token = str(backend().credentials(self.account).get("access_token") or "")
        self.refreshed = False

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One call with the bearer token; a 401 gets one fresh token, then is a rejection."""
        headers = kwargs.pop("headers", {})
        while True:
            response = http.request(
                method,
                url,
                provider="YouTube",
                headers={**headers, "Authorization": f"Bearer {self.token}"},
                **kwargs,
            )
            if response.status_code != 401:
                return response
            if not self.refreshed:
                self.refreshed = True
                self.token = str(
                    backend().credentials(self.account, refresh=True).get("access_token") or ""
                )
                continue
            _code, detail = error_reason(http.json_of(response))
            text = _(
                "YouTube: quyền tải video của kênh đã hết hạn hoặc bị thu hồi (%(detail)s). "
                "Cán bộ cần kết nối lại kênh ở mục Kênh xuất bản."
            ) % {"detail": detail}
            backend().rejected(self.account, text)
            raise CredentialsRejected(text, status=401)

    def fail(self, response: httpx.Response) -> ChannelError:
        status = response.status_code
        reason, detail = error_reason(http.json_of(response))
        if http.is_retryable_status(status) or reason in RETRY_REASONS:
            return ChannelError(
                _("YouTube: đang giới hạn hoặc tạm lỗi (%(reason)s: %(detail)s); sẽ thử lại sau.")
                % {"reason": reason or status, "detail": detail},
                retryable=True,
                status=status,
            )
        return ChannelError(
            _("YouTube từ chối video (%(reason)s: %(detail)s).")
            % {"reason": reason or status, "detail": detail},
            status=status,
        )

    def start(self, size: int) -> str:
        snippet: dict[str, Any] = {
            "title": str(self.post.get("title") or "")[:100],
            "description": str(self.post.get("description") or "")[:5000],
            "tags": list(self.post.get("tags") or []),
            "categoryId": str(self.post.get("category_id") or "25"),  # News & Politics
        }
        status: dict[str, Any] = {"privacyStatus": self.post.get("privacy") or "public"}
        if self.post.get("publish_at"):  # scheduled: private until then
            status = {"privacyStatus": "private", "publishAt": self.post["publish_at"]}
        response = self.request(
            "POST",
            settings.YOUTUBE_API_BASE.rstrip("/") + UPLOAD_PATH,
            headers={
                "Content-Type": "application/json; charset=UTF-8",
                "X-Upload-Content-Length": str(size),
                "X-Upload-Content-Type": str(self.post.get("content_type") or "video/*"),
            },
            content=json.dumps({"snippet": snippet, "status": status}).encode("utf-8"),
        )
        location = response.headers.get("Location", "")
        if response.status_code != 200 or not location:
            raise self.fail(response)
        backend().progress_save(self.message, {"upload_url": location})
        return location

    def offset(self, session: str, size: int) -> int | str | None:
        """Bytes the session already holds; the video id if it is complete; None if expired."""
        response = self.request(
            "PUT", session, headers={"Content-Range": f"bytes */{size}", "Content-Length": "0"}
        )
        if response.status_code in (200, 201):
            return str(http.json_of(response).get("id") or "")
        if response.status_code in (404, 410):
            return None
        if response.status_code != 308:
            raise self.fail(response)
        match = _RANGE.match(response.headers.get("Range", ""))
        return int(match.group(1)) + 1 if match else 0

    def run(self) -> str:
        path = str(self.post.get("video_path") or "")
        if not path:
            raise ChannelError(_("YouTube: bài đăng không có tệp video"))
        size = default_storage.size(path)
        session = str(backend().progress_get(self.message).get("upload_url") or "")
        found: int | str | None = None
        if session:
            found = self.offset(session, size)
            if isinstance(found, str):  # the upload was complete: the video's id
                return found
        offset = found if isinstance(found, int) else 0
        if found is None:
            session = self.start(size)
        chunk = max(256 * 1024, settings.YOUTUBE_UPLOAD_CHUNK_BYTES // (256 * 1024) * 256 * 1024)
        with default_storage.open(path, "rb") as fh:
            while True:
                fh.seek(offset)
                data = fh.read(chunk)
                end = offset + len(data) - 1
                response = self.request(
                    "PUT",
                    session,
                    headers={"Content-Range": f"bytes {offset}-{end}/{size}"},
                    content=data,
                )
                if response.status_code in (200, 201):
                    video_id = str(http.json_of(response).get("id") or "")
                    if not video_id:
                        raise ChannelError(_("YouTube: câu trả lời không có mã video"))
                    return video_id
                if response.status_code != 308:
                    raise self.fail(response)
                match = _RANGE.match(response.headers.get("Range", ""))
                offset = int(match.group(1)) + 1 if match else 0
                if offset >= size:
                    raise ChannelError(_("YouTube: đã gửi hết tệp nhưng chưa nhận được video"))


def send(message: OutboundMessage) -> str:
    """Upload (or resume uploading) the post's video; return the video's id."""
    return _Upload(message).run()
