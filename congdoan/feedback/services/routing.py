"""Where a concern goes and by when it must be answered.

Used at intake (a concern is in the right inbox before it is triaged), by the triage (which
may learn that the concern is about the union itself), by a grassroots officer's "send to
the level above" and by the deadline sweep's escalation.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from congdoan.core import page_cache
from congdoan.feedback.models import Concern
from congdoan.orgs.models import Unit
from congdoan.orgs.site import home_unit

log = logging.getLogger("congdoan.feedback")


def upper_unit(unit: Unit | None) -> Unit | None:
    """The nearest unit above a grassroots union (the district), or the unit itself if it is not grassroots."""
    if unit is None:
        return fallback_unit()
    if not unit.level.is_grassroots:
        return unit
    return unit.parent or unit


def fallback_unit_shown() -> Unit | None:
    """`fallback_unit` as the concern form names it (code and name only), kept in the cache
    while the public data stays the same (core.page_cache: a change of a unit or of the site
    settings starts a new version), so that the form does not look it up on each visit."""
    seconds = int(settings.PUBLIC_PAGE_CACHE_SECONDS)
    if seconds <= 0:
        return fallback_unit()
    key = f"feedback:fallback-unit-shown:{page_cache.version()}"
    kept = cache.get(key)
    if kept is None:
        unit = fallback_unit()
        kept = (unit.pk, unit.code, unit.name) if unit is not None else ()
        cache.set(key, kept, timeout=seconds)
    return Unit(pk=kept[0], code=kept[1], name=kept[2]) if kept else None


def fallback_unit() -> Unit | None:
    """Where a concern with no known union goes: this deployment's home unit.

    The home unit (congdoan.orgs.site: the admin's "Cài đặt hệ thống", else
    CONGDOAN_HOME_UNIT; PX in the demo), whose Office sorts such concerns out. A deployment
    that names none gets the lowest unit above every active grassroots union, found from the
    distinct parents' materialised paths and cached for ten minutes (with a warning: in a
    tree with two districts that is the city federation, where no district officer looks);
    the root as a last resort.
    """
    unit = home_unit()
    if unit is not None:
        return unit
    cached = cache.get("feedback:fallback_unit")
    if cached is not None:
        unit = Unit.objects.filter(pk=cached).first()
        if unit is not None:
            return unit
    paths = list(
        Unit.objects.filter(level__is_grassroots=True, is_active=True, parent__isnull=False)
        .values_list("parent__path", flat=True)
        .distinct()[:5000]
    )
    if paths:
        parts = [p.strip("/").split("/") for p in paths]
        common: list[str] = []
        for column in zip(*parts, strict=False):
            if len(set(column)) != 1:
                break
            common.append(column[0])
        if common:
            unit = Unit.objects.filter(pk=int(common[-1])).first()
    unit = unit or Unit.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()
    if unit is not None:
        log.warning(
            "feedback: no home unit configured (CONGDOAN_HOME_UNIT or the admin's site settings);"
            " concerns without a union go to %s",
            unit.code,
        )
        cache.set("feedback:fallback_unit", unit.pk, timeout=600)
    return unit


def route(concern: Concern) -> tuple[Unit | None, bool]:
    """(unit that handles it, hidden from the grassroots union).

    To the worker's grassroots union; to the upper level (and hidden from the grassroots
    union) when the worker asked for it or the concern is about the union or its officers;
    to the fallback unit when the union is unknown.
    """
    if concern.unit is None:
        return fallback_unit(), False
    if concern.wants_upper_level or concern.about_union:
        return upper_unit(concern.unit), True
    return concern.unit, False


def deadline_for(urgency: str, start: datetime | None = None) -> datetime:
    """When a concern of this urgency, received (or reopened, or escalated) at `start`, is due."""
    hours = settings.FEEDBACK_DEADLINE_HOURS.get(
        urgency, settings.FEEDBACK_DEADLINE_HOURS["normal"]
    )
    return (start or timezone.now()) + timedelta(hours=hours)
