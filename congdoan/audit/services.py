"""Record officers' writes. Every service that writes on behalf of a person calls `audit_record`.

The trail sits under `orgs` (every app records its writes here, `orgs` too), so it imports
no app: the union's model is the one `AuditEntry.unit` points to."""

from __future__ import annotations

from typing import Any

from django.db import models

from congdoan.audit.models import AuditEntry
from congdoan.core.request_context import current_ip


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def _unit_model() -> type[models.Model]:
    """The union's model as `AuditEntry.unit` names it (orgs.Unit), without importing orgs."""
    model = AuditEntry._meta.get_field("unit").related_model
    assert isinstance(model, type) and issubclass(model, models.Model)
    return model


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    unit: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `unit` defaults to the target's unit (or the target if it is a Unit)."""
    unit_model = _unit_model()
    if unit is None and target is not None:
        unit = target if isinstance(target, unit_model) else getattr(target, "unit", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_repr=str(actor) if authenticated else "",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:255] if target is not None else "",
        unit_id=unit.pk if isinstance(unit, unit_model) else None,
        changes=_jsonable(changes or {}),
        ip=current_ip(),
    )
