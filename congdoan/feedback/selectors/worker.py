"""What a worker reads: the concern behind a tracking code, their own concerns, the unions to pick.

The tracking code is the key: whoever holds it reads the status and the answer, never a
contact, an internal note or an assignee (`public_view`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from congdoan.core import page_cache
from congdoan.feedback.models import Concern, Status, clean_code
from congdoan.feedback.selectors.answering import citation_link
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for
from congdoan.text import fold


def concern_for_worker(*, code: str) -> Concern | None:
    """The concern behind a tracking code (None if unknown); the caller shows `public_view` only."""
    value = clean_code(code)
    if not value:
        return None
    return Concern.objects.select_related("unit", "assigned_unit").filter(code=value).first()


# What a worker reads of a status: "phân loại" (triaged) is the officers' own step, and a
# reopened concern waits for a new answer. The other statuses read the same for both.
WORKER_STATUS_LABELS = {
    Status.TRIAGED: gettext_lazy("Đã tiếp nhận, chờ xử lý"),
    Status.REOPENED: gettext_lazy("Đã mở lại, chờ trả lời"),
}


def worker_status_label(status: str) -> str:
    return str(WORKER_STATUS_LABELS.get(Status(status)) or Status(status).label)


def public_view(concern: Concern) -> dict[str, Any]:
    """What the worker with the code sees: no contact details, no internal notes, no assignee.

    The union's answer stays readable once sent: after the worker reopens the concern it is
    shown as the earlier answer (`answer_is_earlier`) until a new one comes.
    """
    sent = bool(concern.answer_text) and concern.answered_at is not None
    return {
        "code": concern.code,
        "status": concern.status,
        "status_label": worker_status_label(concern.status),
        "created_at": concern.created_at,
        "unit": concern.unit.name if concern.unit else "",
        # Where it went: the union, the level above (asked for, or about the union), or the
        # home unit when no union was named.
        "sent_to": concern.assigned_unit.name if concern.assigned_unit else "",
        "text": concern.text,
        "has_photo": bool(concern.photo),
        "topic": concern.get_topic_display() if concern.topic else "",
        "answer": concern.answer_text if sent else "",
        "answer_citation": concern.answer_citation if sent else "",
        # the officer's link, else the article the citation names (when its law is imported)
        "answer_url": citation_link(concern.answer_citation, concern.answer_url) if sent else "",
        "answered_at": concern.answered_at,
        "answer_is_earlier": sent and concern.status not in (Status.ANSWERED, Status.CLOSED),
        # A sent answer that an officer corrected: the worker reads the latest and when.
        "answer_corrected_at": (
            concern.answers.filter(is_correction=True)
            .order_by("-version")
            .values_list("created_at", flat=True)
            .first()
            if sent
            else None
        ),
        "rating": concern.rating,
        "can_rate": concern.status in (Status.ANSWERED, Status.CLOSED),
        "can_reopen": concern.status in (Status.ANSWERED, Status.CLOSED),
        "has_contact": bool(
            concern.contact_name
            or concern.contact_phone
            or concern.contact_zalo_id
            or concern.submitted_by_id
        ),
    }


@dataclass(frozen=True)
class OwnConcern:
    """One of a logged-in person's own concerns, as their page lists it."""

    code: str
    created_at: datetime
    text: str
    status: str
    worker_status_label: str


def member_concerns(*, viewer: Viewer) -> list[OwnConcern]:
    """A logged-in person's own concerns, newest first."""
    if viewer is None or not viewer.is_authenticated:
        return []
    rows = (
        Concern.objects.filter(submitted_by_id=viewer.pk)
        .only("code", "created_at", "text", "status")
        .order_by("-created_at")[:200]
    )
    return [
        OwnConcern(
            code=c.code,
            created_at=c.created_at,
            text=c.text,
            status=c.status,
            worker_status_label=worker_status_label(c.status),
        )
        for c in rows
    ]


def member_union(viewer: Viewer) -> Unit | None:
    """The union of a member who is not an officer (their concerns go there by default)."""
    scope = scope_for(viewer)
    if scope.member_id is None or scope.is_officer:
        return None
    return Unit.objects.filter(members__pk=scope.member_id).first()


# -- unit picker (public) ------------------------------------------------------------------------


# (pk, code, name, employer name, the folded text a search looks in)
UnitRow = tuple[int, str, str, str, str]


def _public_unit_rows() -> list[UnitRow]:
    """Every active grassroots union as the concern form needs it, in Vietnamese order. Kept in
    the cache while the public data stays the same (core.page_cache: a unit's change starts a
    new version), so that the form neither loads the units nor folds their names each time."""
    seconds = int(settings.PUBLIC_PAGE_CACHE_SECONDS)
    key = f"feedback:public-units:{page_cache.version()}"
    rows: list[UnitRow] | None = cache.get(key) if seconds > 0 else None
    if rows is None:
        rows = [
            (pk, code, name, employer or "", fold(f"{name} {employer} {short} {code}"))
            for pk, code, name, employer, short in Unit.objects.filter(
                is_active=True, level__is_grassroots=True
            )
            .order_by("sort_key")
            .values_list("pk", "code", "name", "employer_name", "short_name")
        ]
        if seconds > 0:
            cache.set(key, rows, timeout=seconds)
    return rows


def unit_choices_public(*, query: str = "", limit: int = 30) -> list[Unit]:
    """Active grassroots unions matching a name, enterprise name or code, with or without diacritics."""
    rows = _public_unit_rows()
    words = fold(query or "").split()
    if words:
        rows = [row for row in rows if all(w in row[4] for w in words)]
    return [
        Unit(pk=pk, code=code, name=name, employer_name=employer)
        for pk, code, name, employer, _hay in rows[:limit]
    ]


def unit_options_public(*, chosen_code: str = "", limit: int = 300) -> tuple[str, bool]:
    """The `<option>`s of the form's union list (no search), the chosen one selected, and
    whether the chosen one is among them. The list is drawn once per version of the units
    (not one template loop per visit)."""
    seconds = int(settings.PUBLIC_PAGE_CACHE_SECONDS)
    key = f"feedback:public-unit-options:{limit}:{page_cache.version()}"
    drawn: str | None = cache.get(key) if seconds > 0 else None
    if drawn is None:
        drawn = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((r[1], r[2]) for r in _public_unit_rows()[:limit]),
        )
        if seconds > 0:
            cache.set(key, drawn, timeout=seconds)
    listed = f'<option value="{escape(chosen_code)}">'
    if chosen_code and listed in drawn:
        selected = f'<option value="{escape(chosen_code)}" selected>'
        return mark_safe(drawn.replace(listed, selected, 1)), True  # drawn escaped above
    return mark_safe(drawn), False  # format_html_join escaped every value
