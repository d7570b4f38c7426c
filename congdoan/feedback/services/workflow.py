"""The officers' work on a concern: correct the triage, give it to someone, send it up,
start, note, close. Answers have their own module (`answers.py`).

Each function is atomic, changes the status by a conditional UPDATE (`history.transition`:
of two officers acting at once only one wins), writes an event on the concern's history and
an entry in the audit log.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.feedback.models import OPEN_STATUSES, Concern, ConcernEvent, Status, Topic, Urgency
from congdoan.feedback.services.history import audit_change, signed_in, transition
from congdoan.feedback.services.routing import deadline_for, upper_unit
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer


def handler_fields(officer: User | None, concern: Concern) -> dict[str, Any]:
    """The officer who starts or answers a concern nobody was given becomes its handler."""
    if concern.assignee_id is None and officer is not None:
        return {"assignee": officer}
    return {}


@transaction.atomic
def concern_correct(*, actor: Viewer, concern: Concern, topic: str, urgency: str) -> Concern:
    """An officer corrects topic and/or urgency; corrections become training data for `retrain`."""
    officer = signed_in(actor)
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Chủ đề không hợp lệ.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Mức độ không hợp lệ.")})
    # Saving the form is an officer's label even when it confirms the classifier's guess:
    # confirmed labels are training data for `retrain` too.
    changes: dict[str, Any] = {}
    fields: dict[str, Any] = {
        "topic": topic,
        "topic_corrected": True,
        "urgency": urgency,
        "urgency_corrected": True,
    }
    if topic != concern.topic:
        changes["topic"] = [concern.topic, topic]
    if urgency != concern.urgency:
        changes["urgency"] = [concern.urgency, urgency]
        if concern.is_open:
            fields["due_at"] = deadline_for(urgency, concern.created_at)
    Concern.objects.filter(pk=concern.pk).update(**fields)
    concern.refresh_from_db()
    # Codes, not labels: the history shows them in the viewer's language (note_display).
    ConcernEvent.objects.create(
        concern=concern, kind="correct", actor=officer, note=json.dumps(changes)
    )
    audit_change(officer, "feedback.correct", concern, changes)
    return concern


@transaction.atomic
def concern_assign(
    *, actor: Viewer, concern: Concern, assignee: User | None = None, unit: Unit | None = None
) -> Concern:
    """Give the concern to an officer (and/or another unit the viewer manages)."""
    officer = signed_in(actor)
    extra: dict[str, Any] = {"assignee": assignee}
    if unit is not None:
        extra["assigned_unit"] = unit
    allowed = (
        Status.RECEIVED,
        Status.TRIAGED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.REOPENED,
    )
    concern = transition(
        concern,
        to=Status.ASSIGNED,
        allowed_from=allowed,
        actor=officer,
        kind="assign",
        note=str(assignee or unit or ""),
        **extra,
    )
    audit_change(
        officer,
        "feedback.assign",
        concern,
        {"assignee": getattr(assignee, "pk", None), "unit": getattr(unit, "code", None)},
    )
    return concern


@transaction.atomic
def concern_forward_up(*, actor: Viewer, concern: Concern, note: str = "") -> Concern:
    """A grassroots officer hands the concern to the level above (the district)."""
    officer = signed_in(actor)
    target = concern.assigned_unit
    if target is None or not target.level.is_grassroots:
        raise ValidationError(_("Ý kiến đã ở cấp trên."))
    upper = upper_unit(target)
    concern = transition(
        concern,
        to=Status.ASSIGNED,
        allowed_from=OPEN_STATUSES,
        actor=officer,
        kind="forward",
        note=(note or "").strip()[:2000],
        assigned_unit=upper,
        assignee=None,
    )
    audit_change(officer, "feedback.forward", concern, {"to": getattr(upper, "code", None)})
    return concern


@transaction.atomic
def concern_start(*, actor: Viewer, concern: Concern) -> Concern:
    """An officer starts working on it (and becomes its handler if nobody was given it)."""
    officer = signed_in(actor)
    allowed = (Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.REOPENED)
    concern = transition(
        concern,
        to=Status.IN_PROGRESS,
        allowed_from=allowed,
        actor=officer,
        kind="start",
        **handler_fields(officer, concern),
    )
    audit_change(officer, "feedback.start", concern, {})
    return concern


@transaction.atomic
def concern_close(*, actor: Viewer, concern: Concern, note: str = "") -> Concern:
    """Close the concern, answered or still open."""
    officer = signed_in(actor)
    allowed = (*OPEN_STATUSES, Status.ANSWERED)
    concern = transition(
        concern,
        to=Status.CLOSED,
        allowed_from=allowed,
        actor=officer,
        kind="close",
        note=note,
        closed_at=timezone.now(),
    )
    audit_change(officer, "feedback.close", concern, {"note": note})
    return concern


@transaction.atomic
def concern_add_note(*, actor: Viewer, concern: Concern, note: str) -> Concern:
    """A note on the concern's history, for the officers who handle it."""
    officer = signed_in(actor)
    note = (note or "").strip()[:2000]
    if not note:
        raise ValidationError({"note": _("Xin viết ghi chú.")})
    ConcernEvent.objects.create(concern=concern, kind="note", actor=officer, note=note)
    audit_change(officer, "feedback.note", concern, {})
    return concern
