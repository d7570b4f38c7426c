"""Who may do what with a communication product: the one place that decides it.

Built on the primitives of congdoan.orgs.scoping (a viewer's `Scope`: the subtrees of the units
they manage), on orgs' rule for managing a unit (congdoan.orgs.rules) and on the viewer's
appointments as orgs' selectors give them (which posts are a leader's). In words:

- **see** a product of unit X: the officers who manage X (X's and those of the units above)
  see it in every state; once it is published, its sharing opens it further:
  - "subtree": also the officers of the units below X;
  - "union": every officer;
  - "public": everyone, signed in or not (`public_q`);
  a system administrator sees everything (`visible_q`);
- **the shared library** (`library_q`): published products shared beyond their unit, those
  shared with the viewer (`sharing_q`) and those of the units they manage;
- **write and edit** (`can_create`, `can_edit`): the officers who manage the unit, while the
  product is a draft, or once it is published (an edit then is a correction); a product that
  waits for approval or publication is not edited, it is sent back to draft first (`reject`);
- **approve or send back** (`can_approve`): a leader (an appointment to a post marked
  `is_leader`) of the approving unit or of a unit above it. The approving unit is the
  product's own unit, or its parent when the unit's `ContentSettings.approval_by` says
  "parent_leader". The author never approves their own product unless the unit's setting
  `allow_self_approval` says so. Nothing is published without that approval;
- **the versions** (`can_see_versions`): the officers who manage the unit;
- **schedule, publish, archive** (`can_publish`): the officers who manage the unit, once the
  product is approved;
- **reuse** (`can_reuse`): an officer who sees a shared product copies it into a unit they
  manage.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from congdoan.content.models import (
    ApprovalBy,
    ContentSettings,
    Product,
    ProductStatus,
    Sharing,
)
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Scope, Viewer, scope_for, unit_q
from congdoan.orgs.selectors import user_appointments

_LEADER_CACHE_ATTR = "_congdoan_content_leader_paths"

EDITABLE_STATUSES = frozenset({ProductStatus.DRAFT, ProductStatus.PUBLISHED})


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def public_q(prefix: str = "") -> Q:
    """What anyone may see: published products shared with the public."""
    return Q(**{f"{prefix}status": ProductStatus.PUBLISHED, f"{prefix}sharing": Sharing.PUBLIC})


def sharing_q(scope: Scope) -> Q:
    """Published products that their unit shares with this viewer beyond its own scope."""
    if not scope.is_officer:
        return public_q()
    above: set[str] = set()
    for path in scope.unit_paths:
        above.update(_ancestor_paths(path))
    return Q(status=ProductStatus.PUBLISHED) & (
        Q(sharing__in=[Sharing.PUBLIC, Sharing.UNION])
        | Q(sharing=Sharing.SUBTREE, unit__path__in=sorted(above))
    )


def managed_q(scope: Scope) -> Q:
    """Products of the units the viewer manages, in every state."""
    return unit_q(scope, field="unit")


def visible_q(scope: Scope) -> Q:
    """Every product this viewer may see (see the module's docstring)."""
    if scope.is_admin:
        return Q()
    if not scope.is_officer:
        return public_q()
    return managed_q(scope) | sharing_q(scope)


def library_q(scope: Scope) -> Q:
    """The shared library: published products shared beyond their unit that the viewer sees
    (shared with them, or of the units they manage)."""
    return Q(status=ProductStatus.PUBLISHED) & ~Q(sharing=Sharing.UNIT) & visible_q(scope)


def can_view(viewer: Viewer, product: Product) -> bool:
    scope = scope_for(viewer)
    if scope.is_admin or product.is_public_visible:
        return True
    if not scope.is_officer:
        return False
    if scope.covers_path(product.unit.path):
        return True
    if product.status != ProductStatus.PUBLISHED:
        return False
    if product.sharing == Sharing.UNION:
        return True
    if product.sharing == Sharing.SUBTREE:
        return any(path.startswith(product.unit.path) for path in scope.unit_paths)
    return False


def can_create(viewer: Viewer, unit: Unit) -> bool:
    """Whether the viewer may write products for `unit`: they manage it."""
    return can_manage_unit(viewer, unit)


def can_edit(viewer: Viewer, product: Product) -> bool:
    return product.status in EDITABLE_STATUSES and can_manage_unit(viewer, product.unit)


def can_submit(viewer: Viewer, product: Product) -> bool:
    """Send a draft for approval: the unit's managers (the author among them)."""
    return can_manage_unit(viewer, product.unit)


def can_see_versions(viewer: Viewer, product: Product) -> bool:
    """The product's versions (its history): the officers who manage its unit."""
    return can_manage_unit(viewer, product.unit)


def can_see_reuse_count(viewer: Viewer, product: Product) -> bool:
    """How often other units reused a product: its author and its unit's managers."""
    is_author = viewer is not None and viewer.pk is not None and product.author_id == viewer.pk
    return is_author or can_publish(viewer, product)


def can_set_rules(viewer: Viewer, unit: Unit) -> bool:
    """Who approves a unit's products is decided above it: by the officers who manage its
    parent (an administrator for the top unit), never by the unit for itself."""
    scope = scope_for(viewer)
    if unit.parent_id is None:
        return scope.is_admin
    parent = unit.parent
    assert parent is not None
    return can_manage_unit(viewer, parent)


def can_publish(viewer: Viewer, product: Product) -> bool:
    """Schedule, publish, archive: the unit's managers (approval is checked by the state)."""
    return can_manage_unit(viewer, product.unit)


def leader_paths(viewer: Viewer) -> tuple[str, ...]:
    """The paths of the units where the viewer holds a leader's post today (cached per request)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or viewer.pk is None:
        return ()
    cached = getattr(viewer, _LEADER_CACHE_ATTR, None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    paths = tuple(
        sorted(
            {
                a.unit.path
                for a in user_appointments(user=viewer).filter(
                    position__is_leader=True, started_on__lte=today, unit__is_active=True
                )
            }
        )
    )
    setattr(viewer, _LEADER_CACHE_ATTR, paths)
    return paths


def settings_for(unit: Unit) -> ContentSettings:
    """The unit's approval setting; the defaults (its own leaders, no self-approval) if none."""
    found = ContentSettings.objects.filter(unit=unit).first()
    return found if found is not None else ContentSettings(unit=unit)


def approving_unit(unit: Unit) -> Unit:
    """The unit whose leaders approve `unit`'s products (the unit itself at the top)."""
    if settings_for(unit).approval_by == ApprovalBy.PARENT_LEADER and unit.parent_id:
        parent = unit.parent
        assert parent is not None
        return parent
    return unit


def can_approve(viewer: Viewer, product: Product) -> bool:
    """A leader of the approving unit (or above it); never the author unless allowed."""
    if viewer is None or viewer.pk is None:
        return False
    target = approving_unit(product.unit)
    if not any(target.path.startswith(path) for path in leader_paths(viewer)):
        return False
    is_own = product.author_id == viewer.pk
    return not is_own or settings_for(product.unit).allow_self_approval


def can_comment(viewer: Viewer, product: Product) -> bool:
    """The author's side (the unit's managers) and the approvers talk on the product."""
    return can_manage_unit(viewer, product.unit) or can_approve(viewer, product)


def can_reuse(viewer: Viewer, product: Product, into: Unit) -> bool:
    """Copy a published product the viewer sees into a unit they manage (not into its own)."""
    return (
        product.status == ProductStatus.PUBLISHED
        and into.pk != product.unit_id
        and can_view(viewer, product)
        and can_manage_unit(viewer, into)
    )


def writable_units(viewer: Viewer) -> list[Unit]:
    """The units the officer holds a post in and writes for (their own, not the subtree's)."""
    scope = scope_for(viewer)
    units = Unit.objects.filter(pk__in=scope.unit_ids, is_active=True).order_by("path")
    return [u for u in units if can_create(viewer, u)]


def reuse_units(viewer: Viewer, product: Product, *, among: list[Unit] | None = None) -> list[Unit]:
    """The units a reused copy may go to: those the officer writes for, not the source's
    (`among`: the viewer's `writable_units`, when the caller already has them). An officer
    with posts in several units chooses among them; the first is the default."""
    units = writable_units(viewer) if among is None else among
    return [unit for unit in units if can_reuse(viewer, product, unit)]


def reuse_unit(viewer: Viewer, product: Product, *, among: list[Unit] | None = None) -> Unit | None:
    """The unit a reused copy goes to when the officer does not choose: the first of
    `reuse_units`."""
    units = reuse_units(viewer, product, among=among)
    return units[0] if units else None


def offers(viewer: Viewer, product: Product) -> dict[str, bool]:
    """Which buttons the studio's product page shows: the rules above say who, the product's
    state says when (content.services checks both again when a button is pressed)."""
    status = product.status
    waiting = (ProductStatus.SUBMITTED, ProductStatus.APPROVED, ProductStatus.SCHEDULED)
    ready = (ProductStatus.APPROVED, ProductStatus.SCHEDULED)
    approve = can_approve(viewer, product)  # once: it reads the unit's settings
    publish = can_publish(viewer, product)
    edit = can_edit(viewer, product)
    found = {
        "edit": status == ProductStatus.DRAFT and edit,
        "submit": status == ProductStatus.DRAFT and can_submit(viewer, product),
        "approve": status == ProductStatus.SUBMITTED and approve,
        "reject": status in waiting and approve,
        "schedule": status in ready and publish,
        "publish": status in ready and publish,
        "correct": status == ProductStatus.PUBLISHED and edit,
        "archive": status != ProductStatus.ARCHIVED and publish,
        "reuse": status == ProductStatus.PUBLISHED and reuse_unit(viewer, product) is not None,
    }
    found["any"] = any(found.values())
    found["comment"] = can_comment(viewer, product)
    return found
