"""Zalo OA tokens that keep working: connect an OA to a unit, refresh its tokens.

Zalo's OAuth v4 for Official Accounts (developers.zalo.me, "Official Account API" →
"Lấy Access Token từ OA"):
- connect: the officer is sent to ``{ZALO_OAUTH_BASE}/v4/oa/permission?app_id=&redirect_uri=
  &code_challenge=&state=``; the OA's admin agrees and Zalo redirects back with ``code`` and
  ``oa_id``; ``POST {ZALO_OAUTH_BASE}/v4/oa/access_token`` with header ``secret_key`` (the app's
  secret) and a form ``app_id, code, code_verifier, grant_type=authorization_code`` answers
  ``{"access_token", "refresh_token", "expires_in"}`` (seconds, about 25 hours);
- refresh: the same endpoint with ``refresh_token, grant_type=refresh_token``. A refresh token
  works ONCE (the answer carries the next one) and lives three months;
- a refusal answers ``{"error": <negative>, "error_name", "error_description"}``.

How this module keeps them working:
1. `zalo_refresh_due` (periodic job, every CHANNEL_REFRESH_EVERY_MINUTES) refreshes each
   account whose access token ends within CHANNEL_REFRESH_BEFORE_MINUTES, one at a time;
2. a refresh claims the account with a conditional UPDATE (its `updated_at` as a version) in
   the transaction that saves the new tokens, so two workers (or the job and a sender whose
   token Zalo refused) never spend the same one-time refresh token: the second finds the row
   changed and uses the token the first one saved. (On SQLite the claim holds the database's
   write lock during the call to Zalo, at most OUTBOX_HTTP_TIMEOUT seconds.)
3. Zalo refusing the refresh token (revoked, app secret changed) marks the account EXPIRED
   through `services.account_mark`, which e-mails the unit's officers once; each refresh
   gives a new refresh token for ZALO_REFRESH_TOKEN_DAYS, so one that comes close to its end
   (refreshes failing for weeks) is marked EXPIRING, and the officers told, by the channels'
   job (refresh.py), as for every platform;
4. the outbox's Zalo channel asks `AccountTokens` (registered by `register()`) for the token of
   each message: the account its ref names (``zalo-account:<id>``), else the deployment's own
   OA (the home unit's, or the only one); none connected → the static ZALO_OA_ACCESS_TOKEN.
5. `register()` also hands content's on-corrected hook `publications.zalo_update_corrected`:
   a corrected product already on an OA updates its article there (docs/publishing.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.content import hooks
from congdoan.orgs.models import Unit
from congdoan.orgs.site import home_unit
from congdoan.outbox.channels import zalo as zalo_channel
from congdoan.outbox.errors import ChannelError
from congdoan.outbox.http import is_retryable_status, json_of, request
from congdoan.periodic.registry import register_job
from congdoan.publishing import crypto, publications
from congdoan.publishing.models import (
    UNUSABLE_STATUSES,
    AccountStatus,
    ChannelAccount,
    ChannelKind,
)
from congdoan.publishing.oauth import Connected, ConnectError
from congdoan.publishing.services import (
    account_connect,
    account_mark,
    credentials_get,
    credentials_save,
)

log = logging.getLogger("congdoan.publishing.zalo")

PERMISSION_PATH = "/v4/oa/permission"
TOKEN_PATH = "/v4/oa/access_token"
# The OA's own profile (name, id), read with its fresh token to name the connected account.
OA_INFO_PATH = "/v2.0/oa/getoa"
# Zalo documents about 25 hours; used when an answer carries no expires_in.
DEFAULT_EXPIRES_IN = 90000
CONNECT_MAX_AGE = timedelta(minutes=15)
_ACCOUNT_REF = re.compile(r"zalo-account:(\d+)")


class ZaloAuthError(Exception):
    """Zalo refused a code or a refresh token: the account must be connected again."""


def account_ref(account: ChannelAccount) -> str:
    """What an outbox message's ref carries to be sent through this account."""
    return f"zalo-account:{account.pk}"


# -- the token endpoint -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int

    def credentials(self) -> dict[str, Any]:
        return {"access_token": self.access_token, "refresh_token": self.refresh_token}


