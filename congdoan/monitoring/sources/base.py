"""What every source module shares: its error, HTML to text, safe HTML, dates."""

from __future__ import annotations

import html as htmllib
from datetime import UTC, datetime
from typing import Any

import nh3
import regex
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from congdoan.monitoring.fetch import ExplainedError


class SourceError(ExplainedError):
    """A source could not be read (its message is the source's last error, shown to officers;
    raised with a msgid and its parameters, shown again in the reader's language)."""


# A block's end becomes a line break before the tags go, so paragraphs stay apart.
_BLOCK_END = regex.compile(
    r"(?i)<(?:br|hr|/p|/div|/li|/h[1-6]|/tr|/article|/section|/blockquote)\b"
)
_SPACES = regex.compile(r"[ \t\u00a0]+")
_BLANK_LINES = regex.compile(r"\n{3,}")

# Kept in a snapshot: structure and links, nothing that runs or loads (no script, style, event
# handler, form, frame, remote image).
SNAPSHOT_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"img", "map", "area"}


def html_text(html: str) -> str:
    """The readable text of an HTML fragment or page: no tags, no script or style content."""
    if not html:
        return ""
    marked = _BLOCK_END.sub(lambda m: "\n" + m.group(0), html)
    text = htmllib.unescape(nh3.clean(marked, tags=set()))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def sanitise_html(html: str) -> str:
    """HTML safe to show again (nh3): see SNAPSHOT_TAGS; links get rel="noopener noreferrer"."""
    if not html:
        return ""
    return nh3.clean(html, tags=set(SNAPSHOT_TAGS), link_rel="noopener noreferrer nofollow")


def to_datetime(value: object) -> datetime | None:
    """An aware datetime from an ISO 8601 string, a Unix timestamp or a datetime; else None.

    A time without a zone is the site's (Asia/Ho_Chi_Minh): an export typed in Việt Nam.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else timezone.make_aware(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    if raw.isdigit():
        return to_datetime(int(raw))
    # "+0000" (Graph API) → "+00:00"; a date alone → midnight.
    raw = regex.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", raw)
    try:
        parsed = parse_datetime(raw) or (datetime.fromisoformat(raw) if len(raw) == 10 else None)
    except ValueError:
        return None
    if parsed is None:
        for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
            try:
                parsed = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def to_int(value: object) -> int:
    """A non-negative count from what an export holds ("1.234", "1,234", 12.0, None → 0)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float):
        return max(int(value), 0) if value == value and value not in (float("inf"),) else 0
    if isinstance(value, str):
        digits = regex.sub(r"[.,\s]", "", value.strip())
        return int(digits) if digits.isdigit() and len(digits) < 19 else 0
    return 0


def as_dict(value: object) -> dict[str, Any]:
    """`value` when it is a JSON object, else {} (an API's answer read defensively)."""
    return value if isinstance(value, dict) else {}
