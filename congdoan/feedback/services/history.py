"""The concern's history and the audit log: what every write to a concern leaves behind.

- `transition`: the one way a concern's status changes, a conditional UPDATE (of two people
  acting at once only one wins) followed by an event on the concern's history;
- `audit_change`: the audit entry of an officer's write, filed under the concern's unit;
- `signed_in`: the person to name in the history, or None for an anonymous sender.

Services take the actor as views have it, `request.user` (a `Viewer`: `officer_required`
lets only officers in, but the type does not say so); `signed_in` narrows it to the `User`
that the history and the audit log name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.audit.services import audit_record
from congdoan.feedback.models import Concern, ConcernEvent
from congdoan.orgs.scoping import Viewer


def signed_in(actor: Viewer) -> User | None:
    """The actor when a person is signed in, else None (an anonymous visitor, a webhook)."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def transition(
    concern: Concern,
    *,
    to: str,
    allowed_from: tuple[str, ...],
    actor: User | None,
    kind: str,
    note: str = "",
    **extra: Any,
) -> Concern:
    """Conditional UPDATE on the status: of two people acting at once, only one wins."""
    old = concern.status
    updated = Concern.objects.filter(pk=concern.pk, status__in=allowed_from).update(
        status=to, **extra
    )
    if updated != 1:
        raise ValidationError(
            _("Ý kiến này vừa được cập nhật hoặc không ở trạng thái phù hợp; xin tải lại trang.")
        )
    concern.refresh_from_db()
    ConcernEvent.objects.create(
        concern=concern, kind=kind, from_status=old, to_status=to, actor=actor, note=note
    )
    return concern


def audit_change(
    actor: User | None, action: str, concern: Concern, changes: dict[str, Any]
) -> None:
    """An officer's write in the audit log, under the unit that handles the concern."""
    audit_record(
        actor=actor,
        action=action,
        target=concern,
        unit=concern.assigned_unit or concern.unit,
        changes=changes,
    )
