"""Who may do what in information monitoring (built on congdoan.orgs.scoping).

In words:
- the monitoring pages are for officers (and administrators); a member sees none of them, only
  the tip form (`can_send_tip`) and the tips they sent themselves;
- a source, an item, a tip, a known claim and a narrative belong to a unit (a narrative to the
  unit of the source where it first appeared); the officers whose scope covers that unit (its
  own officers and those of every level above it) see it and handle it: change its status,
  assign it, add notes and evidence, link the response; an administrator everything;
- an officer of another district, or of a sibling grassroots union, sees none of it;
- a narrative is assigned only to an officer who may handle it;
- the known false claims of the levels above a unit are shown to its officers too (they are
  the refutations to reuse), but only the officers covering the claim's unit edit it.
"""

from __future__ import annotations

from typing import Any

from congdoan.monitoring.models import KnownClaim, Narrative, Source
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for


def is_monitoring_officer(viewer: Viewer) -> bool:
    """The officer pages of monitoring (`/theo-doi/`) are for officers and administrators."""
    return scope_for(viewer).is_officer


def can_see_unit(viewer: Viewer, unit: Unit) -> bool:
    """The viewer's scope covers `unit` (its officers and those of every level above)."""
    return scope_for(viewer).covers_path(unit.path)


def can_handle(viewer: Viewer, narrative: Narrative) -> bool:
    """See and handle a narrative: its unit is in the viewer's scope."""
    return scope_for(viewer).covers_path(narrative.unit.path)


def can_be_assigned(user: Any, narrative: Narrative) -> bool:
    """Whom a narrative may be given to: an active officer who may handle it."""
    return bool(user is not None and getattr(user, "is_active", False)) and can_handle(
        user, narrative
    )


def can_manage_source(viewer: Viewer, source: Source) -> bool:
    """Edit a source, fetch it now, upload an export into it: its unit is in the scope."""
    return scope_for(viewer).covers_path(source.unit.path)


def can_manage_claim(viewer: Viewer, claim: KnownClaim) -> bool:
    """Edit or deactivate a known claim: its unit is in the scope."""
    return scope_for(viewer).covers_path(claim.unit.path)


def can_create_claim_for(viewer: Viewer, unit: Unit) -> bool:
    return scope_for(viewer).covers_path(unit.path)


def can_send_tip(viewer: Viewer) -> bool:
    """The tip form (`/bao-tin/`): officers and members with a login."""
    scope = scope_for(viewer)
    return scope.is_officer or scope.member_id is not None
