"""Who may do what with a contest (built on congdoan.orgs.scoping).

In words:
- a contest belongs to its organising unit; the officers whose scope covers that unit (its own
  officers and those of every level above it) see it, edit it, run its rounds, review flagged
  attempts, award prizes, issue certificates and export its results; an administrator all;
- an officer creates a contest for a unit in their scope (and may let only the members of a
  unit in their scope take part);
- a grassroots officer never sees another unit's contest on the officer pages (the public
  pages of a published contest are for everyone who may take part: see the participant side);
- anyone may verify a certificate by its code (it shows a name, a contest, a prize, a date).
"""

from __future__ import annotations

from congdoan.contests.models import Contest
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for


def is_contest_officer(viewer: Viewer) -> bool:
    """The officer pages of contests are for officers (and administrators)."""
    return scope_for(viewer).is_officer


def can_create_contest_for(viewer: Viewer, unit: Unit) -> bool:
    return scope_for(viewer).covers_path(unit.path)


def can_manage_contest(viewer: Viewer, contest: Contest) -> bool:
    """See and manage a contest on the officer pages: its organising unit is in the scope."""
    return scope_for(viewer).covers_path(contest.unit.path)


def can_use_eligible_unit(viewer: Viewer, unit: Unit) -> bool:
    """The unit whose members may take part must be in the viewer's scope too."""
    return scope_for(viewer).covers_path(unit.path)


def can_see_results(viewer: Viewer, contest: Contest) -> bool:
    """The results pages and export: whoever manages the contest (everything), and the officers
    of a unit inside its participation subtree (only their own units' rows: `selectors`)."""
    scope = scope_for(viewer)
    if can_manage_contest(viewer, contest):
        return True
    top = contest.eligible_unit or contest.unit
    return any(path.startswith(top.path) for path in scope.unit_paths)