def token_request(form: dict[str, str]) -> Tokens:
    """POST the token endpoint once. Raises ZaloAuthError when Zalo refuses (final) and a
    retryable ChannelError when it cannot be reached or fails (5xx, 429, not JSON)."""
    url = settings.ZALO_OAUTH_BASE.rstrip("/") + TOKEN_PATH
    response = request(  # a timeout or a refused connection: a retryable ChannelError
        "POST",
        url,
        provider="Zalo OAuth",
        data={"app_id": settings.ZALO_APP_ID, **form},
        headers={"secret_key": settings.ZALO_APP_SECRET_KEY, "Accept": "application/json"},
    )
    status = response.status_code
    if is_retryable_status(status):
        raise ChannelError(f"Zalo OAuth: HTTP {status}", retryable=True, status=status)
    try:
        data = response.json()
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChannelError(
            _("Zalo OAuth: câu trả lời không phải JSON (HTTP %(status)s)") % {"status": status},
            retryable=True,
            status=status,
        ) from exc
    if not isinstance(data, dict):
        raise ZaloAuthError(f"HTTP {status}: {_('lỗi không rõ')}")
    if status >= 400 or not data.get("access_token"):
        words = (
            data.get("error_description")
            or data.get("error_reason")
            or data.get("error_name")
            or data.get("message")
            or _("lỗi không rõ")
        )
        raise ZaloAuthError(f"{data.get('error', status)}: {words}")
    try:
        expires_in = int(data.get("expires_in") or DEFAULT_EXPIRES_IN)
    except (TypeError, ValueError):
        expires_in = DEFAULT_EXPIRES_IN
    return Tokens(
        access_token=str(data["access_token"]),
        refresh_token=str(data.get("refresh_token") or ""),
        expires_in=expires_in,
    )


def _expiries(tokens: Tokens, now: datetime) -> tuple[datetime, datetime]:
    return (
        now + timedelta(seconds=tokens.expires_in),
        now + timedelta(days=settings.ZALO_REFRESH_TOKEN_DAYS),
    )


# -- connect (authorisation code with PKCE) -----------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, code_challenge): 43 URL-safe characters and the unpadded base64url of
    their SHA-256, as RFC 7636 (S256) and Zalo's OA permission page ask."""
    verifier = secrets.token_urlsafe(32)[:43]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def dialog_url(*, redirect_uri: str, state: str, code_challenge: str) -> str:
    """Zalo's OA permission page, where the OA's admin agrees to let this app act for it."""
    query = urlencode(
        {
            "app_id": settings.ZALO_APP_ID,
            "redirect_uri": redirect_uri,
            "code_challenge": code_challenge,
            "state": state,
        }
    )
    return f"{settings.ZALO_OAUTH_BASE.rstrip('/')}{PERMISSION_PATH}?{query}"


def oa_connection(*, code: str, code_verifier: str, oa_id: str) -> Connected:
    """Exchange the code Zalo sent back (with the PKCE verifier of the dialog) for the OA's
    tokens. Raises ConnectError with a message for the officer."""
    if not code or not oa_id:
        raise ConnectError(_("Zalo không trả về mã kết nối; hãy thử lại."))
    try:
        tokens = token_request(
            {"code": code, "code_verifier": code_verifier, "grant_type": "authorization_code"}
        )
    except ZaloAuthError as exc:
        raise ConnectError(_("Zalo từ chối kết nối: %(error)s") % {"error": exc}) from exc
    except ChannelError as exc:
        raise ConnectError(str(exc)) from exc
    access_ends, refresh_ends = _expiries(tokens, timezone.now())
    return Connected(
        external_id=oa_id,
        display_name=oa_name(tokens.access_token) or f"Zalo OA {oa_id}",
        credentials=tokens.credentials(),
        access_token_expires_at=access_ends,
        refresh_token_expires_at=refresh_ends,
    )


def oa_name(access_token: str) -> str:
    """The OA's name (``GET /v2.0/oa/getoa`` → ``data.name``), or "" when Zalo does not say:
    a connection does not fail for want of a name."""
    try:
        response = request(
            "GET",
            settings.ZALO_OA_API_BASE.rstrip("/") + OA_INFO_PATH,
            provider="Zalo OA",
            headers={"access_token": access_token},
        )
    except ChannelError:
        return ""
    data = json_of(response)
    info = data.get("data") if data.get("error") == 0 else None
    return str(info.get("name") or "")[:255] if isinstance(info, dict) else ""


