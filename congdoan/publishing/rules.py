"""Who may do what with a unit's channels, on the scoping primitives of `congdoan.orgs`.

An officer manages the channel accounts of the units in their scope (connect, reconnect,
disconnect), chooses where that unit's products go, and retries their failed posts.
"""

from __future__ import annotations

from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Viewer


def can_manage_channels(viewer: Viewer, unit: Unit) -> bool:
    return can_manage_unit(viewer, unit)
