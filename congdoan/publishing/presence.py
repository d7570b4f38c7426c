"""The periodic job `publishing.presence`: how many posts each unit's Facebook Page carried a
day, read from the Graph API, kept by the activities app as its fanpage's activity.

Each run (every PRESENCE_SYNC_EVERY_MINUTES, default 6 hours):
1. takes the connected Facebook Page accounts (usable, with a page id), grouped by unit;
2. per page: reads its credentials once (an unreadable or unusable account is skipped, as the
   senders do), then ``GET /{page-id}/posts?since=<unix>&until=<unix>&fields=created_time&
   limit=100`` over the last PRESENCE_SYNC_DAYS local days (today included), following
   ``paging.next`` (on the Graph's own host only, at most MAX_PAGES pages), and counts the
   posts per local day (Asia/Ho_Chi_Minh, the project's TIME_ZONE);
3. per unit (its pages summed): registers its fanpage with the activities app when the unit
   has none (``https://www.facebook.com/<page-id>``), then calls
   `congdoan.activities.services.log_presence_posts` with source "graph" for every day of the
   window, a day without posts as 0 (a silent page shows silent); the call replaces the day's
   count, so a second run the same day counts once;
4. on a refused token (code 190, HTTP 401) marks the account EXPIRED through
   `services.account_mark` (its officers are e-mailed once, as the other jobs do) and leaves the
   unit's other pages to be counted; on a rate limit (codes 4, 17, 32, 613, HTTP 429) stops the
   run, the units not yet counted waiting for the next run; any other failure of a page (a
   permission missing, Facebook down) leaves its unit's counts as they were this run.
A unit is logged only when all its usable pages were read: a half-read unit would replace a
good count with a smaller one. Nothing here raises: one page's failure never stops the others.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.activities import selectors as activities_selectors
from congdoan.activities import services as activities_services
from congdoan.outbox import http
from congdoan.outbox.channels.accounts import CredentialsRejected
from congdoan.outbox.errors import ChannelError
from congdoan.periodic.registry import register_job
from congdoan.publishing import backend
from congdoan.publishing.crypto import CredentialsUnreadable
from congdoan.publishing.metrics.clients import FetchError, Problem, call
from congdoan.publishing.models import USABLE_STATUSES, AccountStatus, ChannelAccount, ChannelKind
from congdoan.publishing.services import account_mark

log = logging.getLogger("congdoan.publishing.presence")

#: The activities app's channel kind of a Facebook fanpage, and its source of counts read from
#: the Graph API (`congdoan.activities.models.ChannelKind.FANPAGE`, `PostSource.GRAPH`; the
#: models of another domain app are not imported here, `log_presence_posts` checks both).
FANPAGE = "fanpage"
SOURCE = "graph"
PAGE_SIZE = 100
MAX_PAGES = 50  # 5,000 posts in the window: more than any union's page writes
RATE_LIMIT_CODES = {4, 17, 32, 613}
TOKEN_CODES = {190}
PAGE_URL = "https://www.facebook.com/{page_id}"


def register() -> None:
    """Called by publishing's AppConfig.ready."""
    register_job(
        "publishing.presence",
        every=lambda: timedelta(minutes=sync_every_minutes()),
        run="congdoan.publishing.presence.presence_sync",
    )


def sync_days() -> int:
    return max(1, int(settings.PRESENCE_SYNC_DAYS))


def sync_every_minutes() -> int:
    return max(1, int(settings.PRESENCE_SYNC_EVERY_MINUTES))


def window(now: datetime, days: int) -> tuple[list[date], datetime]:
    """The local days of the window (oldest first, today last) and the local midnight it
    starts at."""
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    return [first + timedelta(days=n) for n in range(days)], start


# --- reading a page's posts ------------------------------------------------------------------


def _error(status: int, data: dict[str, Any]) -> FetchError:
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    assert isinstance(error, dict)
    code = error.get("code")
    words = {"code": code, "detail": str(error.get("message") or f"HTTP {status}")[:300]}
    if code in TOKEN_CODES or status == 401:
        return FetchError(
            _(
                "Facebook: quyền của trang đã hết hạn hoặc bị thu hồi (mã %(code)s: %(detail)s). "
                "Cán bộ cần kết nối lại trang ở mục Kênh xuất bản."
            )
            % words,
            Problem.RECONNECT,
        )
    if code in RATE_LIMIT_CODES or status == 429:
        return FetchError(
            _("Facebook: đang giới hạn số lần gọi (mã %(code)s: %(detail)s); lần sau đọc lại.")
            % words,
            Problem.LIMITED,
        )
    return FetchError(
        _("Facebook: không đọc được các bài của trang (mã %(code)s: %(detail)s).") % words,
        Problem.FAILED,
    )


def _get(url: str, params: dict[str, str] | None) -> dict[str, Any]:
    response = call("GET", url, provider="Facebook", params=params)
    data = http.json_of(response)
    if response.status_code >= 400 or "error" in data:
        raise _error(response.status_code, data)
    return data


