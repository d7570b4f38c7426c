"""Writes to a unit's channels, their daily post counts and the unit's yearly budget."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.activities.models import (
    Budget,
    Channel,
    ChannelKind,
    PostSource,
    PresenceLog,
)
from congdoan.activities.services._common import (
    clean_amount,
    clean_count,
    clean_url,
    require_unit,
)
from congdoan.audit.services import audit_record
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer

#: The earliest year a budget may be recorded for (paper records before the platform).
FIRST_BUDGET_YEAR = 2000


@transaction.atomic
def channel_save(
    *, actor: Viewer, unit: Unit, values: dict[str, Any], channel: Channel | None = None
) -> Channel:
    """Register a channel of the unit, or change one (its kind, name, address, in use)."""
    require_unit(actor, unit)
    if channel is not None and channel.unit_id != unit.pk:
        raise ValidationError(_("Kênh không thuộc đơn vị này."))
    kind = values.get("kind")
    if kind not in ChannelKind.values:
        raise ValidationError(_("Loại kênh không hợp lệ."))
    fields = {
        "kind": kind,
        "name": " ".join(str(values.get("name") or "").split())[:200],
        "url": clean_url(values.get("url")),
        "started_on": values.get("started_on"),
        "is_active": bool(values.get("is_active", True)),
    }
    created = channel is None
    if channel is None:
        channel = Channel.objects.create(unit=unit, **fields)
    else:
        for key, value in fields.items():
            setattr(channel, key, value)
        channel.save()
    audit_record(
        actor=actor,
        action="activities.channel.create" if created else "activities.channel.update",
        target=channel,
        changes={"kind": kind, "url": fields["url"]},
    )
    return channel


@transaction.atomic
def log_presence_posts(
    *, unit: Unit, channel_kind: str, day: date, count: int, source: str, actor: Viewer = None
) -> PresenceLog:
    """How many posts the unit's channel of this kind carried on `day`, by one source (the
    Graph API's count, or the unit's own log). Called again for the same day and source, the
    count is replaced, not added: a sync that runs twice counts once."""
    if channel_kind not in ChannelKind.values:
        raise ValidationError(_("Loại kênh không hợp lệ."))
    if source not in PostSource.values:
        raise ValidationError(_("Nguồn số liệu không hợp lệ."))
    if day > timezone.localdate():
        raise ValidationError(_("Không ghi số bài cho một ngày chưa tới."))
    count = clean_count(count, _("Số bài đăng"))
    if source == PostSource.UNIT:
        require_unit(actor, unit)
    log, _created = PresenceLog.objects.update_or_create(
        unit=unit,
        channel_kind=channel_kind,
        day=day,
        source=source,
        defaults={"count": count, "updated_at": timezone.now()},
    )
    if actor is not None:
        audit_record(
            actor=actor,
            action="activities.presence.log",
            target=unit,
            changes={"kind": channel_kind, "day": day, "count": count},
        )
    return log


@transaction.atomic
def budget_save(
    *, actor: Viewer, unit: Unit, year: int, communication_vnd: Any, total_vnd: Any, notes: str = ""
) -> Budget:
    """The unit's spending in `year`: on communication, and on all its activities (VND)."""
    require_unit(actor, unit)
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_BUDGET_YEAR <= year <= this_year + 1:
        raise ValidationError(
            _("Năm phải từ %(a)d đến %(b)d.") % {"a": FIRST_BUDGET_YEAR, "b": this_year + 1}
        )
    comm = clean_amount(communication_vnd, _("Chi cho tuyên truyền"))
    total = clean_amount(total_vnd, _("Tổng chi hoạt động"))
    if comm > total:
        raise ValidationError(_("Chi cho tuyên truyền không thể lớn hơn tổng chi hoạt động."))
    budget, _created = Budget.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={
            "communication_vnd": comm,
            "total_vnd": total,
            "notes": notes.strip(),
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="activities.budget.save",
        target=budget,
        changes={"year": year, "communication_vnd": comm, "total_vnd": total},
    )
    return budget
