"""Who may do what with workers' concerns: the named access rules of the feedback app.

Built on the primitives of `congdoan.orgs.scoping` (`scope_for`, `unit_q`, `office_q`) and
the rule `congdoan.orgs.rules.can_manage_unit`; selectors, views, the API and exports ask these rules and decide nothing
themselves. In words:
- a viewer sees the concerns handled by a unit in their scope, and those of a union in their
  scope unless the concern is hidden from that union (it is about the union itself, or the
  worker asked for the upper level) (`visible_q`, `can_view_concern`);
- an officer who sees a concern may act on it (`can_act_on_concern`); it may be given to an
  officer whose scope covers the unit that handles it (`assignable_q`);
- a named sender's contact is shown to every officer who sees the concern; an anonymous
  sender's only to the Office of an upper level (`can_see_contact`, `contact_visible_q`);
- the Office (of a federation above the grassroots, or an administrator) exports everything
  held about a contact and retrains the shared models (`is_office`);
- a concern is filed with the union a unit code or a QR token names (`intake_union`): THE one
  rule of the public intake (web form, QR link, API, Zalo, SMS).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from congdoan.feedback.models import Concern
from congdoan.orgs.models import Appointment, Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Scope, Viewer, in_force_q, office_q, scope_for, unit_q
from congdoan.orgs.site import home_unit, successor_of

# -- seeing and acting on a concern ---------------------------------------------------------------


def visible_q(scope: Scope) -> Q:
    """The concerns a scope sees, as a filter on Concern."""
    if scope.is_admin:
        return Q()
    if not scope.unit_paths:
        return Q(pk__in=[])
    return unit_q(scope, "assigned_unit") | (unit_q(scope, "unit") & Q(hidden_from_unit=False))


def can_view_concern(viewer: Viewer, concern: Concern) -> bool:
    """Whether the viewer may see the concern.

    Asked of the database once per request, not by each selector of the same page: the answer
    is kept on the row, keyed by the request's scope object (`scope_for` is cached on the user).
    """
    scope = scope_for(viewer)
    if getattr(concern, "_seen_in", None) is scope:
        return True
    if not Concern.objects.filter(visible_q(scope), pk=concern.pk).exists():
        return False
    mark_seen(viewer, concern)
    return True


def mark_seen(viewer: Viewer, concern: Concern) -> None:
    """Note on a row read through `visible_q` that this request's viewer sees it."""
    concern._seen_in = scope_for(viewer)  # type: ignore[attr-defined]


def is_officer(viewer: Viewer) -> bool:
    """Officers (anyone with an office in the tree, or an administrator) use the inbox."""
    return scope_for(viewer).is_officer


def can_act_on_concern(viewer: Viewer, concern: Concern) -> bool:
    """An officer who sees a concern may classify, assign, answer, forward and close it."""
    return is_officer(viewer) and can_view_concern(viewer, concern)


def assignable_q(concern: Concern) -> Q:
    """The officers (a filter on User) who may be given the concern: those whose scope covers
    the unit that handles it, i.e. administrators and a current managing appointment (the ones
    `scope_for` reads) at that unit or above it; nobody before it has a handling unit.

    A filter, so that the form's list is one query rather than a scope per candidate."""
    handler = concern.assigned_unit
    if handler is None:
        return Q(pk__in=[])
    today = timezone.localdate()
    covering = (
        Appointment.objects.filter(
            manages=True,
            unit__is_active=True,
            unit_id__in=handler.ancestor_ids(),
        )
        .filter(in_force_q(today))
        .values("user_id")
    )
    return Q(is_superuser=True) | Q(pk__in=covering)


def is_office(viewer: Viewer) -> bool:
    """The Office of a federation above the grassroots (or an administrator)."""
    scope = scope_for(viewer)
    return scope.is_admin or bool(scope.office_paths)


def can_export_contacts(viewer: Viewer) -> bool:
    """Everything held about one contact (a person's access request) goes to the Office only."""
    return is_office(viewer)


def can_retrain_models(viewer: Viewer) -> bool:
    """The Office of any federation, and administrators, retrain the shared models."""
    return is_office(viewer)


def can_print_poster(viewer: Viewer, unit: Unit) -> bool:
    """An active grassroots union's QR code and poster: for officers whose scope covers it."""
    return unit.is_active and unit.level.is_grassroots and can_manage_unit(viewer, unit)


# -- the sender's contact ------------------------------------------------------------------------


def contact_visible_q(scope: Scope) -> Q:
    """The concerns whose sender's contact a scope sees, as a filter on Concern."""
    if scope.is_admin:
        return Q()
    return Q(is_anonymous=False) | office_q(scope, "unit") | office_q(scope, "assigned_unit")


def can_see_contact(viewer: Viewer, concern: Concern) -> bool:
    """A named sender's contact: every officer who sees the concern; an anonymous sender's:
    only the Office of an upper level (never the grassroots union, never a member)."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return False
    if scope.is_admin or not concern.is_anonymous:
        return True
    paths = [u.path for u in (concern.unit, concern.assigned_unit) if u is not None]
    return any(scope.office_covers_path(p) for p in paths)


def can_erase_contact(viewer: Viewer, concern: Concern) -> bool:
    """Erasing a sender's contact (a person's request under the data-protection decree) is the
    Office's act, as exporting it is: the Office (or an administrator) that sees the contact."""
    return is_office(viewer) and can_see_contact(viewer, concern)


def offers_contact_erasure(viewer: Viewer, concern: Concern) -> bool:
    """The concern's page shows the erase button to exactly those the endpoint accepts."""
    return can_erase_contact(viewer, concern)


# -- the public intake: which union a concern is filed with ----------------------------------------


@dataclass(frozen=True)
class IntakeUnion:
    """The union a code or token named, and the one that gets the concern."""

    unit: Unit  # the union the concern is filed with
    named: Unit  # the union the code or token named: another one when it has merged since

    @property
    def merged_from(self) -> Unit | None:
        """The union a printed QR code names when it has merged into `unit` (the form says why)."""
        return self.named if self.named.pk != self.unit.pk else None


def intake_union(*, code: str = "", token: str = "") -> IntakeUnion | None:
    """The union a worker's concern is filed with, named by a unit code or a QR token; None
    when it names none.

    Steps: 1. find the unit by its code (any letter case) or its QR token; 2. a merged union
    leads to its successor (`merged_into`, followed to the end), so a poster printed before
    the merger keeps working; 3. accept only an active grassroots union or this deployment's
    home unit: a worker cannot file a concern at the city or the national federation.
    """
    code, token = (code or "").strip()[:40], (token or "").strip()[:40]
    if not (code or token):
        return None
    units = Unit.objects.select_related("level", "merged_into")
    if token:
        named = units.filter(qr_token=token).first() or units.filter(qr_token=token.lower()).first()
    else:
        named = units.filter(code=code).first() or units.filter(code__iexact=code).first()
    unit = successor_of(named)
    if named is None or unit is None or not unit.is_active:
        return None
    if unit.level.is_grassroots:
        return IntakeUnion(unit=unit, named=named)
    home = home_unit()
    return IntakeUnion(unit=unit, named=named) if home is not None and home.pk == unit.pk else None


def intake_unit(*, code: str = "", token: str = "") -> Unit | None:
    """The union a concern is filed with (`intake_union`), or None."""
    found = intake_union(code=code, token=token)
    return found.unit if found is not None else None


def files_as_member(viewer: Viewer) -> bool:
    """A logged-in person who is not an officer sends as a member (their name by default)."""
    return viewer is not None and viewer.is_authenticated and not is_officer(viewer)
