"""The union tree as it was on a day, loaded once per day for a page that needs it several
times (the figures, the units under it, the years of the history).

The reading is `orgs.selectors.tree_on` and `walk_down` (what `subtree_ids_at` uses), kept per
day here; a unit not in the tree that day has an empty subtree.
"""

from __future__ import annotations

from datetime import date

from congdoan.orgs.selectors import tree_on, walk_down


class Trees:
    def __init__(self) -> None:
        self._maps: dict[date, tuple[dict[int | None, list[int]], set[int]]] = {}

    def _load(self, day: date) -> tuple[dict[int | None, list[int]], set[int]]:
        if day not in self._maps:
            self._maps[day] = tree_on(day)
        return self._maps[day]

    def subtree(self, unit_id: int, day: date) -> set[int]:
        children, present = self._load(day)
        return walk_down(children, unit_id) if unit_id in present else set()

    def child_groups(self, unit_id: int, day: date) -> dict[int, set[int]]:
        """Each unit directly under `unit_id` that day → its subtree then."""
        children, present = self._load(day)
        if unit_id not in present:
            return {}
        return {child: walk_down(children, child) for child in children.get(unit_id, [])}
