"""A report's figures: built live from the platform for a draft, frozen into the report's
snapshot when it is submitted.

Steps of `build_snapshot`:
1. the unit's subtree as it was on the period's last day (`orgs.selectors.subtree_ids_at`), so
   a unit moved or merged later still counts where it belonged then;
2. each source of `reports.sources.SOURCES` in turn (the plan's indicators, activities,
   concerns, library, content): its sections (tables) and its totals (numbers that add up);
3. one JSON-ready dict, stamped with the unit, the period and the time it was built.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from congdoan.orgs.models import Unit
from congdoan.orgs.selectors import subtree_ids_at
from congdoan.plan.periods import Period
from congdoan.reports.sources import SOURCES, Context

SNAPSHOT_VERSION = 1


@translation.override(settings.LANGUAGE_CODE)  # a report is a Vietnamese document, frozen as such
def build_snapshot(*, unit: Unit, period: Period) -> dict[str, Any]:
    ids = subtree_ids_at(unit=unit, on_date=period.end) or {unit.pk}
    ctx = Context(unit=unit, period=period, unit_ids=frozenset(ids))
    sections: list[dict[str, Any]] = []
    totals: dict[str, dict[str, Any]] = {}
    for source in SOURCES:
        contribution = source(ctx)
        sections.extend(contribution.sections)
        totals.update(contribution.totals)
    return {
        "version": SNAPSHOT_VERSION,
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name},
        "period": period.code,
        "built_at": timezone.now().isoformat(),
        "units_counted": len(ids),
        "sections": sections,
        "totals": totals,
    }
