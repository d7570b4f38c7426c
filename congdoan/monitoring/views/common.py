"""What the monitoring views share: service errors onto forms or messages, the top units of a
viewer, and the rows the pages render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for


def apply_errors(form: Any, exc: ValidationError) -> None:
    """A service's errors onto the form (unknown fields as the form's own)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def top_units(viewer: Viewer) -> QuerySet[Unit]:
    """The highest units of the viewer's scope (the units they are appointed to, none inside
    another); for an administrator, the roots of the tree."""
    scope = scope_for(viewer)
    if scope.is_admin:
        return Unit.objects.filter(parent__isnull=True, is_active=True).order_by("path")
    return Unit.objects.filter(path__in=scope.unit_paths).order_by("path")


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
