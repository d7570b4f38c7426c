"""Zalo Official Account: the customer-service text message (``POST /v3.0/oa/message/cs``), and
the posts of a unit's OA (an article and its broadcast to the followers, below).

Zalo answers HTTP 200 with ``{"error": 0, "data": {"message_id": …}}`` or a non-zero error,
which is final (a user who never followed the OA, a bad token…).

Tokens. An OA access token lives about 25 hours, so it is not a setting: the unit's Zalo OA
account (congdoan.publishing, connected by an officer, refreshed by a periodic job) gives it
through the `TokenSource` that publishing registers at start-up. This module cannot import
publishing (the outbox is a layer below it), hence the registration. What is sent:
1. the source's token for the message (`current(ref)`: the account the ref names, else the
   deployment's own OA); none → the static ZALO_OA_ACCESS_TOKEN of older deployments;
2. when Zalo says that token is invalid or expired (-216, -124) and it came from an account,
   the source renews it once (`renew`) and the message is sent once more with the new one;
3. still refused, or a static token refused: a final error that tells the officers to
   reconnect the OA, so the outbox does not retry a message that cannot go.

Posts (a message whose purpose is POST_PURPOSE, queued by congdoan.publishing: the recipient
is the ChannelAccount's id, the body the post as JSON) go through `send_post`, see its
docstring: the article API (``/v2.0/article/create`` → a token, ``/v2.0/article/verify`` →
the article's id) then a broadcast of the article (``/v2.0/oa/message``, a "media" template),
each step remembered in the message's progress so that a retry never makes a second article
nor a second broadcast. The shapes follow Zalo's official Java SDK (zaloplatform/
zalo-java-sdk, src/test/java: CreateNormalArticle, GetArticleId, GetListArticle,
v3/SendBroadcastMessage) and the error table of developers.zalo.me ("Bảng mã lỗi").
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.outbox.channels.accounts import CredentialsRejected, backend, post_of
from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.http import is_retryable_status, json_of, post_json, request
from congdoan.outbox.models import OutboundMessage

SEND_PATH = "/v3.0/oa/message/cs"
# Zalo OA text messages are limited to 2000 characters.
MAX_TEXT = 2000
# Zalo's answers for an access token that is not valid (-216) or has expired (-124 from the
# v4 OAuth server's tokens, -220 "access_token is expired or removed").
TOKEN_ERRORS = frozenset({-216, -124, -220})


@dataclass(frozen=True)
class ZaloToken:
    access_token: str
    # The ChannelAccount it belongs to; None for the static ZALO_OA_ACCESS_TOKEN.
    account_id: int | None = None


class TokenSource(Protocol):
    def current(self, ref: str) -> ZaloToken | None:
        """The token to send a message with this outbox `ref`; None: no account connected."""

    def renew(self, rejected: ZaloToken) -> ZaloToken | None:
        """A fresh token after Zalo refused `rejected` (refreshed once, or already refreshed
        by another sender); None when the account cannot be refreshed (reconnect needed).
        Raises a retryable ChannelError when Zalo's OAuth server cannot be reached."""


_source: TokenSource | None = None


def register_token_source(source: TokenSource | None) -> None:
    """Called by publishing's AppConfig.ready (None in tests that want the static token)."""
    global _source
    _source = source


def token_for(ref: str = "") -> ZaloToken | None:
    """The token a message with `ref` is sent with, or None when Zalo is not configured."""
    found = _source.current(ref) if _source is not None else None
    if found is not None:
        return found
    static = settings.ZALO_OA_ACCESS_TOKEN
    return ZaloToken(static) if static else None


def is_configured() -> bool:
    """Whether a message could be sent now (a connected account or the static token)."""
    return token_for() is not None


def _post(token: ZaloToken, user_id: str, text: str) -> dict[str, Any]:
    return post_json(
        settings.ZALO_OA_API_BASE.rstrip("/") + SEND_PATH,
        {"recipient": {"user_id": user_id}, "message": {"text": text}},
        headers={"access_token": token.access_token},
        provider="Zalo OA",
    )


