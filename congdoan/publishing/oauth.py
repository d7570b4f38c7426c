"""The platforms' OAuth: connecting an account (the officer's "connect" button) and refreshing
its tokens, through the outbox's one HTTP client.

- Facebook Login: the dialog (FACEBOOK_DIALOG_URL) returns a code → ``GET /oauth/access_token``
  (a short-lived user token) → ``GET /oauth/access_token?grant_type=fb_exchange_token`` (a
  long-lived one, ~60 days) → ``GET /me/accounts``: each page's token, which does not expire
  while the user's grant stands; Facebook's data access still ends after 90 days
  (``data_access_expires_at``), when the page must be reconnected.
- Google (YouTube): the consent screen (GOOGLE_OAUTH_AUTH_URL, ``access_type=offline``,
  ``prompt=consent``) returns a code → ``POST`` GOOGLE_OAUTH_TOKEN_URL: an access token for an
  hour and a refresh token that keeps working → ``GET /youtube/v3/channels?mine=true``; the
  access token is refreshed with ``grant_type=refresh_token``; ``invalid_grant`` means the
  grant was withdrawn: reconnect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.outbox.channels.accounts import CredentialsRejected
from congdoan.outbox.errors import ChannelError
from congdoan.outbox.http import json_of, request
from congdoan.publishing.models import AccountStatus, ChannelAccount
from congdoan.publishing.services import account_mark, credentials_save

FACEBOOK_SCOPES = "pages_show_list,pages_read_engagement,pages_read_insights,pages_manage_posts"
GOOGLE_SCOPES = (
    "https://www.googleapis.com/auth/youtube.upload "
    "https://www.googleapis.com/auth/youtube.readonly"
)


class ConnectError(Exception):
    """Connecting failed; the message is for the officer."""


@dataclass(frozen=True)
class Connected:
    external_id: str
    display_name: str
    credentials: dict[str, Any]
    access_token_expires_at: datetime | None
    refresh_token_expires_at: datetime | None


def _get(url: str, **params: Any) -> tuple[int, dict[str, Any]]:
    try:
        response = request("GET", url, provider=_("Nền tảng"), params=params)
    except ChannelError as exc:
        raise ConnectError(str(exc)) from exc
    return response.status_code, json_of(response)


def _post(url: str, data: dict[str, str]) -> tuple[int, dict[str, Any]]:
    response = request("POST", url, provider=_("Nền tảng"), data=data)
    return response.status_code, json_of(response)


def _graph_error(data: dict[str, Any]) -> str:
    error = data.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or "")
    return str(error or "")


# --- Facebook ---


def facebook_dialog_url(*, redirect_uri: str, state: str) -> str:
    query = urlencode(
        {
            "client_id": settings.FACEBOOK_APP_ID,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": FACEBOOK_SCOPES,
            "response_type": "code",
        }
    )
    return f"{settings.FACEBOOK_DIALOG_URL}?{query}"


def facebook_pages(*, code: str, redirect_uri: str) -> list[Connected]:
    """Exchange the dialog's code for the pages the officer manages, each with its token."""
    base = settings.FACEBOOK_GRAPH_BASE.rstrip("/")
    app = {"client_id": settings.FACEBOOK_APP_ID, "client_secret": settings.FACEBOOK_APP_SECRET}
    status, data = _get(f"{base}/oauth/access_token", redirect_uri=redirect_uri, code=code, **app)
    if status != 200 or not data.get("access_token"):
        raise ConnectError(
            _("Facebook không chấp nhận mã đăng nhập: %(e)s") % {"e": _graph_error(data)}
        )
    status, data = _get(
        f"{base}/oauth/access_token",
        grant_type="fb_exchange_token",
        fb_exchange_token=data["access_token"],
        **app,
    )
    user_token = data.get("access_token")
    if status != 200 or not user_token:
        raise ConnectError(_("Facebook không cấp mã dài hạn: %(e)s") % {"e": _graph_error(data)})
    status, debug = _get(f"{base}/debug_token", input_token=user_token, access_token=user_token)
    info = debug.get("data") if isinstance(debug.get("data"), dict) else {}
    assert isinstance(info, dict)
    data_access = info.get("data_access_expires_at")
    ends = datetime.fromtimestamp(int(data_access), tz=UTC) if data_access else None
    status, pages = _get(
        f"{base}/me/accounts", access_token=user_token, fields="id,name,access_token"
    )
    if status != 200:
        raise ConnectError(
            _("Facebook không cho đọc danh sách trang: %(e)s") % {"e": _graph_error(pages)}
        )
    found = [
        Connected(
            external_id=str(page["id"]),
            display_name=str(page.get("name") or page["id"]),
            credentials={"access_token": page["access_token"], "page_id": str(page["id"])},
            access_token_expires_at=None,  # a page token from a long-lived user token
            refresh_token_expires_at=ends,
        )
        for page in pages.get("data") or []
        if isinstance(page, dict) and page.get("id") and page.get("access_token")
    ]
    if not found:
        raise ConnectError(_("Tài khoản Facebook này không quản lý trang nào."))
    return found