def connect_url(*, actor: Any, unit: Unit, redirect_uri: str) -> str:
    """Where to send an officer who connects the unit's OA, without a session: the state
    carries, encrypted (the verifier must not travel in clear), the unit, the officer and the
    PKCE verifier. (The channels page may instead keep the verifier in its session and call
    `dialog_url` and `oa_connection` itself.)"""
    verifier, challenge = pkce_pair()
    state = crypto.encrypt(
        {"unit": unit.pk, "actor": actor.pk, "verifier": verifier, "at": int(time.time())}
    )
    return dialog_url(redirect_uri=redirect_uri, state=state, code_challenge=challenge)


def connect_finish(
    *, actor: Any, state: str, code: str, oa_id: str, display_name: str = ""
) -> ChannelAccount:
    """Zalo's redirect back after `connect_url`: exchange the code and connect the account.

    Raises ConnectError (with a message for the officer) when the state is not this
    officer's, is older than CONNECT_MAX_AGE, or Zalo refuses the code."""
    try:
        data = crypto.decrypt(state)
    except crypto.CredentialsUnreadable as exc:
        raise ConnectError(_("Liên kết kết nối Zalo OA không hợp lệ.")) from exc
    if data.get("actor") != getattr(actor, "pk", None):
        raise ConnectError(_("Liên kết kết nối Zalo OA này không phải của bạn."))
    if time.time() - float(data.get("at") or 0) > CONNECT_MAX_AGE.total_seconds():
        raise ConnectError(_("Liên kết kết nối Zalo OA đã hết hạn; hãy bấm kết nối lại."))
    unit = Unit.objects.filter(pk=int(data.get("unit") or 0)).first()
    if unit is None:
        raise ConnectError(_("Liên kết kết nối Zalo OA không hợp lệ."))
    found = oa_connection(code=code, code_verifier=str(data.get("verifier", "")), oa_id=oa_id)
    return account_connect(
        actor=actor,
        unit=unit,
        kind=ChannelKind.ZALO_OA,
        external_id=found.external_id,
        display_name=display_name or found.display_name,
        credentials=found.credentials,
        access_token_expires_at=found.access_token_expires_at,
        refresh_token_expires_at=found.refresh_token_expires_at,
    )


# -- refresh -----------------------------------------------------------------------------------


def _needs_refresh(account: ChannelAccount, now: datetime) -> bool:
    ends = account.access_token_expires_at
    return ends is None or ends <= now + timedelta(minutes=settings.CHANNEL_REFRESH_BEFORE_MINUTES)


def account_refresh(
    *, account_id: int, rejected_token: str = "", now: datetime | None = None
) -> str:
    """Refresh one account's tokens, at most once however many workers ask at the same time.

    `rejected_token`: a sender's token that Zalo refused; if the account already holds another
    one, that is the answer and nothing is spent. Returns "refreshed", "fresh" (nothing to do,
    or another worker just did it), "expired" (Zalo refused the refresh token: reconnect) or
    "unreadable" (the credentials cannot be decrypted: reconnect). Raises a retryable
    ChannelError when Zalo cannot be reached (the next run tries again).
    """
    now = now or timezone.now()
    with transaction.atomic():
        account = ChannelAccount.objects.filter(pk=account_id, kind=ChannelKind.ZALO_OA).first()
        if account is None or account.status in UNUSABLE_STATUSES:
            return "expired"
        try:
            creds = credentials_get(account)
        except crypto.CredentialsUnreadable:
            account_mark(
                account, status=AccountStatus.ERROR, error=_("Không giải mã được khóa đã lưu.")
            )
            return "unreadable"
        if rejected_token:
            if creds.get("access_token") != rejected_token:
                return "fresh"
        elif not _needs_refresh(account, now):
            return "fresh"
        # The claim: only one worker moves `updated_at` from the value it read.
        claimed = ChannelAccount.objects.filter(
            pk=account.pk, updated_at=account.updated_at
        ).update(updated_at=now)
        if claimed != 1:
            return "fresh"
        refresh_token = str(creds.get("refresh_token") or "")
        if not refresh_token:
            account_mark(
                account,
                status=AccountStatus.EXPIRED,
                error=_("Không có mã làm mới (refresh token)."),
            )
            return "expired"
        try:
            tokens = token_request({"refresh_token": refresh_token, "grant_type": "refresh_token"})
        except ZaloAuthError as exc:
            account_mark(
                account,
                status=AccountStatus.EXPIRED,
                error=_("Zalo từ chối làm mới mã truy cập (%(error)s); cần kết nối lại.")
                % {"error": exc},
            )
            return "expired"
        access_ends, refresh_ends = _expiries(tokens, now)
        # Saved in the transaction of the claim: the spent refresh token is never kept.
        credentials_save(
            account,
            {**creds, **tokens.credentials()},
            access_token_expires_at=access_ends,
            refresh_token_expires_at=refresh_ends,
        )
    log.info("zalo: refreshed the tokens of account %s", account_id)
    return "refreshed"


