"""Who may do what with the plan's figures (on the orgs scoping primitives)."""

from __future__ import annotations

from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Viewer


def can_import_figures(viewer: Viewer, unit: Unit) -> bool:
    """An officer who manages the unit imports its subtree's earlier figures."""
    return can_manage_unit(viewer, unit)


def can_replace_imported(viewer: Viewer, unit: Unit) -> bool:
    """…and may choose live data over them for a closed period."""
    return can_manage_unit(viewer, unit)
