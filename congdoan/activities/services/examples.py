"""Good examples and typical models: submitted by a unit, forwarded up the tree one level at a
time, recognised or returned by the unit that holds them. Every status change is a conditional
UPDATE on the status and the holder read, with a step saying who acted."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.activities import rules
from congdoan.activities.models import ExampleKind, ExampleStatus, GoodExample, GoodExampleStep
from congdoan.activities.services._common import clean_title, require_unit, user_of
from congdoan.audit.services import audit_record
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer


@transaction.atomic
def example_submit(
    *, actor: Viewer, unit: Unit, kind: str, title: str, summary: str, submitted_on: date
) -> GoodExample:
    """The unit sends its example to the level directly above it."""
    require_unit(actor, unit)
    if kind not in ExampleKind.values:
        raise ValidationError(_("Loại không hợp lệ."))
    if unit.parent_id is None:
        raise ValidationError(_("Đơn vị này không có cấp trên để gửi."))
    example = GoodExample.objects.create(
        unit=unit,
        kind=kind,
        title=clean_title(title, _("tên gương, mô hình")),
        summary=summary.strip(),
        submitted_on=submitted_on,
        status=ExampleStatus.SUBMITTED,
        holder_id=unit.parent_id,
    )
    GoodExampleStep.objects.create(
        example=example,
        status=ExampleStatus.SUBMITTED,
        by_unit=unit,
        to_unit_id=unit.parent_id,
        actor=user_of(actor),
    )
    audit_record(
        actor=actor, action="activities.example.submit", target=example, changes={"kind": kind}
    )
    return example


def _move(
    *,
    actor: Viewer,
    example: GoodExample,
    status: str,
    to_unit: Unit | None,
    note: str,
    action: str,
) -> GoodExample:
    holder = example.holder
    assert holder is not None
    moved = GoodExample.objects.filter(
        pk=example.pk,
        status=example.status,
        holder_id=holder.pk,
    ).update(status=status, holder=to_unit if to_unit is not None else holder)
    if moved != 1:
        raise ValidationError(_("Gương, mô hình này vừa được người khác xử lý; hãy tải lại trang."))
    GoodExampleStep.objects.create(
        example=example,
        status=status,
        by_unit=holder,
        to_unit=to_unit,
        actor=user_of(actor),
        note=note.strip(),
    )
    example.refresh_from_db()
    audit_record(
        actor=actor,
        action=action,
        target=example,
        unit=holder,
        changes={"to": to_unit.name if to_unit else "", "note": note.strip()},
    )
    return example


@transaction.atomic
def example_forward(*, actor: Viewer, example: GoodExample, note: str = "") -> GoodExample:
    """The holder sends it on to the level above (up to the city or provincial federation)."""
    if actor is not None and not rules.can_forward_example(actor, example):
        raise PermissionDenied
    holder = example.holder
    if holder is None or holder.parent is None:
        raise ValidationError(_("Không còn cấp trên để chuyển."))
    return _move(
        actor=actor,
        example=example,
        status=ExampleStatus.FORWARDED,
        to_unit=holder.parent,
        note=note,
        action="activities.example.forward",
    )


@transaction.atomic
def example_recognise(*, actor: Viewer, example: GoodExample, note: str = "") -> GoodExample:
    if actor is not None and not rules.can_act_on_example(actor, example):
        raise PermissionDenied
    return _move(
        actor=actor,
        example=example,
        status=ExampleStatus.RECOGNISED,
        to_unit=None,
        note=note,
        action="activities.example.recognise",
    )


@transaction.atomic
def example_return(*, actor: Viewer, example: GoodExample, note: str) -> GoodExample:
    """Sent back to the unit that submitted it, with the reason."""
    if actor is not None and not rules.can_act_on_example(actor, example):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại."))
    return _move(
        actor=actor,
        example=example,
        status=ExampleStatus.RETURNED,
        to_unit=None,
        note=note,
        action="activities.example.return",
    )


@transaction.atomic
def example_resubmit(
    *, actor: Viewer, example: GoodExample, title: str, summary: str
) -> GoodExample:
    """After a return, the unit that submitted it corrects it and sends it again to the level
    directly above."""
    if actor is not None and not rules.can_resubmit_example(actor, example):
        raise PermissionDenied
    unit = example.unit
    moved = GoodExample.objects.filter(pk=example.pk, status=ExampleStatus.RETURNED).update(
        status=ExampleStatus.SUBMITTED,
        holder_id=unit.parent_id,
        title=clean_title(title, _("tên gương, mô hình")),
        summary=summary.strip(),
    )
    if moved != 1:
        raise ValidationError(_("Gương, mô hình này vừa được người khác xử lý; hãy tải lại trang."))
    GoodExampleStep.objects.create(
        example=example,
        status=ExampleStatus.SUBMITTED,
        by_unit=unit,
        to_unit_id=unit.parent_id,
        actor=user_of(actor),
        note=_("Gửi lại sau khi bổ sung"),
    )
    example.refresh_from_db()
    audit_record(actor=actor, action="activities.example.resubmit", target=example)
    return example
