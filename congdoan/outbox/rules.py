"""Who may do what with the outbox, on the scoping primitives of `congdoan.orgs.scoping`.

Officers see each channel's counts and health; only administrators read recipients and
delivery errors (an error can name a recipient) and put a failed message back in the queue.
"""

from __future__ import annotations

from congdoan.orgs.scoping import Viewer, scope_for


def can_manage_outbox(viewer: Viewer) -> bool:
    """Administrators read recipients and errors and retry; officers see the counts."""
    return scope_for(viewer).is_admin
