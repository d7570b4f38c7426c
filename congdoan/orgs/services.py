"""Writes to the union tree and its people. Each function is atomic and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.core.page_cache import public_pages_changed
from congdoan.core.phones import normalize_phone
from congdoan.orgs.models import (
    Appointment,
    Level,
    Member,
    Membership,
    Position,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitPeriod,
)


def _child_path(parent: Unit | None, unit_id: int) -> str:
    return f"{parent.path if parent else '/'}{unit_id}/"


def _open_period(unit: Unit, on_date: date) -> None:
    UnitPeriod.objects.create(unit=unit, parent=unit.parent, name=unit.name, valid_from=on_date)


def _close_period(unit: Unit, on_date: date) -> None:
    UnitPeriod.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=on_date)


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    level: Level,
    parent: Unit | None,
    on_date: date | None = None,
    **fields: Any,
) -> Unit:
    on_date = on_date or timezone.localdate()
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã đơn vị %(code)s đã được dùng.") % {"code": code}})
    unit = Unit(
        code=code,
        name=name,
        level=level,
        parent=parent,
        founded_on=fields.pop("founded_on", None),
        **fields,
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = _child_path(parent, unit.pk)
    unit.depth = unit.path.count("/") - 2
    unit.save(update_fields=["path", "depth"])
    _open_period(unit, unit.founded_on or on_date)
    UnitEvent.objects.create(
        unit=unit, kind=UnitEventKind.CREATED, on_date=on_date, created_by=_user(actor)
    )
    audit_record(
        actor=actor, action="unit.create", target=unit, changes={"code": code, "name": name}
    )
    return unit


@transaction.atomic
def unit_rename(
    *, actor: Any, unit: Unit, name: str, short_name: str | None = None, on_date: date | None = None
) -> Unit:
    on_date = on_date or timezone.localdate()
    old = unit.name
    if not name.strip() or name == old:
        return unit
    unit.name = name.strip()
    if short_name is not None:
        unit.short_name = short_name
    unit.save(update_fields=["name", "short_name"])
    _close_period(unit, on_date)
    _open_period(unit, on_date)
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.RENAMED,
        on_date=on_date,
        details={"from": old, "to": unit.name},
        created_by=_user(actor),
    )
    audit_record(actor=actor, action="unit.rename", target=unit, changes={"name": [old, unit.name]})
    return unit


@transaction.atomic
def unit_move(*, actor: Any, unit: Unit, new_parent: Unit, on_date: date | None = None) -> Unit:
    """Hang `unit` (with its whole subtree) under `new_parent`.

    Steps: refuse cycles; close the unit's current period and open one under the new
    parent (its descendants keep their own periods: their parent did not change);
    rewrite the materialised path of the subtree in one UPDATE.
    """
    on_date = on_date or timezone.localdate()
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            _("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.")
        )
    if unit.parent_id == new_parent.pk:
        return unit
    old_parent_id = unit.parent_id
    old_path = unit.path
    new_path = _child_path(new_parent, unit.pk)
    depth_delta = (new_path.count("/") - 2) - unit.depth
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    public_pages_changed()  # UPDATEs send no post_save: the kept public pages go now
    unit.refresh_from_db()
    _close_period(unit, on_date)
    _open_period(unit, on_date)
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.MOVED,
        on_date=on_date,
        details={"from": old_parent_id, "to": new_parent.pk},
        created_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="unit.move",
        target=unit,
        changes={"parent": [old_parent_id, new_parent.pk]},
    )
    return unit


@transaction.atomic
def unit_merge(*, actor: Any, source: Unit, target: Unit, on_date: date | None = None) -> Unit:
    """Merge `source` into `target`: its child units and current members move to `target`;
    `source` stays in the database (inactive, `merged_into`), so everything it filed stays
    attributed to it and past periods still see it where it was."""
    on_date = on_date or timezone.localdate()
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError(
            _("Không thể sáp nhập một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.")
        )
    for child in list(source.children.filter(is_active=True)):
        unit_move(actor=actor, unit=child, new_parent=target, on_date=on_date)
    moved = _members_follow_merge(source=source, target=target, on_date=on_date)
    Appointment.objects.filter(unit=source, ended_on__isnull=True).update(ended_on=on_date)
    source.is_active = False
    source.dissolved_on = on_date
    source.merged_into = target
    source.save(update_fields=["is_active", "dissolved_on", "merged_into"])
    _close_period(source, on_date)
    UnitEvent.objects.create(
        unit=source,
        kind=UnitEventKind.MERGED,
        on_date=on_date,
        details={"into": target.pk, "members_moved": moved},
        created_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="unit.merge",
        target=source,
        changes={"into": target.code, "members_moved": moved},
    )
    return target


def _members_follow_merge(*, source: Unit, target: Unit, on_date: date) -> int:
    """Move the current members of `source` to `target`, in bulk, keeping their history: the
    period at `source` ends on `on_date` (one is written for members stored before periods
    were), a period at `target` starts that day."""
    movers = list(
        Member.objects.filter(unit=source, left_on__isnull=True).values_list("pk", "joined_on")
    )
    ids = [pk for pk, _joined in movers]
    reason = ""  # the merger is told at display, in the reader's language (end_reason_display)
    with_period = set(
        Membership.objects.filter(member_id__in=ids).values_list("member_id", flat=True)
    )
    Membership.objects.filter(member_id__in=ids, unit=source, left_on__isnull=True).update(
        left_on=on_date, end_reason=reason
    )
    Membership.objects.bulk_create(
        [
            Membership(
                member_id=pk, unit=source, joined_on=joined, left_on=on_date, end_reason=reason
            )
            for pk, joined in movers
            if pk not in with_period
        ]
        + [Membership(member_id=pk, unit=target, joined_on=on_date) for pk in ids],
        batch_size=1000,
    )
    return Member.objects.filter(pk__in=ids).update(unit=target)


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _clean_member_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if cleaned.get("phone"):
        phone = normalize_phone(str(cleaned["phone"]))
        if phone is None:
            raise ValidationError({"phone": _("Số điện thoại không hợp lệ.")})
        cleaned["phone"] = phone
    if cleaned.get("card_number") == "":
        cleaned["card_number"] = None
    return cleaned


@transaction.atomic
def member_create(
    *, actor: Any, unit: Unit, full_name: str, audit: bool = True, **fields: Any
) -> Member:
    member = Member(unit=unit, full_name=full_name.strip(), **_clean_member_fields(fields))
    member.full_clean()
    member.save()
    Membership.objects.create(
        member=member, unit=unit, joined_on=member.joined_on, left_on=member.left_on
    )
    if audit:
        audit_record(
            actor=actor,
            action="member.create",
            target=member,
            unit=unit,
            changes={"full_name": member.full_name, "unit": unit.code},
        )
    return member


def _open_membership(member: Member) -> Membership:
    """The member's current period; made from the record for members stored before periods were."""
    current = member.memberships.filter(left_on__isnull=True).order_by("-id").first()
    if current is None:
        current = Membership.objects.create(
            member=member, unit=member.unit, joined_on=member.joined_on
        )
    return current


