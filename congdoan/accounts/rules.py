"""Who the accounts rules apply to, on the scoping primitives of `congdoan.orgs.scoping`.

- an officer's or a staff member's session ends when left untouched for OFFICER_IDLE_MINUTES
  (they see other people's data); a member keeps theirs;
- an officer resets the password of a plain member's login in a union they manage: that rule
  reads the member's union, which orgs owns, so it lives in orgs
  (`congdoan.orgs.rules.can_reset_member_password`).
"""

from __future__ import annotations

from congdoan.orgs.scoping import Viewer, scope_for


def idle_timeout_applies(viewer: Viewer) -> bool:
    """Officers and administrators: they see other people's data. Members keep their session."""
    return bool(getattr(viewer, "is_staff", False)) or scope_for(viewer).is_officer