def send_text(user_id: str, text: str, *, ref: str = "") -> str:
    """Send a customer-service text to a Zalo user now; return Zalo's message id.

    One try, or two when the first token was refused and the account renewed it."""
    token = token_for(ref)
    if token is None:
        raise ChannelNotConfigured(
            _("Zalo OA: chưa kết nối tài khoản Zalo OA và chưa cấu hình ZALO_OA_ACCESS_TOKEN")
        )
    if not user_id:
        raise ChannelError(_("Zalo OA: thiếu mã người nhận (user_id)"))
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    data = _post(token, user_id, text)
    error = data.get("error")
    if error in TOKEN_ERRORS and token.account_id is not None and _source is not None:
        renewed = _source.renew(token)
        if renewed is not None and renewed.access_token != token.access_token:
            data = _post(renewed, user_id, text)
            error = data.get("error")
    if error != 0:
        message = _("Zalo OA: lỗi %(code)s: %(detail)s") % {
            "code": error,
            "detail": data.get("message") or _("lỗi không rõ"),
        }
        if error in TOKEN_ERRORS:
            message += " " + _(
                "Mã truy cập Zalo OA không còn dùng được: cán bộ cần kết nối lại Zalo OA "
                "ở trang Kênh xuất bản của đơn vị."
            )
        raise ChannelError(message)
    inner = data.get("data") or {}
    return str(inner.get("message_id", "")) if isinstance(inner, dict) else ""


def send(message: OutboundMessage) -> str:
    if message.purpose == POST_PURPOSE:
        return send_post(message)
    return send_text(message.recipient, message.body, ref=message.ref)


# -- posts of a unit's OA: an article, then its broadcast ------------------------------------

# What congdoan.publishing queues a post with (its recipient is then the account's id).
POST_PURPOSE = "publishing.post"
ARTICLE_CREATE_PATH = "/v2.0/article/create"
ARTICLE_VERIFY_PATH = "/v2.0/article/verify"
ARTICLE_UPDATE_PATH = "/v2.0/article/update"
ARTICLE_LIST_PATH = "/v2.0/article/getslice"
# Looking for an article whose answer was lost: pages of 10 read at most.
LOOKUP_PAGES = 30
# HTTP answers that say the request was not handled (Too Many Requests, Service Unavailable):
# an article or broadcast answered so was not made, and the retry makes it without looking
# for it first. Any other failure (a timeout, 502, 504, 500) leaves it unknown: the retry
# looks for the article, and does not send the broadcast again.
NOT_HANDLED = frozenset({429, 503})
BROADCAST_PATH = "/v2.0/oa/message"
# Zalo's limits on an article: title, author and description.
TITLE_MAX, AUTHOR_MAX, DESCRIPTION_MAX = 150, 50, 300
# Try again later: -32 too many calls a minute, -211 out of quota, -214 the article is still
# being processed, -234 a broadcast asked at night (22:00–6:00).
RETRY_ERRORS = frozenset({-32, -211, -214, -234})
# The OA must be connected again: -219 the app was removed or disabled, -223 the OA has not
# granted this API to the app.
RECONNECT_ERRORS = frozenset({-219, -223})


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def article_of(post: dict[str, Any]) -> dict[str, Any]:
    """The body of ``POST /v2.0/article/create`` for a post: a "normal" article, shown, with
    the cover photo, one text block per paragraph, the other photos and the link to the full
    version on the public site."""
    body: list[dict[str, Any]] = [
        {"type": "text", "content": str(p)} for p in post.get("paragraphs") or [] if str(p)
    ]
    for photo in post.get("photos") or []:
        if isinstance(photo, dict) and photo.get("url"):
            item = {"type": "image", "url": str(photo["url"])}
            if photo.get("caption"):
                item["caption"] = str(photo["caption"])
            body.append(item)
    if post.get("link"):
        body.append(
            {"type": "text", "content": _("Xem bản đầy đủ: %(link)s") % {"link": post["link"]}}
        )
    return {
        "type": "normal",
        "title": _clip(str(post.get("title") or ""), TITLE_MAX),
        "author": _clip(str(post.get("author") or ""), AUTHOR_MAX),
        "cover": {
            "cover_type": "photo",
            "photo_url": str(post.get("cover_url") or ""),
            "status": "show",
        },
        "description": _clip(str(post.get("description") or ""), DESCRIPTION_MAX),
        "body": body,
        "status": "show",
        "comment": "show",
    }