@transaction.atomic
def member_end(
    *, actor: Any, member: Member, on_date: date | None = None, reason: str = ""
) -> Member:
    """End the member's current membership (thôi sinh hoạt); the period stays in the history.

    A conditional UPDATE on `left_on`, so two officers ending it at once record one end.
    """
    on_date = on_date or timezone.localdate()
    if member.joined_on and on_date < member.joined_on:
        raise ValidationError({"on_date": _("Ngày kết thúc không thể trước ngày vào công đoàn.")})
    period = _open_membership(member)
    if Member.objects.filter(pk=member.pk, left_on__isnull=True).update(left_on=on_date) != 1:
        raise ValidationError(_("Đoàn viên này đã thôi sinh hoạt."))
    Membership.objects.filter(pk=period.pk).update(left_on=on_date, end_reason=reason.strip()[:255])
    member.left_on = on_date
    audit_record(
        actor=actor,
        action="member.end",
        target=member,
        unit=member.unit,
        changes={"left_on": [None, on_date.isoformat()], "reason": reason.strip()},
    )
    return member


@transaction.atomic
def member_rejoin(*, actor: Any, member: Member, unit: Unit, on_date: date | None = None) -> Member:
    """Start a new membership for someone who left (in the same unit or another); the past one is kept."""
    on_date = on_date or timezone.localdate()
    if (
        Member.objects.filter(pk=member.pk, left_on__isnull=False).update(
            left_on=None, unit=unit, joined_on=on_date
        )
        != 1
    ):
        raise ValidationError(_("Đoàn viên này đang sinh hoạt."))
    Membership.objects.create(member=member, unit=unit, joined_on=on_date)
    old_unit = member.unit
    member.refresh_from_db()
    audit_record(
        actor=actor,
        action="member.rejoin",
        target=member,
        unit=unit,
        changes={"unit": [old_unit.code, unit.code], "joined_on": on_date.isoformat()},
    )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, **fields: Any) -> Member:
    changes: dict[str, Any] = {}
    for name, value in _clean_member_fields(fields).items():
        old = getattr(member, name)
        if old != value:
            changes[name] = [old, value]
            setattr(member, name, value)
    if changes:
        member.full_clean()
        member.save()
        if "joined_on" in changes and member.left_on is None:
            Membership.objects.filter(pk=_open_membership(member).pk).update(
                joined_on=member.joined_on
            )
        audit_record(actor=actor, action="member.update", target=member, changes=changes)
    return member


@transaction.atomic
def appointment_create(
    *,
    actor: Any,
    unit: Unit,
    position: Position,
    full_name: str,
    user: Any = None,
    member: Member | None = None,
    manages: bool = True,
    is_office: bool = False,
    started_on: date | None = None,
) -> Appointment:
    appt = Appointment.objects.create(
        unit=unit,
        position=position,
        full_name=full_name,
        user=user,
        member=member,
        manages=manages,
        is_office=is_office,
        started_on=started_on or timezone.localdate(),
    )
    audit_record(actor=actor, action="appointment.create", target=appt, unit=unit)
    return appt
