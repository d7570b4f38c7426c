"""What the worker does with the tracking code: rate the answer, reopen the concern when not
satisfied, have their contact details forgotten (an officer of the Office may do that too).

No one is signed in here: the code is the worker's only key, so these writes name no one on
the history, except an officer who erases a contact (which is also audited).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.feedback.models import Concern, ConcernEvent, Status
from congdoan.feedback.services.history import audit_change, signed_in, transition
from congdoan.feedback.services.routing import deadline_for
from congdoan.orgs.scoping import Viewer

# After this many reopenings the worker is asked to send a new concern instead.
MAX_REOPENS = 3


def erased_contact(now: datetime) -> dict[str, Any]:
    """The fields that forget who sent a concern: on the worker's request (or an officer's),
    and by the deadline sweep once FEEDBACK_RETENTION_DAYS have passed since it was closed."""
    return {
        "contact_name": "",
        "contact_phone": "",
        "contact_zalo_id": "",
        "ip_hash": "",
        "submitted_by": None,
        "contact_erased_at": now,
    }


@transaction.atomic
def concern_rate(*, concern: Concern, rating: int, comment: str = "") -> Concern:
    """How satisfied the worker is with the answer, 1 to 5, with an optional comment."""
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"rating": _("Xin chọn mức hài lòng từ 1 đến 5.")})
    updated = Concern.objects.filter(
        pk=concern.pk, status__in=(Status.ANSWERED, Status.CLOSED)
    ).update(rating=value, rating_comment=(comment or "").strip()[:500])
    if updated != 1:
        raise ValidationError(_("Chỉ đánh giá được khi ý kiến đã có trả lời."))
    concern.refresh_from_db()
    ConcernEvent.objects.create(concern=concern, kind="rate", note=str(value))
    return concern


@transaction.atomic
def concern_reopen(*, concern: Concern, reason: str) -> Concern:
    """The worker is not satisfied: back to the same unit, with a fresh deadline."""
    reason = (reason or "").strip()[:2000]
    if not reason:
        raise ValidationError({"reason": _("Xin cho biết vì sao bạn chưa hài lòng với trả lời.")})
    if concern.reopen_count >= MAX_REOPENS:
        raise ValidationError(
            _("Ý kiến đã được mở lại %(n)s lần; xin gửi một ý kiến mới.") % {"n": MAX_REOPENS}
        )
    return transition(
        concern,
        to=Status.REOPENED,
        allowed_from=(Status.ANSWERED, Status.CLOSED),
        actor=None,
        kind="reopen",
        note=reason,
        reopen_count=F("reopen_count") + 1,
        due_at=deadline_for(concern.urgency),
        reminded_at=None,
        escalated_at=None,
        closed_at=None,
    )


@transaction.atomic
def concern_erase_contact(*, concern: Concern, actor: Viewer = None) -> Concern:
    """Forget who sent it (the worker asked, with the code, or an officer of the Office did)."""
    Concern.objects.filter(pk=concern.pk).update(**erased_contact(timezone.now()))
    concern.refresh_from_db()
    officer = signed_in(actor)
    ConcernEvent.objects.create(concern=concern, kind="erase_contact", actor=officer)
    if officer is not None:
        audit_change(officer, "feedback.erase_contact", concern, {})
    return concern