def _created(value: Any) -> datetime | None:
    """A post's ``created_time`` as the Graph writes it ("2026-12-06T01:15:00+0000")."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def page_posts_per_day(
    page_id: str, token: str, *, start: datetime, now: datetime
) -> Counter[date]:
    """The page's posts created from `start` to `now`, counted per local day (FetchError)."""
    base = settings.FACEBOOK_GRAPH_BASE.rstrip("/")
    host = urlsplit(base).netloc
    url: str | None = f"{base}/{page_id}/posts"
    params: dict[str, str] | None = {
        "access_token": token,
        "since": str(int(start.timestamp())),
        "until": str(int(now.timestamp())),
        "fields": "created_time",
        "limit": str(PAGE_SIZE),
    }
    counts: Counter[date] = Counter()
    seen: set[str] = set()
    for _page in range(MAX_PAGES):
        assert url is not None
        data = _get(url, params)
        rows = [row for row in data.get("data") or [] if isinstance(row, dict)]
        for row in rows:
            key = str(row.get("id") or "")
            if key and key in seen:  # a page repeated by the cursor counts once
                continue
            seen.add(key)
            created = _created(row.get("created_time"))
            if created is not None and start <= created <= now:
                counts[timezone.localdate(created)] += 1
        paging = data.get("paging") if isinstance(data.get("paging"), dict) else {}
        following = (paging or {}).get("next")
        # The next page's URL carries the token: followed only on the Graph's own host.
        if not rows or not isinstance(following, str) or urlsplit(following).netloc != host:
            return counts
        url, params = following, None
    log.warning("presence: page %s has more than %s pages of posts", page_id, MAX_PAGES)
    return counts


# --- the job ---------------------------------------------------------------------------------


def due_accounts() -> list[ChannelAccount]:
    return list(
        ChannelAccount.objects.filter(kind=ChannelKind.FACEBOOK_PAGE, status__in=USABLE_STATUSES)
        .exclude(external_id="")
        .select_related("unit")
        .order_by("unit_id", "pk")
    )


def unit_save(
    unit_id: int, accounts: list[ChannelAccount], counts: Counter[date], days: list[date]
) -> None:
    """Register the unit's fanpage if it has none, then the count of every day of the window."""
    unit = accounts[0].unit
    with transaction.atomic():
        state = activities_selectors.presence_by_unit(unit_ids=[unit_id], as_of=days[-1])
        if not state[unit_id].has_fanpage:
            page = accounts[0]
            activities_services.channel_save(
                actor=None,
                unit=unit,
                values={
                    "kind": FANPAGE,
                    "name": page.display_name,
                    "url": PAGE_URL.format(page_id=page.external_id),
                    "is_active": True,
                },
            )
        for day in days:
            activities_services.log_presence_posts(
                unit=unit, channel_kind=FANPAGE, day=day, count=counts.get(day, 0), source=SOURCE
            )


def presence_sync(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job (see the module's docstring); counts of what happened, for the log."""
    now = now or timezone.now()
    days, start = window(now, sync_days())
    counts = {
        "units": 0,
        "pages": 0,
        "posts": 0,
        "failed": 0,
        "reconnect": 0,
        "skipped": 0,
        "left": 0,
    }
    by_unit: dict[int, list[ChannelAccount]] = defaultdict(list)
    for account in due_accounts():
        by_unit[account.unit_id].append(account)
    for done, (unit_id, accounts) in enumerate(by_unit.items()):
        total: Counter[date] = Counter()
        read: list[ChannelAccount] = []
        complete = True
        for account in accounts:
            try:
                creds = backend.credentials(str(account.pk))
            except (CredentialsRejected, CredentialsUnreadable, ChannelError) as exc:
                log.info("presence: page %s skipped: %s", account.pk, exc)
                counts["skipped"] += 1
                continue
            token = str(creds.get("access_token") or "")
            try:
                total += page_posts_per_day(account.external_id, token, start=start, now=now)
            except FetchError as exc:
                counts["failed"] += 1
                if exc.problem is Problem.LIMITED:
                    log.info("presence: rate limited at page %s, run stopped: %s", account.pk, exc)
                    counts["left"] = len(by_unit) - done  # units waiting for the next run
                    log.info("presence: %s", counts)
                    return counts
                if exc.problem is Problem.RECONNECT:
                    account_mark(account, status=AccountStatus.EXPIRED, error=str(exc))
                    counts["reconnect"] += 1
                    continue  # the page is unusable now: the unit's other pages still count
                log.info("presence: page %s not read: %s", account.pk, exc)
                complete = False
                break
            read.append(account)
            counts["pages"] += 1
        if not complete or not read:
            continue
        try:
            unit_save(unit_id, read, total, days)
        except ValidationError as exc:  # e.g. a unit's row the activities app refuses
            log.warning("presence: unit %s not logged: %s", unit_id, exc)
            counts["failed"] += 1
            continue
        counts["units"] += 1
        counts["posts"] += sum(total.values())
    log.info("presence: %s", counts)
    return counts
