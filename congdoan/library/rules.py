"""Who may do what with a document of the library: the one place that decides it.

Built on the primitives of congdoan.orgs.scoping (a viewer's `Scope`: the subtrees of the units
they manage) and on orgs' own rule for managing a unit (congdoan.orgs.rules). Selectors, services, views, the API and the feeds ask these rules; nothing else in
the library reads a scope to decide access. In words:

- **see** a document of unit X, by its visibility:
  - "unit": officers whose scope covers X (X's officers and those of the units above X);
  - "subtree": those, and also the officers of units below X;
  - "union": every officer;
  - "public": everyone, signed in or not, once it is processed (status "ready");
  a system administrator sees everything (`visible_q`);
- **what the public sees** (pages, feeds and downloads without login): public documents once
  processed, nothing else (`public_q`);
- **manage** a document (correct its metadata, change its sharing and tags, retry its OCR):
  the officers who manage its unit, not those it is only shared with (`can_manage`);
- **upload** into a unit: the officers who manage it (`can_upload`, `upload_units_q`);
- **review** (the officer's home page: what waits for OCR or looks unsure; the digitisation
  indicator): the documents of the units the viewer manages, not those others share with them
  (`managed_q`, `can_see_indicator`).
"""

from __future__ import annotations

from django.db.models import Q

from congdoan.library.models import Document, Status, Visibility
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Scope, Viewer, scope_for, unit_q


def public_q() -> Q:
    """What anyone may see: public documents, once processed."""
    return Q(visibility=Visibility.PUBLIC, status=Status.READY)


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def visible_q(scope: Scope) -> Q:
    """The documents a viewer with this scope may see (see the module's docstring)."""
    if scope.is_admin:
        return Q()
    if not scope.is_officer:
        return public_q()
    above: set[str] = set()
    for path in scope.unit_paths:
        above.update(_ancestor_paths(path))
    return (
        Q(visibility__in=[Visibility.PUBLIC, Visibility.UNION])
        | unit_q(scope, field="unit")
        | Q(visibility=Visibility.SUBTREE, unit__path__in=sorted(above))
    )


def managed_q(scope: Scope) -> Q:
    """The documents of the units the viewer manages (not those others share with them)."""
    return unit_q(scope, field="unit")


def can_manage(viewer: Viewer, document: Document) -> bool:
    """Whether the viewer may correct, share or retry the document: they manage its unit."""
    return can_manage_unit(viewer, document.unit)


def can_upload(viewer: Viewer, unit: Unit) -> bool:
    """Whether the viewer may put documents into `unit`: they manage it."""
    return can_manage_unit(viewer, unit)


def upload_units_q(scope: Scope) -> Q:
    """The units (a filter on Unit itself) the viewer may upload into."""
    return unit_q(scope, field="")


def can_see_indicator(viewer: Viewer) -> bool:
    """Whether the viewer has units of their own to measure (officers and administrators)."""
    return scope_for(viewer).is_officer
