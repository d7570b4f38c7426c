"""The rows the activities app hands to the plan and the reports (frozen, plain values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class KindRow:
    """One kind of activity (or of press coordination) in a window, summed."""

    kind: str
    label: str
    count: int
    participants: int = 0
    beneficiaries: int = 0
    amount_vnd: int = 0


@dataclass(frozen=True)
class CourseRow:
    course_id: int
    title: str
    topic: str
    topic_label: str
    sessions: int
    attendees: int
    certificates: int


@dataclass(frozen=True)
class GoodExampleRow:
    example_id: int
    title: str
    kind_label: str
    unit_name: str
    submitted_on: date
    status: str
    status_label: str
    forwarded_to: str  # the unit that holds it now ("" when none)


@dataclass(frozen=True)
class PresenceState:
    has_fanpage: bool
    active_fanpage: bool
    last_post_on: date | None
    posts_last_7_days: int
    silent_days: int | None  # days since the last post; None when it never posted


@dataclass(frozen=True)
class BudgetRow:
    communication_vnd: int
    total_vnd: int

    @property
    def share_percent(self) -> float | None:
        """Communication spending as a share of the total; None when the total is zero."""
        if self.total_vnd <= 0:
            return None
        return round(100 * self.communication_vnd / self.total_vnd, 1)
