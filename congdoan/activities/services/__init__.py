"""Writes of the activities app, by topic; each atomic, each write on behalf of a person audited.

- `activities`: direct activities, attendance (a sheet, a phone checklist, by hand), press;
- `examples`: good examples going up the tree (submit, forward, recognise, return);
- `training`: courses, sessions, attendance and certificates;
- `presence`: channels, posts a day (`log_presence_posts`, which publishing calls with the
  Graph API's counts), budgets.
The attendance sheet import is `congdoan.activities.attendance_import`.
"""

from __future__ import annotations

from congdoan.activities.services.activities import (
    activity_create,
    activity_delete,
    activity_update,
    attendance_add,
    attendance_tick,
    press_create,
    press_delete,
    press_update,
)
from congdoan.activities.services.examples import (
    example_forward,
    example_recognise,
    example_resubmit,
    example_return,
    example_submit,
)
from congdoan.activities.services.presence import budget_save, channel_save, log_presence_posts
from congdoan.activities.services.training import (
    course_create,
    session_create,
    training_attendance_remove,
    training_attendance_set,
)

__all__ = [
    "activity_create",
    "activity_delete",
    "activity_update",
    "attendance_add",
    "attendance_tick",
    "budget_save",
    "channel_save",
    "course_create",
    "example_forward",
    "example_recognise",
    "example_resubmit",
    "example_return",
    "example_submit",
    "log_presence_posts",
    "press_create",
    "press_delete",
    "press_update",
    "session_create",
    "training_attendance_remove",
    "training_attendance_set",
]
