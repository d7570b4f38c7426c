"""The shapes a source returns: plain JSON-ready dicts, since they are frozen into
`Report.snapshot` as they are.

- a section: {"key", "title", "note", "tables": [{"caption", "columns", "rows"}]}; a cell is a
  string, a number or None ("chưa có số liệu");
- totals: {key: {"label", "value", "of"}}: counts that add up over units; "of" names the total
  this one is a share of (the consolidated report shows the percentage of the sums).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model

from congdoan.orgs.models import Unit
from congdoan.plan.periods import Period

Cell = str | int | float | None
Section = dict[str, Any]
Totals = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Context:
    unit: Unit
    period: Period
    unit_ids: frozenset[int]  # the unit's subtree as it was on the period's last day


@dataclass
class Contribution:
    sections: list[Section] = field(default_factory=list)
    totals: Totals = field(default_factory=dict)

    def total(self, key: str, label: str, value: int | float | None, of: str = "") -> None:
        self.totals[key] = {"label": label, "value": value, "of": of or None}


def table(caption: str, columns: list[str], rows: list[list[Cell]]) -> dict[str, Any]:
    return {"caption": caption, "columns": columns, "rows": rows}


def section(key: str, title: str, tables: list[dict[str, Any]], note: str = "") -> Section:
    return {"key": key, "title": title, "note": note, "tables": tables}


@cache
def system_viewer() -> Any:
    """The viewer the other apps' scoped selectors are asked as: the whole tree.

    A report holds its unit's figures whoever builds it (an officer on the page, the operator
    from the shell, the benchmark); who may see or build which report is decided before, by
    `reports.rules`. An unsaved administrator with an id no row has reads everything and
    writes nothing."""
    return get_user_model()(pk=-1, is_superuser=True, is_active=True)
