"""What a report is pre-filled with: each module here reads one app's figures of the period
through that app's selectors and returns sections (tables to show) and totals (numbers that add
up the tree). `figures.build_snapshot` calls them in order; see docs/plan.md "Reports".

A source that finds no data returns an empty table with "chưa có số liệu", never a 0 %.
"""

from __future__ import annotations

from collections.abc import Callable

from congdoan.reports.sources import activities, content, feedback, library, plan
from congdoan.reports.sources.base import Context, Contribution

#: In the order the report shows them.
SOURCES: list[Callable[[Context], Contribution]] = [
    plan.collect,
    activities.collect,
    feedback.collect,
    library.collect,
    content.collect,
]

__all__ = ["SOURCES", "Context", "Contribution"]
