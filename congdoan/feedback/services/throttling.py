"""How often one address may send concerns or look up tracking codes.

A fixed one-minute window per address, counted in the cache that every process shares (the
database, or Redis when set; `check --deploy` warns when it is process-local). The address is
never stored as such: only a keyed hash of it (`ip_hash`), also kept on the concern.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.translation import gettext_lazy

from congdoan.core import ratelimit
from congdoan.feedback.models import Channel

# The channels a person types into directly; webhooks and officers' records are not throttled.
THROTTLED_CHANNELS = (Channel.WEB.value, Channel.API.value, Channel.MEMBER.value)
LOOKUPS_PER_MINUTE = 30

THROTTLE_MESSAGES = {
    "rate": gettext_lazy(
        "Bạn đã gửi quá nhiều ý kiến trong một phút. Xin vui lòng đợi một lát rồi gửi lại."
    ),
    "lookup": gettext_lazy(
        "Bạn đã tra cứu quá nhiều lần trong một phút. Xin đợi một lát rồi thử lại."
    ),
}


class Throttled(Exception):
    """Too many concerns from one address in a minute (the caller answers 429)."""


def ip_hash(ip: str) -> str:
    """The address as stored: a hash keyed with SECRET_KEY, enough to count, useless to trace."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


def throttle_submission(ip: str, limit: int | None = None, kind: str = "rate") -> None:
    """Count one concern (or, with `kind="lookup"`, one lookup) from `ip`; raise `Throttled`
    past `limit` in the current minute (FEEDBACK_RATE_LIMIT_PER_MINUTE by default)."""
    limit = settings.FEEDBACK_RATE_LIMIT_PER_MINUTE if limit is None else limit
    if limit <= 0 or not ip:
        return
    if not ratelimit.hit(f"feedback:{kind}:{ip_hash(ip)}", limit=limit, window=60):
        raise Throttled(str(THROTTLE_MESSAGES.get(kind, THROTTLE_MESSAGES["rate"])))


def throttle_lookup(ip: str) -> None:
    """Tracking-code lookups per address: enough for a person, too few to enumerate codes."""
    throttle_submission(ip, limit=LOOKUPS_PER_MINUTE, kind="lookup")
