"""An officer's calendar as an iCalendar feed (RFC 5545) at a private, revocable link.

The link carries a random secret (`cal_…`); only its SHA-256 is stored, so the link is shown
once, when it is made. Making a new link revokes the old ones; "revoke" ends them all. The
feed is what the officer sees on /noi-dung/lich/ (their scope, read again at each request), so
an officer who leaves office gets an empty answer (403) even with a live link.

Written by hand rather than with the `icalendar` package: the feed has two kinds of VEVENT,
and the rules that matter are few: CRLF line ends, text escaped (backslash, semicolon,
comma, newline) and lines folded at 75 octets without cutting a UTF-8 character.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from congdoan.audit.services import audit_record
from congdoan.content.calendar import visible_events, visible_occurrences
from congdoan.content.models_bulletin import CalendarFeedToken
from congdoan.orgs.scoping import Viewer, scope_for

TOKEN_PREFIX = "cal_"
PAST_DAYS = 90  # the feed reaches this far back…
FUTURE_DAYS = 400  # …and this far ahead


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, user: Any) -> str:
    """A new private link for `user` (the secret, shown once); older links stop working."""
    now = timezone.now()
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(24)
    token = CalendarFeedToken.objects.create(user=user, key_hash=_hash(raw), prefix=raw[:8])
    audit_record(actor=user, action="content.calendar_link.create", target=token)
    return raw


@transaction.atomic
def calendar_token_revoke(*, user: Any) -> int:
    """End every private link of `user`; how many were live."""
    revoked = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(actor=user, action="content.calendar_link.revoke", changes={"links": revoked})
    return revoked


def calendar_token_user(raw: str) -> Any | None:
    """The officer whose live link this is, or None (unknown, revoked, no longer an officer)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        CalendarFeedToken.objects.filter(key_hash=_hash(raw), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active or not scope_for(token.user).is_officer:
        return None
    CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def has_live_token(user: Any) -> bool:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).exists()


# --- RFC 5545 ----------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11); carriage returns dropped, newlines as \\n."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (§3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


def _event(props: Iterable[tuple[str, str]]) -> list[str]:
    return ["BEGIN:VEVENT", *[fold(f"{name}:{value}") for name, value in props], "END:VEVENT"]


def feed(viewer: Viewer, *, now: datetime | None = None) -> str:
    """The viewer's highlights and events from PAST_DAYS ago to FUTURE_DAYS ahead."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    host = urlsplit(settings.SITE_URL).hostname or "congdoan"
    stamp = _stamp(now)
    site = settings.SITE_URL.rstrip("/")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Cong Doan So//Lich truyen thong//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        fold("X-WR-CALNAME:" + escape_text("Lịch truyền thông Công Đoàn Số")),
        "X-WR-TIMEZONE:" + settings.TIME_ZONE,
    ]
    for occurrence in visible_occurrences(viewer, first, last):
        highlight = occurrence.highlight
        description = highlight.description
        if highlight.unit is not None:
            description = f"{highlight.unit.name}\n{description}".strip()
        lines += _event(
            [
                ("UID", f"highlight-{occurrence.pk}@{host}"),
                ("DTSTAMP", stamp),
                ("DTSTART;VALUE=DATE", _day(occurrence.starts_on)),
                ("DTEND;VALUE=DATE", _day(occurrence.ends_on + timedelta(days=1))),
                ("SUMMARY", escape_text(highlight.name)),
                ("DESCRIPTION", escape_text(description)),
                ("TRANSP", "TRANSPARENT"),
            ]
        )
    for event in visible_events(viewer, first, last):
        starts = event.event_starts_at
        if starts is None:
            continue
        ends = event.event_ends_at if event.event_ends_at and event.event_ends_at > starts else None
        props = [
            ("UID", f"product-{event.pk}@{host}"),
            ("DTSTAMP", stamp),
            ("DTSTART", _stamp(starts)),
            ("DTEND", _stamp(ends or starts + timedelta(hours=1))),
            ("SUMMARY", escape_text(event.title)),
            ("DESCRIPTION", escape_text(f"{event.unit.name}\n{event.summary}".strip())),
            ("URL", site + reverse("bulletin:calendar")),
        ]
        if event.event_place:
            props.append(("LOCATION", escape_text(event.event_place)))
        lines += _event(props)
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
