"""The union tree as it was on a day, loaded once per day for a page that needs it several
times (the figures, the units under it, the years of the history).

Same reading as `orgs.selectors.subtree_ids_at`: the unit periods valid on that day, parent →
children, walked down from the unit; a unit not in the tree that day has an empty subtree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

from congdoan.orgs.models import UnitPeriod


class Trees:
    def __init__(self) -> None:
        self._maps: dict[date, tuple[dict[int | None, list[int]], set[int]]] = {}

    def _load(self, day: date) -> tuple[dict[int | None, list[int]], set[int]]:
        if day not in self._maps:
            children: dict[int | None, list[int]] = defaultdict(list)
            present: set[int] = set()
            rows = (
                UnitPeriod.objects.filter(valid_from__lte=day)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
                .values_list("unit_id", "parent_id")
            )
            for unit_id, parent_id in rows:
                children[parent_id].append(unit_id)
                present.add(unit_id)
            self._maps[day] = (children, present)
        return self._maps[day]

    def _walk(self, children: dict[int | None, list[int]], root: int) -> set[int]:
        found = {root}
        stack = [root]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def subtree(self, unit_id: int, day: date) -> set[int]:
        children, present = self._load(day)
        return self._walk(children, unit_id) if unit_id in present else set()

    def child_groups(self, unit_id: int, day: date) -> dict[int, set[int]]:
        """Each unit directly under `unit_id` that day → its subtree then."""
        children, present = self._load(day)
        if unit_id not in present:
            return {}
        return {child: self._walk(children, child) for child in children.get(unit_id, [])}