def zalo_refresh_due(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: refresh what ends soon; what Zalo refuses is marked (officers told)."""
    now = now or timezone.now()
    counts = {"refreshed": 0, "expired": 0, "retry": 0}
    soon = now + timedelta(minutes=settings.CHANNEL_REFRESH_BEFORE_MINUTES)
    due = (
        ChannelAccount.objects.filter(kind=ChannelKind.ZALO_OA)
        .exclude(status__in=UNUSABLE_STATUSES)
        .filter(Q(access_token_expires_at__isnull=True) | Q(access_token_expires_at__lte=soon))
        .values_list("pk", flat=True)
    )
    for pk in list(due):
        try:
            outcome = account_refresh(account_id=pk, now=now)
        except ChannelError as exc:  # Zalo unreachable: the next run tries again
            log.warning("zalo: could not refresh account %s: %s", pk, exc)
            counts["retry"] += 1
            continue
        if outcome == "refreshed":
            counts["refreshed"] += 1
        elif outcome in ("expired", "unreadable"):
            counts["expired"] += 1
    return counts


# -- the outbox's token source ------------------------------------------------------------------


def _deployment_account() -> ChannelAccount | None:
    """The OA of the deployment: the home unit's connected one, else the only one connected."""
    usable = ChannelAccount.objects.filter(kind=ChannelKind.ZALO_OA).exclude(
        status__in=UNUSABLE_STATUSES
    )
    unit = home_unit()
    if unit is not None:
        own = usable.filter(unit=unit).order_by("id").first()
        if own is not None:
            return own
    only = list(usable.order_by("id")[:2])
    return only[0] if len(only) == 1 else None


class AccountTokens:
    """`congdoan.outbox.channels.zalo.TokenSource` backed by the units' Zalo OA accounts."""

    def current(self, ref: str) -> zalo_channel.ZaloToken | None:
        named = _ACCOUNT_REF.search(ref or "")
        if named is not None:
            account = ChannelAccount.objects.filter(
                pk=int(named.group(1)), kind=ChannelKind.ZALO_OA
            ).first()
        else:
            account = _deployment_account()
        if account is None or account.status in UNUSABLE_STATUSES:
            return None
        try:
            token = str(credentials_get(account).get("access_token") or "")
        except crypto.CredentialsUnreadable:
            return None
        return zalo_channel.ZaloToken(token, account.pk) if token else None

    def renew(self, rejected: zalo_channel.ZaloToken) -> zalo_channel.ZaloToken | None:
        if rejected.account_id is None:
            return None
        outcome = account_refresh(
            account_id=rejected.account_id, rejected_token=rejected.access_token
        )
        if outcome not in ("refreshed", "fresh"):
            return None
        return self.current(f"zalo-account:{rejected.account_id}")


def register() -> None:
    """Called by publishing's AppConfig.ready: the outbox's token source, the job, and
    content's on-corrected hook (a corrected product updates its article on the OA)."""
    zalo_channel.register_token_source(AccountTokens())
    hooks.register_on_corrected(publications.zalo_update_corrected)
    register_job(
        "publishing.zalo_refresh",
        every=lambda: timedelta(minutes=settings.CHANNEL_REFRESH_EVERY_MINUTES),
        run="congdoan.publishing.zalo.zalo_refresh_due",
    )
