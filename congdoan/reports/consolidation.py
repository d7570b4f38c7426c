"""The consolidated report of a unit: its direct units' reports of the period, summed.

The district's consolidated report adds up the totals of its grassroots units' submitted (or
accepted) reports and lists the units that have not submitted; the city's adds up its
districts' reports the same way. "Its units" are the units that hung directly under it on the
period's last day (`UnitPeriod`), so a unit moved to another district later still counts in
the old district for that period, and a unit merged away before the period ended counts no
more (its earlier reports stay in their own periods' consolidations). Only frozen figures are
added (each report's frozen totals, kept beside its snapshot), so consolidating 30 districts
reads 30 small rows, never the members.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from congdoan.orgs.models import Unit, UnitPeriod
from congdoan.orgs.scoping import period_on_q
from congdoan.plan.periods import Period
from congdoan.reports.models import FROZEN_STATUSES, Report


@dataclass(frozen=True)
class ChildRow:
    unit: Unit
    report: Report | None

    @property
    def counted(self) -> bool:
        return self.report is not None and self.report.status in FROZEN_STATUSES


@dataclass
class Consolidated:
    unit: Unit
    period: Period
    children: list[ChildRow] = field(default_factory=list)
    totals: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def counted(self) -> list[ChildRow]:
        return [c for c in self.children if c.counted]

    @property
    def missing(self) -> list[ChildRow]:
        return [c for c in self.children if not c.counted]

    def rows(self) -> list[dict[str, Any]]:
        """The summed totals in order, each with its share of the total it is part of."""
        out = []
        for key, item in self.totals.items():
            share = None
            of = item.get("of")
            if of and of in self.totals:
                base = self.totals[of]["value"]
                share = round(100 * item["value"] / base, 1) if base else None
            out.append({"key": key, "label": item["label"], "value": item["value"], "share": share})
        return out


def children_at(unit: Unit, period: Period) -> list[Unit]:
    """The units directly under `unit` on the period's last day, in Vietnamese name order."""
    day = period.end
    ids = UnitPeriod.objects.filter(period_on_q(day), parent=unit).values_list("unit_id", flat=True)
    # The parent comes along: the list page asks each unit's parent who may review it.
    units = Unit.objects.filter(pk__in=list(ids)).select_related("parent")
    return list(units.order_by("sort_key", "pk"))


def consolidate(*, unit: Unit, period: Period) -> Consolidated:
    children = children_at(unit, period)
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(unit__in=children, period_code=period.code).defer(
            "snapshot", "results", "limitations", "next_tasks", "proposals"
        )
    }
    result = Consolidated(unit=unit, period=period)
    for child in children:
        result.children.append(ChildRow(unit=child, report=reports.get(child.pk)))
    for row in result.counted:
        assert row.report is not None
        for key, item in (row.report.totals or {}).items():
            value = item.get("value")
            target = result.totals.setdefault(
                key, {"label": item["label"], "value": 0, "of": item.get("of")}
            )
            if isinstance(value, int | float):
                target["value"] += value
    return result
