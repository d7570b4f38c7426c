"""The handling of a narrative: its status, assignee and deadline, notes and evidence.

Every write here is done on behalf of an officer who may handle the narrative
(`rules.can_handle`; anyone else gets `PermissionDenied`), is audited (`audit_record`) and
leaves a `NarrativeEvent` on the narrative's timeline. Bad input raises `ValidationError` with
a Vietnamese message and writes nothing.

The workflow (`TRANSITIONS`, from a status to the ones it may go to):

    detected ─┬─> verifying ─┬─> confirmed false ───┬─> response planned ──> responded ──> resolved
              │              ├─> confirmed hostile ─┘          └────────────────^
              ├─────────────>┴─> dismissed (with a reason)
              └─> confirmed false / hostile directly (the claim is already known)

- dismissing needs a reason; a planned response needs its kind (clarification, refutation,
  explainer, a report to the platform or to the authorities) and may link a content product;
- RESPONDED and DISMISSED set `handled_at` (the plan's "handled", counted once: the first time);
  RESOLVED sets `resolved_at`;
- a dismissed narrative can be reopened (→ verifying: it was not handled after all, so
  `handled_at` is cleared) and a resolved one too when the story comes back (`handled_at` kept).

Two officers clicking at once: a status change is one conditional UPDATE (`WHERE status =` the
status the officer acted on), so only one applies; the other finds the narrative already where
it wanted it (nothing is written twice) or is told that someone else moved it.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from congdoan.audit.services import audit_record
from congdoan.monitoring import rules
from congdoan.monitoring.alerts import narrative_link
from congdoan.monitoring.fetch import FetchError, safe_get
from congdoan.monitoring.messages import message, render
from congdoan.monitoring.models import (
    EventKind,
    Item,
    Narrative,
    NarrativeEvent,
    NarrativeStatus,
    ResponseKind,
    Snapshot,
)
from congdoan.orgs.scoping import Viewer, scope_for
from congdoan.outbox.services import email_enqueue

log = logging.getLogger("congdoan.monitoring")

S = NarrativeStatus

#: From a status to the statuses it may go to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DETECTED: (S.VERIFYING, S.CONFIRMED_FALSE, S.CONFIRMED_HOSTILE, S.DISMISSED),
    S.VERIFYING: (S.CONFIRMED_FALSE, S.CONFIRMED_HOSTILE, S.DISMISSED),
    S.CONFIRMED_FALSE: (S.CONFIRMED_HOSTILE, S.RESPONSE_PLANNED, S.RESPONDED),
    S.CONFIRMED_HOSTILE: (S.CONFIRMED_FALSE, S.RESPONSE_PLANNED, S.RESPONDED),
    S.RESPONSE_PLANNED: (S.RESPONDED,),
    S.RESPONDED: (S.RESOLVED,),
    S.DISMISSED: (S.VERIFYING,),
    S.RESOLVED: (S.VERIFYING,),
}

#: Statuses that need the response's kind (given now, or already on the narrative).
NEEDS_RESPONSE_KIND = frozenset({S.RESPONSE_PLANNED, S.RESPONDED})

MAX_NOTE = 5000
MAX_REASON = 2000

# Evidence: what a kept copy of a page may hold (no script, style, form, event handler or image).
SNAPSHOT_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "blockquote", "q", "cite",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "div",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "time",
    "article", "section", "header", "footer", "main",
}  # fmt: skip


def allowed_targets(status: str) -> tuple[str, ...]:
    """The statuses a narrative in `status` may move to (the form's choices)."""
    return TRANSITIONS.get(status, ())


def _check(user: Viewer, narrative: Narrative) -> None:
    if not rules.can_handle(user, narrative):
        raise PermissionDenied


def _event(
    narrative: Narrative,
    user: Viewer,
    kind: str,
    text: str = "",
    *,
    from_status: str = "",
    to_status: str = "",
    said: Any = None,
) -> NarrativeEvent:
    """A timeline event: `text` typed by the officer, or `said`, the code's message (stored to
    be shown in each reader's language: `congdoan.monitoring.messages`; `text` then holds it
    in the officer's language)."""
    author_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    return NarrativeEvent.objects.create(
        narrative=narrative,
        author_id=author_id,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        text=render(said) if said else text,
        message=said or {},
    )


def _check_product(user: Viewer, narrative: Narrative, product: Any) -> None:
    """A linked product is one of the viewer's units or of a level above the narrative's unit."""
    if product is None:
        return
    path = product.unit.path
    if not (scope_for(user).covers_path(path) or narrative.unit.path.startswith(path)):
        raise ValidationError(
            {"product": _("Sản phẩm truyền thông này không thuộc đơn vị bạn phụ trách.")}
        )


@transaction.atomic
def transition(
    user: Viewer,
    narrative: Narrative,
    to_status: str,
    *,
    reason: str = "",
    response_kind: str = "",
    product: Any = None,
    note: str = "",
) -> Narrative:
    """Move `narrative` to `to_status` (see `TRANSITIONS`) and return it, refreshed.

    `reason`: required to dismiss; `response_kind` (a `ResponseKind`): required for a planned
    response and for RESPONDED unless already set; `product`: the content product of the
    response (optional); `note`: a free comment kept on the event. Acting on the status the
    caller read: if the narrative is already in `to_status` nothing is written (a double
    click); if someone else moved it elsewhere meanwhile, `ValidationError`.
    """
    _check(user, narrative)
    from_status = narrative.status
    to_status = str(to_status)
    if to_status not in S.values:
        raise ValidationError({"to_status": _("Tình trạng không hợp lệ.")})
    if to_status == from_status:
        return narrative
    if to_status not in allowed_targets(from_status):
        raise ValidationError(
            {
                "to_status": _("Không chuyển được từ “%(old)s” sang “%(new)s”.")
                % {"old": S(from_status).label, "new": S(to_status).label}
            }
        )
    reason = (reason or "").strip()[:MAX_REASON]
    note = (note or "").strip()[:MAX_NOTE]
    response_kind = (response_kind or "").strip()
    if to_status == S.DISMISSED and not reason:
        raise ValidationError({"reason": _("Cho biết lý do bỏ qua.")})
    if response_kind and response_kind not in ResponseKind.values:
        raise ValidationError({"response_kind": _("Hình thức xử lý không hợp lệ.")})
    if to_status in NEEDS_RESPONSE_KIND and not (response_kind or narrative.response_kind):
        raise ValidationError({"response_kind": _("Chọn hình thức xử lý.")})
    _check_product(user, narrative, product)

    now = timezone.now()
    fields: dict[str, Any] = {"status": to_status}
    if to_status == S.DISMISSED:
        fields.update(dismiss_reason=reason, handled_at=Coalesce(F("handled_at"), now))
    elif to_status == S.RESPONDED:
        fields["handled_at"] = Coalesce(F("handled_at"), now)
    elif to_status == S.RESOLVED:
        fields["resolved_at"] = now
    elif to_status == S.VERIFYING and from_status == S.DISMISSED:
        fields.update(handled_at=None, dismiss_reason="")  # the dismissal was wrong
    elif to_status == S.VERIFYING and from_status == S.RESOLVED:
        fields["resolved_at"] = None
    if response_kind:
        fields["response_kind"] = response_kind
    if product is not None:
        fields["product"] = product
    moved = Narrative.objects.filter(pk=narrative.pk, status=from_status).update(**fields)
    narrative.refresh_from_db()
    if moved != 1:
        if narrative.status == to_status:
            return narrative  # the same change, made by the other click
        raise ValidationError(
            _("Luồng thông tin vừa được người khác chuyển sang “%(status)s”; xem lại rồi thử lại.")
            % {"status": S(narrative.status).label}
        )
    text = "\n".join(t for t in (reason, note) if t)
    _event(narrative, user, EventKind.STATUS, text, from_status=from_status, to_status=to_status)
    changes: dict[str, Any] = {"from": from_status, "to": to_status}
    if reason:
        changes["reason"] = reason[:500]
    if response_kind:
        changes["response_kind"] = response_kind
    if product is not None:
        changes["product"] = str(product)[:200]
    audit_record(
        actor=user, action="monitoring.narrative.transition", target=narrative, changes=changes
    )
    return narrative


@transaction.atomic
def assign(user: Viewer, narrative: Narrative, assignee: Any, deadline: date | None) -> Narrative:
    """Give the narrative to `assignee` (an officer who may handle it; None: nobody) with a
    `deadline` (a date, or None). Nothing changes: nothing written. The new assignee is told by
    e-mail (through the outbox)."""
    _check(user, narrative)
    if assignee is not None and not rules.can_be_assigned(assignee, narrative):
        raise ValidationError(
            {"assignee": _("Người này không phải cán bộ phụ trách đơn vị của luồng thông tin.")}
        )
    current = Narrative.objects.select_for_update().get(pk=narrative.pk)
    new_id = assignee.pk if assignee is not None else None
    if current.assignee_id == new_id and current.deadline == deadline:
        narrative.refresh_from_db()
        return narrative
    Narrative.objects.filter(pk=narrative.pk).update(assignee_id=new_id, deadline=deadline)
    narrative.refresh_from_db()
    said: list[dict[str, Any]] = []
    if assignee is None:
        said.append(message(gettext_noop("Bỏ phân công.")))
    else:
        name = assignee.get_full_name() or str(assignee)
        said.append(message(gettext_noop("Giao cho %(name)s"), name=name))
        if deadline is not None:
            date_shown = deadline.strftime("%d/%m/%Y")
            said.append(message(gettext_noop(", hạn %(date)s"), date=date_shown))
    event = _event(narrative, user, EventKind.ASSIGN, said=said)
    audit_record(
        actor=user,
        action="monitoring.narrative.assign",
        target=narrative,
        changes={
            "assignee": new_id,
            "previous": current.assignee_id,
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    if assignee is not None and assignee.pk != getattr(user, "pk", None):
        _tell_assignee(narrative, assignee, deadline, key=f"monitoring.assign:{event.pk}")
    return narrative


def _tell_assignee(narrative: Narrative, assignee: Any, deadline: date | None, *, key: str) -> None:
    email = getattr(assignee, "email", "") or ""
    if not email:
        return
    body = _(
        "Bạn được giao xử lý luồng thông tin “%(title)s” (%(unit)s).\n"
        "Hạn xử lý: %(deadline)s.\nXem và xử lý tại: %(link)s"
    ) % {
        "title": narrative.title,
        "unit": narrative.unit.name,
        "deadline": deadline.strftime("%d/%m/%Y") if deadline else _("chưa đặt"),
        "link": narrative_link(narrative),
    }
    email_enqueue(
        to=[email],
        subject=_("Được giao xử lý: %(title)s") % {"title": narrative.title[:120]},
        body=body,
        purpose="monitoring.assign",
        ref=f"monitoring.narrative:{narrative.pk}",
        key=key,
    )


@transaction.atomic
def add_note(user: Viewer, narrative: Narrative, text: str) -> NarrativeEvent:
    """A note on the narrative's timeline (what was checked, who was called…)."""
    _check(user, narrative)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Ghi chú đang trống.")})
    if len(text) > MAX_NOTE:
        raise ValidationError({"text": _("Ghi chú dài quá %(n)s ký tự.") % {"n": MAX_NOTE}})
    event = _event(narrative, user, EventKind.NOTE, text)
    audit_record(
        actor=user,
        action="monitoring.narrative.note",
        target=narrative,
        changes={"length": len(text)},
    )
    return event


def _extract_text(html: str) -> str:
    try:
        import trafilatura

        return trafilatura.extract(html) or ""
    except Exception:  # a page trafilatura cannot read: the sanitised HTML is kept all the same
        log.exception("monitoring: could not extract the text of a snapshot")
        return ""


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=SNAPSHOT_TAGS,
        attributes={"a": {"href", "title"}, "th": {"colspan"}, "td": {"colspan"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def snapshot_now(user: Viewer, item: Item) -> Snapshot | None:
    """Keep evidence of an item now: its address fetched safely (`fetch.safe_get`: public
    addresses only) and kept as a Snapshot (the text, and a sanitised HTML copy). An item
    without an address keeps a copy of its stored text. A fetch that fails or is refused keeps
    no snapshot; the failure is written on the narrative's timeline. Returns the snapshot, or
    None when the page could not be read."""
    narrative = item.narrative
    if narrative is None:
        if not scope_for(user).covers_path(item.source.unit.path):
            raise PermissionDenied
    else:
        _check(user, narrative)
    url = item.url or ""
    error = ""
    failure: FetchError | None = None
    snapshot: Snapshot | None = None
    if url:
        try:
            fetched = safe_get(url)
        except FetchError as exc:
            error, failure = str(exc)[:1000], exc
        else:
            kind = fetched.headers.get("content-type", "").lower()
            readable = not kind or kind.startswith("text/") or "html" in kind or "xml" in kind
            raw = fetched.text() if readable else ""
            is_html = readable and ("html" in kind or raw.lstrip()[:1] == "<")
            html = _sanitise(raw) if is_html else ""
            text = _extract_text(raw) if is_html else raw  # an image, a PDF: its hash only
            snapshot = Snapshot(
                item=item,
                url=fetched.url[:1000],
                status_code=fetched.status,
                text=text or item.text,
                html=html,
                sha256=hashlib.sha256(fetched.body).hexdigest(),
            )
    else:
        snapshot = Snapshot(
            item=item,
            text=item.text,
            sha256=hashlib.sha256(item.text.encode()).hexdigest(),
        )
    with transaction.atomic():
        if snapshot is not None:
            snapshot.save()
            what = url or message(gettext_noop("nội dung tin"))
            said = message(gettext_noop("Đã lưu bằng chứng: %(what)s"), what=what)
        else:
            said = message(
                gettext_noop("Không lưu được bằng chứng %(url)s: %(error)s"),
                url=url,
                error=failure.stored if failure is not None else error,
            )
        if narrative is not None:
            _event(narrative, user, EventKind.EVIDENCE, said=said)
        audit_record(
            actor=user,
            action="monitoring.item.snapshot",
            target=item,
            unit=item.source.unit,
            changes={"url": url, "kept": snapshot is not None, "error": error[:300]},
        )
    return snapshot
