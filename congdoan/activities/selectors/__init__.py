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
from congdoan.activities.selectors.scoped import (
    BudgetLine,
    PresenceLine,
    activities_visible,
    activity_get,
    attendance_candidates,
    attendees,
    budget_get,
    budget_overview,
    channel_get,
    course_get,
    courses_visible,
    example_get,
    examples_visible,
    presence_overview,
    present_ids,
    press_get,
    press_visible,
    recent_logs,
    session_attendance,
    session_candidates,
    session_get,
    sessions_of,
    silent_after_days,
    training_attendance_get,
    unit_in_scope,
    units_for,
)

__all__ = [
    "BudgetLine",
    "BudgetRow",
    "CourseRow",
    "GoodExampleRow",
    "KindRow",
    "PresenceLine",
    "PresenceState",
    "activities_visible",
    "activity_get",
    "activity_summary",
    "attendance_candidates",
    "attended_member_ids",
    "attendees",
    "budget_by_unit",
    "budget_get",
    "budget_overview",
    "channel_get",
    "course_get",
    "courses_visible",
    "direct_activity_counts",
    "example_get",
    "examples_visible",
    "good_examples",
    "presence_by_unit",
    "presence_overview",
    "present_ids",
    "press_get",
    "press_summary",
    "press_visible",
    "recent_logs",
    "session_attendance",
    "session_candidates",
    "session_get",
    "sessions_of",
    "silent_after_days",
    "trained_member_ids",
    "training_attendance_get",
    "training_summary",
    "unit_in_scope",
    "units_for",
]
