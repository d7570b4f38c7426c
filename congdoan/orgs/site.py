"""This deployment: the federation that runs it (its home unit) and its public hotline.

A deployment is run by one federation (LĐLĐ huyện Phú Xuyên in the demo). Concerns whose
union is not known go to that federation, whose Office sorts them out. It is set in three
places, the first that names a unit wins:
1. the admin (`SiteSettings`, one row, "Cài đặt hệ thống");
2. the setting `CONGDOAN_HOME_UNIT` (a unit code, from the environment);
3. nothing: `home_unit()` returns None and the caller decides (feedback falls back to the
   lowest unit above every grassroots union, and logs that no home unit is configured).
`congdoan seed-demo` sets it to PX.
"""

from __future__ import annotations

from django.conf import settings

from congdoan.orgs.models import SiteSettings, Unit

MAX_MERGE_HOPS = 20


def successor_of(unit: Unit | None) -> Unit | None:
    """The unit that carries on `unit`'s work: itself, or the end of its `merged_into` chain."""
    seen = 0
    while unit is not None and not unit.is_active and unit.merged_into_id and seen < MAX_MERGE_HOPS:
        unit = (
            Unit.objects.select_related("level", "merged_into")
            .filter(pk=unit.merged_into_id)
            .first()
        )
        seen += 1
    return unit


def home_unit() -> Unit | None:
    """The federation that runs this deployment (its successor if it was merged), or None."""
    row = SiteSettings.objects.select_related("home_unit", "home_unit__level").filter(pk=1).first()
    unit = row.home_unit if row is not None else None
    if unit is None and settings.CONGDOAN_HOME_UNIT:
        unit = Unit.objects.select_related("level").filter(code=settings.CONGDOAN_HOME_UNIT).first()
    unit = successor_of(unit)
    return unit if unit is not None and unit.is_active else None


def hotline() -> str:
    row = SiteSettings.objects.filter(pk=1).only("hotline").first()
    return (row.hotline if row is not None else "") or settings.CONGDOAN_HOTLINE


def set_home_unit(unit: Unit, *, hotline_number: str | None = None) -> SiteSettings:
    """Used by `seed-demo` and tests; people use the admin."""
    row = SiteSettings.load()
    row.home_unit = unit
    if hotline_number is not None:
        row.hotline = hotline_number
    row.save()
    return row
