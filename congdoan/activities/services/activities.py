"""Writes to direct activities, their attendance and press coordination (audited)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceSource,
    PressItem,
    PressKind,
)
from congdoan.activities.services._common import (
    clean_amount,
    clean_count,
    clean_title,
    clean_url,
    require_unit,
    user_of,
)
from congdoan.audit.services import audit_record
from congdoan.core.vndate import vn_short_date
from congdoan.orgs.models import Member, Unit
from congdoan.orgs.scoping import Viewer

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "held_on",
    "place",
    "participants",
    "beneficiaries",
    "amount_vnd",
    "notes",
)


def _clean_activity(values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get("kind")
    if kind not in ActivityKind.values:
        raise ValidationError(_("Loại hoạt động không hợp lệ."))
    held_on = values.get("held_on")
    if not isinstance(held_on, date):
        raise ValidationError(_("Ngày tổ chức không hợp lệ."))
    return {
        "kind": kind,
        "title": clean_title(values.get("title", ""), _("tên hoạt động")),
        "held_on": held_on,
        "place": " ".join(str(values.get("place") or "").split())[:255],
        "participants": clean_count(values.get("participants") or 0, _("Số người tham dự")),
        "beneficiaries": clean_count(values.get("beneficiaries") or 0, _("Số người được hỗ trợ")),
        "amount_vnd": clean_amount(values.get("amount_vnd") or 0, _("Kinh phí")),
        "notes": str(values.get("notes") or "").strip(),
    }


@transaction.atomic
def activity_create(*, actor: Viewer, unit: Unit, values: dict[str, Any]) -> Activity:
    require_unit(actor, unit)
    clean = _clean_activity(values)
    activity = Activity.objects.create(unit=unit, created_by=user_of(actor), **clean)
    audit_record(
        actor=actor,
        action="activities.activity.create",
        target=activity,
        changes={"kind": clean["kind"], "held_on": clean["held_on"]},
    )
    return activity


def _save_changed(
    *, actor: Viewer, obj: Activity | PressItem, clean: dict[str, Any], action: str
) -> None:
    """Set and save only the fields of `clean` that differ, auditing their names under `action`
    (nothing is written or audited when none differ)."""
    changed = {k: v for k, v in clean.items() if getattr(obj, k) != v}
    for key, value in changed.items():
        setattr(obj, key, value)
    if changed:
        obj.save(update_fields=list(changed))
        audit_record(actor=actor, action=action, target=obj, changes={"fields": sorted(changed)})


@transaction.atomic
def activity_update(*, actor: Viewer, activity: Activity, values: dict[str, Any]) -> Activity:
    require_unit(actor, activity.unit)
    _save_changed(
        actor=actor,
        obj=activity,
        clean=_clean_activity(values),
        action="activities.activity.update",
    )
    return activity


@transaction.atomic
def activity_delete(*, actor: Viewer, activity: Activity) -> None:
    require_unit(actor, activity.unit)
    audit_record(
        actor=actor,
        action="activities.activity.delete",
        target=activity,
        changes={"title": activity.title, "attendances": activity.attendances.count()},
    )
    activity.delete()


def _members_of(activity: Activity, member_ids: Collection[int]) -> list[int]:
    """The ids among `member_ids` that belong to the activity's unit or a unit under it; an id
    from elsewhere is refused (a form can be forged)."""
    ids = set(member_ids)
    found = set(
        Member.objects.filter(pk__in=ids, unit__path__startswith=activity.unit.path).values_list(
            "pk", flat=True
        )
    )
    if ids - found:
        raise ValidationError(_("Có người không thuộc đơn vị tổ chức hoạt động."))
    return sorted(found)


@transaction.atomic
def attendance_add(
    *,
    actor: Viewer,
    activity: Activity,
    member_ids: Collection[int],
    source: str,
    audit: bool = True,
) -> int:
    """Mark these members as present (those already marked are left as they are); returns how
    many were added."""
    require_unit(actor, activity.unit)
    if source not in AttendanceSource.values:
        raise ValidationError(_("Nguồn điểm danh không hợp lệ."))
    if member_ids and activity.held_on > timezone.localdate():
        # Nobody has attended it yet; they would count as reached in advance.
        raise ValidationError(
            _("Hoạt động chưa diễn ra (ngày %(d)s): chưa điểm danh được.")
            % {"d": vn_short_date(activity.held_on)}
        )
    ids = _members_of(activity, member_ids)
    already = set(
        Attendance.objects.filter(activity=activity, member_id__in=ids).values_list(
            "member_id", flat=True
        )
    )
    user = user_of(actor)
    new = [
        Attendance(activity=activity, member_id=i, source=source, recorded_by=user)
        for i in ids
        if i not in already
    ]
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    if audit and new:
        audit_record(
            actor=actor,
            action="activities.attendance.add",
            target=activity,
            changes={"added": len(new), "source": source},
        )
    return len(new)


@transaction.atomic
def attendance_tick(
    *, actor: Viewer, activity: Activity, shown_ids: Collection[int], ticked_ids: Collection[int]
) -> tuple[int, int]:
    """The phone checklist: of the members shown on the page, the ticked ones are present and
    the others are not (members not shown are left alone). Returns (added, removed)."""
    require_unit(actor, activity.unit)
    shown = set(_members_of(activity, shown_ids))
    ticked = set(ticked_ids) & shown
    added = attendance_add(
        actor=actor,
        activity=activity,
        member_ids=ticked,
        source=AttendanceSource.PHONE,
        audit=False,
    )
    removed, _detail = Attendance.objects.filter(
        activity=activity, member_id__in=shown - ticked
    ).delete()
    if added or removed:
        audit_record(
            actor=actor,
            action="activities.attendance.tick",
            target=activity,
            changes={"added": added, "removed": removed},
        )
    return added, removed


PRESS_FIELDS = ("kind", "outlet", "title", "happened_on", "link", "notes")


def _clean_press(values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get("kind")
    if kind not in PressKind.values:
        raise ValidationError(_("Loại phối hợp báo chí không hợp lệ."))
    happened_on = values.get("happened_on")
    if not isinstance(happened_on, date):
        raise ValidationError(_("Ngày không hợp lệ."))
    return {
        "kind": kind,
        "outlet": clean_title(values.get("outlet", ""), _("cơ quan báo chí"))[:200],
        "title": clean_title(values.get("title", ""), _("nội dung")),
        "happened_on": happened_on,
        "link": clean_url(values.get("link")),
        "notes": str(values.get("notes") or "").strip(),
    }


@transaction.atomic
def press_create(*, actor: Viewer, unit: Unit, values: dict[str, Any]) -> PressItem:
    require_unit(actor, unit)
    item = PressItem.objects.create(unit=unit, **_clean_press(values))
    audit_record(
        actor=actor,
        action="activities.press.create",
        target=item,
        changes={"kind": item.kind, "outlet": item.outlet},
    )
    return item


@transaction.atomic
def press_update(*, actor: Viewer, item: PressItem, values: dict[str, Any]) -> PressItem:
    require_unit(actor, item.unit)
    _save_changed(
        actor=actor, obj=item, clean=_clean_press(values), action="activities.press.update"
    )
    return item


@transaction.atomic
def press_delete(*, actor: Viewer, item: PressItem) -> None:
    require_unit(actor, item.unit)
    audit_record(
        actor=actor, action="activities.press.delete", target=item, changes={"title": item.title}
    )
    item.delete()
