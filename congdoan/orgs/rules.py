"""Who may do what in the union tree: the named access rules of orgs, and the view decorators.

Built on the primitives of `congdoan.orgs.scoping` (`scope_for`, `unit_q`, …). Other apps keep
their own rules in `<app>/rules.py` and use these decorators on their views. The rules, in words:
- an officer answers for the subtree of each unit they are appointed to (an appointment that
  `manages`): there they see and manage everything; an administrator answers for the whole tree;
- only the Office of an upper level sees the contact of a worker who asked to stay anonymous;
- an officer resets the password of a plain member's login in a union they manage (never an
  officer's or an administrator's: those reset their own, by e-mail).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from congdoan.orgs.models import Member, Unit
from congdoan.orgs.scoping import Viewer, scope_for


def can_manage_unit(viewer: Viewer, unit: Unit) -> bool:
    """The viewer answers for this unit: it lies in their scope, where seeing and managing are
    one rule (an appointment either manages its subtree or gives no scope at all; there is no
    read-only officer). Pages that only show a unit ask this rule too."""
    return scope_for(viewer).covers_path(unit.path)


def can_see_anonymous_contact(viewer: Viewer, unit: Unit) -> bool:
    """Only the Office of an upper level (never the grassroots union) sees an anonymous
    worker's contact."""
    return scope_for(viewer).office_covers_path(unit.path)


def can_reset_member_password(viewer: Viewer, member: Member) -> bool:
    """Whether the viewer may make a reset link for this member's login (the member page shows
    the button then): a login of a plain member, in a union the viewer manages."""
    user = member.user
    if user is None or viewer is None or not can_manage_unit(viewer, member.unit):
        return False
    return not (user.is_staff or user.pk == viewer.pk or scope_for(user).is_officer)


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; then only officers (anyone with an office in the tree, or an admin)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_for(request.user).is_officer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; then only the deployment's administrators."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_for(request.user).is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
