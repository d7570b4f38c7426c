"""Reads of the activities app.

- `figures`: what the plan and the reports read (plain unit ids and a window, no viewer: the
  caller scopes and rolls up);
- `scoped`: what the app's own pages read, each with `viewer=` and kept to the viewer's place
  in the tree.
"""

from __future__ import annotations

from congdoan.activities.rows import (
    BudgetRow,
    CourseRow,
    GoodExampleRow,
    KindRow,
    PresenceState,
)
from congdoan.activities.selectors.figures import (
    activity_summary,
    attended_member_ids,
    budget_by_unit,
    direct_activity_counts,
    good_examples,
    presence_by_unit,
    press_summary,
    trained_member_ids,
    training_summary,
)

__all__ = [
    "BudgetRow",
    "CourseRow",
    "GoodExampleRow",
    "KindRow",
    "PresenceState",
    "activity_summary",
    "attended_member_ids",
    "budget_by_unit",
    "direct_activity_counts",
    "good_examples",
    "presence_by_unit",
    "press_summary",
    "trained_member_ids",
    "training_summary",
]