def broadcast_of(article_id: str) -> dict[str, Any]:
    """The body of ``POST /v2.0/oa/message`` that sends the article to the OA's followers (a
    "media" template; the target gender 0 is everyone)."""
    return {
        "recipient": {"target": {"gender": "0"}},
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "media",
                    "elements": [{"media_type": "article", "attachment_id": article_id}],
                },
            }
        },
    }


class _Oa:
    """One post's calls to the OpenAPI with the account's token, renewed once when refused."""

    def __init__(self, message: OutboundMessage):
        self.message = message
        self.account = message.recipient
        creds = backend().credentials(self.account)  # CredentialsRejected: reconnect first
        account_id = int(self.account) if self.account.isdigit() else None
        self.token = ZaloToken(str(creds.get("access_token") or ""), account_id)
        self.renewed = False

    def _once(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = request(
            method,
            settings.ZALO_OA_API_BASE.rstrip("/") + path,
            provider="Zalo OA",
            headers={"access_token": self.token.access_token},
            **kwargs,
        )
        status = response.status_code
        data = json_of(response)
        if is_retryable_status(status) or not data:
            raise ChannelError(
                _("Zalo OA: tạm lỗi (HTTP %(status)s); sẽ thử lại sau.") % {"status": status},
                retryable=True,
                status=status,
            )
        return data

    def api(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        data = self._once(method, path, **kwargs)
        if data.get("error") in TOKEN_ERRORS and not self.renewed and _source is not None:
            self.renewed = True
            renewed = _source.renew(self.token)
            if renewed is not None and renewed.access_token != self.token.access_token:
                self.token = renewed
                data = self._once(method, path, **kwargs)
        return data

    def fail(self, data: dict[str, Any], what: str) -> ChannelError:
        """Zalo's refusal (a non-zero `error`) as the outbox's kind of error."""
        code = data.get("error")
        detail = str(data.get("message") or _("lỗi không rõ"))[:500]
        if code in TOKEN_ERRORS or code in RECONNECT_ERRORS:
            text = _(
                "Zalo OA: quyền đăng bài của OA đã hết hạn hoặc bị thu hồi (mã %(code)s: "
                "%(detail)s). Cán bộ cần kết nối lại Zalo OA ở trang Kênh xuất bản."
            ) % {"code": code, "detail": detail}
            backend().rejected(self.account, text)
            return CredentialsRejected(text)
        if code in RETRY_ERRORS:
            return ChannelError(
                _(
                    "Zalo OA: đang giới hạn hoặc chưa xử lý xong (mã %(code)s: %(detail)s); "
                    "sẽ thử lại sau."
                )
                % {"code": code, "detail": detail},
                retryable=True,
            )
        return ChannelError(
            _("Zalo OA từ chối %(what)s (mã %(code)s: %(detail)s).")
            % {"what": what, "code": code, "detail": detail}
        )


def _data(answer: dict[str, Any]) -> dict[str, Any]:
    inner = answer.get("data")
    return inner if isinstance(inner, dict) else {}


def _found_article(oa: _Oa, title: str, since: str) -> dict[str, Any]:
    """The OA's article with exactly this title made since `since` (the attempt that never
    heard back, ISO time), or {}. The list is read newest first, 10 a page (Zalo's most), down
    to the first article older than that attempt (a minute of margin for clocks), at most
    LOOKUP_PAGES pages: on a busy OA the lost article may be far below the newest 10
    (`congdoan bench publish` found articles made twice when only those were read)."""
    oldest_ms = 0.0
    with contextlib.suppress(ValueError):
        oldest_ms = (datetime.fromisoformat(since).timestamp() - 60) * 1000
    for page in range(LOOKUP_PAGES):
        params = {"offset": str(page * 10), "limit": "10", "type": "normal"}
        answer = oa.api("GET", ARTICLE_LIST_PATH, params=params)
        if answer.get("error") != 0:
            raise oa.fail(answer, _("danh sách bài viết"))
        medias = [m for m in _data(answer).get("medias") or [] if isinstance(m, dict)]
        for item in medias:
            if item.get("title") == title and item.get("id"):
                return item
        made = [m["create_date"] for m in medias if isinstance(m.get("create_date"), int | float)]
        if len(medias) < 10 or (made and min(made) < oldest_ms):
            return {}
    return {}


def send_post(message: OutboundMessage) -> str:
    """Post the article (once) and broadcast it (once); return the article's id.

    Steps, each saved in the message's progress before the next: ``create_sent_at`` (asked),
    ``token`` (Zalo took it), ``article_id`` and ``link`` (verified), ``broadcast_sent_at``
    (asked), ``broadcast_id`` (sent). A retry after a lost answer looks the article up by its
    title instead of creating it again, and never sends a broadcast whose answer was lost a
    second time (followers would get it twice): the publication says so instead.
    """
    post = post_of(message)
    accounts = backend()
    oa = _Oa(message)
    progress = dict(accounts.progress_get(message))

    def save(**changes: Any) -> None:
        progress.update(changes)
        accounts.progress_save(message, dict(progress))

    article = article_of(post)
    update_of = str(post.get("update_of") or "")
    if update_of and not progress.get("article_id"):
        # A correction: the article on the OA takes the new version (the same call again on a
        # retry changes nothing more); its followers were told of it the first time.
        changes = {k: v for k, v in article.items() if k != "status"}
        answer = oa.api("POST", ARTICLE_UPDATE_PATH, json={"id": update_of, **changes})
        if answer.get("error") != 0:
            raise oa.fail(answer, _("bản đính chính của bài viết"))
        save(article_id=update_of)
    if not progress.get("article_id"):
        if not progress.get("token") and progress.get("create_sent_at"):
            found = _found_article(oa, article["title"], str(progress["create_sent_at"]))
            if found:
                save(article_id=str(found["id"]), link=str(found.get("link") or ""))
        if not progress.get("article_id") and not progress.get("token"):
            if not article["cover"]["photo_url"]:
                raise ChannelError(_("Zalo OA: bài viết cần một ảnh bìa."))
            save(create_sent_at=timezone.now().isoformat())
            try:
                answer = oa.api("POST", ARTICLE_CREATE_PATH, json=article)
            except ChannelError as exc:
                if exc.status in NOT_HANDLED:  # nothing made: the retry need not look for it
                    save(create_sent_at="")
                raise
            if answer.get("error") != 0:
                save(create_sent_at="")  # Zalo answered that it made nothing
                raise oa.fail(answer, _("bài viết"))
            token = str(_data(answer).get("token") or "")
            if not token:
                raise ChannelError(_("Zalo OA: câu trả lời không có mã xử lý bài viết"))
            save(token=token)
        if not progress.get("article_id"):
            answer = oa.api("POST", ARTICLE_VERIFY_PATH, json={"token": progress["token"]})
            if answer.get("error") != 0:
                raise oa.fail(answer, _("bài viết"))
            article_id = str(_data(answer).get("id") or "")
            if not article_id:
                raise ChannelError(
                    _("Zalo OA: bài viết chưa có mã; sẽ thử lại sau."), retryable=True
                )
            save(article_id=article_id)
    article_id = str(progress["article_id"])
    if not post.get("broadcast") or progress.get("broadcast_id"):
        return article_id
    if progress.get("broadcast_sent_at"):
        save(
            note=_(
                "Đã đăng bài viết; không rõ tin gửi tới người quan tâm đã đi chưa (mất câu trả "
                "lời của Zalo), nên không gửi lại để tránh gửi hai lần."
            )
        )
        return article_id
    save(broadcast_sent_at=timezone.now().isoformat())
    try:
        answer = oa.api("POST", BROADCAST_PATH, json=broadcast_of(article_id))
    except ChannelError as exc:
        if exc.status in NOT_HANDLED:  # Zalo said it did not take it: the retry sends it
            save(broadcast_sent_at="")
        raise
    if answer.get("error") != 0:
        save(broadcast_sent_at="")
        error = oa.fail(answer, _("tin gửi tới người quan tâm"))
        text = _(
            "Bài viết đã đăng trên Zalo OA (mã %(id)s) nhưng chưa gửi được tới người quan "
            "tâm: %(error)s"
        ) % {"id": article_id, "error": error}
        if isinstance(error, CredentialsRejected):
            raise CredentialsRejected(text) from error
        raise ChannelError(text, retryable=error.retryable) from error
    save(broadcast_id=str(_data(answer).get("message_id") or "sent"))
    return article_id
