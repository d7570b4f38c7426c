"""Who may do what with periodic reports, on the primitives of `congdoan.orgs.scoping`.

In words:
- an officer sees, writes and submits the reports of every unit in their scope (their unit and
  the units under it), and sees the consolidated report of those units;
- the level above reviews: an officer whose scope covers the unit's parent returns a submitted
  report for correction or accepts it (an officer of the unit alone never reviews its own
  report); an administrator reviews any report.
"""

from __future__ import annotations

from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for
from congdoan.reports.models import Report


def can_see_unit_reports(viewer: Viewer, unit: Unit) -> bool:
    return scope_for(viewer).covers_path(unit.path)


def can_write(viewer: Viewer, unit: Unit) -> bool:
    """Edit the narrative and submit: the unit's own officers and those above them."""
    return scope_for(viewer).covers_path(unit.path)


def can_review(viewer: Viewer, unit: Unit) -> bool:
    """Return or accept: the level directly above (or any level above it), or an admin."""
    scope = scope_for(viewer)
    if scope.is_admin:
        return True
    parent = unit.parent
    return parent is not None and scope.covers_path(parent.path)


def can_review_report(viewer: Viewer, report: Report) -> bool:
    return can_review(viewer, report.unit)