# --- Google / YouTube ---


def google_dialog_url(*, redirect_uri: str, state: str) -> str:
    query = urlencode(
        {
            "client_id": settings.GOOGLE_OAUTH_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": GOOGLE_SCOPES,
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
            "state": state,
        }
    )
    return f"{settings.GOOGLE_OAUTH_AUTH_URL}?{query}"


def _expires(data: dict[str, Any]) -> datetime:
    return timezone.now() + timedelta(seconds=int(data.get("expires_in") or 3600))


def youtube_channel(*, code: str, redirect_uri: str) -> Connected:
    """Exchange the consent screen's code for tokens and the channel they give access to."""
    try:
        status, data = _post(
            settings.GOOGLE_OAUTH_TOKEN_URL,
            {
                "code": code,
                "client_id": settings.GOOGLE_OAUTH_CLIENT_ID,
                "client_secret": settings.GOOGLE_OAUTH_CLIENT_SECRET,
                "redirect_uri": redirect_uri,
                "grant_type": "authorization_code",
            },
        )
    except ChannelError as exc:
        raise ConnectError(str(exc)) from exc
    if status != 200 or not data.get("access_token") or not data.get("refresh_token"):
        raise ConnectError(
            _("Google không cấp quyền: %(e)s")
            % {"e": data.get("error_description") or data.get("error") or status}
        )
    try:
        response = request(
            "GET",
            settings.YOUTUBE_API_BASE.rstrip("/") + "/youtube/v3/channels",
            provider="YouTube",
            params={"part": "snippet", "mine": "true"},
            headers={"Authorization": f"Bearer {data['access_token']}"},
        )
    except ChannelError as exc:
        raise ConnectError(str(exc)) from exc
    items = json_of(response).get("items") or []
    if response.status_code != 200 or not items:
        raise ConnectError(_("Tài khoản Google này không có kênh YouTube."))
    channel = items[0]
    return Connected(
        external_id=str(channel["id"]),
        display_name=str((channel.get("snippet") or {}).get("title") or channel["id"]),
        credentials={
            "access_token": data["access_token"],
            "refresh_token": data["refresh_token"],
        },
        access_token_expires_at=_expires(data),
        refresh_token_expires_at=None,  # Google's refresh token lasts until withdrawn
    )


def google_refresh(account: ChannelAccount, creds: dict[str, Any]) -> dict[str, Any]:
    """A fresh access token for a YouTube account, saved; the refreshed credentials.

    Raises CredentialsRejected (the account marked expired) when Google refuses the refresh
    token, ChannelError (retryable) when Google cannot be reached.
    """
    status, data = _post(
        settings.GOOGLE_OAUTH_TOKEN_URL,
        {
            "client_id": settings.GOOGLE_OAUTH_CLIENT_ID,
            "client_secret": settings.GOOGLE_OAUTH_CLIENT_SECRET,
            "refresh_token": str(creds.get("refresh_token") or ""),
            "grant_type": "refresh_token",
        },
    )
    if status == 200 and data.get("access_token"):
        fresh = {**creds, "access_token": data["access_token"]}
        if data.get("refresh_token"):
            fresh["refresh_token"] = data["refresh_token"]
        credentials_save(
            account, fresh, access_token_expires_at=_expires(data), keep_refresh_expiry=True
        )
        return fresh
    if status >= 500 or status == 429 or not data:
        raise ChannelError(
            _("Google: chưa làm mới được mã truy cập (HTTP %(s)s); sẽ thử lại.") % {"s": status},
            retryable=True,
            status=status,
        )
    text = _(
        "YouTube: Google không làm mới được quyền của kênh (%(e)s). Cán bộ cần kết nối lại kênh."
    ) % {"e": data.get("error_description") or data.get("error") or status}
    account_mark(account, status=AccountStatus.EXPIRED, error=text)
    raise CredentialsRejected(text, status=status)
