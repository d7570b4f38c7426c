"""Who reads which audit entries, on the scoping primitives of `congdoan.orgs.scoping`.

An officer reads the entries whose unit (the unit of the thing that was changed) lies in the
subtree they answer for: the district Office all of its grassroots unions, a grassroots
chairman their own union. The system administrator reads everything, including entries that
belong to no unit (accounts, exports across units). Members and visitors read nothing.
"""

from __future__ import annotations

from django.db.models import Q

from congdoan.orgs.scoping import Viewer, scope_for, unit_q


def readable_entries_q(viewer: Viewer) -> Q:
    """A filter on AuditEntry: the entries this viewer may read (none for a non-officer)."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return Q(pk__in=[])
    return unit_q(scope)  # empty (everything) for an administrator
