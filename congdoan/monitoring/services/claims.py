"""Writes of the known false claims (`KnownClaim`): add one, correct it, stop or resume
matching items against it. Every write is audited; the officer must cover the claim's unit
(`rules.can_manage_claim`, else `PermissionDenied`); bad input raises `ValidationError`.

A claim's meaning (its e5 vector) is stored when the embedding model is installed
(`detection.claims.embed_claim`); a corrected claim text drops the old vector first, so a
claim is never matched by the meaning of what it used to say. Detection keeps the active
claims in memory: each write here tells it they changed (`detection.claims.claims_changed`
when it exists, else its cache is cleared).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.monitoring import rules
from congdoan.monitoring.models import KnownClaim
from congdoan.orgs.scoping import Viewer, scope_for

log = logging.getLogger("congdoan.monitoring")

EDITABLE = ("claim", "refutation", "refutation_url", "product", "active", "unit")
MAX_CLAIM = 2000


def _detection() -> Any:
    """DETECT's claims module, or None while it is not there."""
    try:
        return importlib.import_module("congdoan.monitoring.detection.claims")
    except ImportError:
        return None


def _claims_changed() -> None:
    module = _detection()
    if module is None:
        return
    changed = getattr(module, "claims_changed", None)
    if callable(changed):
        changed()
        return
    cached = getattr(module, "_active_claims", None)
    clear = getattr(cached, "cache_clear", None)
    if callable(clear):
        clear()


def _embed(claim: KnownClaim) -> None:
    """Store the claim's meaning now if the model is installed (else matching embeds it later)."""
    module = _detection()
    embed = getattr(module, "embed_claim", None) if module is not None else None
    if not callable(embed):
        return
    try:
        embed(claim)
    except Exception:  # the model failed: the lexical matching works, the vector comes later
        log.exception("monitoring: could not embed known claim %s", claim.pk)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    out = dict(values)
    for name in ("claim", "refutation", "refutation_url"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if "claim" in out:
        if not out["claim"]:
            raise ValidationError({"claim": _("Nhập nội dung sai sự thật cần đối chiếu.")})
        if len(out["claim"]) > MAX_CLAIM:
            raise ValidationError({"claim": _("Nội dung dài quá %(n)s ký tự.") % {"n": MAX_CLAIM}})
    return out


def _check_unit(user: Viewer, unit: Any) -> None:
    if unit is None or not rules.can_create_claim_for(user, unit):
        raise PermissionDenied


def _check_product(user: Viewer, unit: Any, product: Any) -> None:
    if product is None:
        return
    path = product.unit.path
    if not (scope_for(user).covers_path(path) or unit.path.startswith(path)):
        raise ValidationError(
            {"product": _("Sản phẩm truyền thông này không thuộc đơn vị bạn phụ trách.")}
        )


def create_claim(
    user: Viewer,
    *,
    unit: Any,
    claim: str,
    refutation: str = "",
    refutation_url: str = "",
    product: Any = None,
    active: bool = True,
) -> KnownClaim:
    """A claim known to be false, of `unit` (in the officer's scope), with its refutation."""
    _check_unit(user, unit)
    values = _clean(
        {
            "claim": claim,
            "refutation": refutation,
            "refutation_url": refutation_url,
            "product": product,
            "active": active,
        }
    )
    _check_product(user, unit, product)
    created_by = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        obj = KnownClaim.objects.create(unit=unit, created_by_id=created_by, **values)
        audit_record(
            actor=user,
            action="monitoring.claim.create",
            target=obj,
            changes={"active": obj.active, "refutation_url": obj.refutation_url},
        )
    _embed(obj)
    _claims_changed()
    return obj


def update_claim(user: Viewer, claim: KnownClaim, /, **fields: Any) -> KnownClaim:
    """Correct a claim (`claim`, `refutation`, `refutation_url`, `product`, `active`, `unit`).
    Compared with what is stored (a bound ModelForm may have changed `claim` in memory
    already); nothing changed, nothing written. `user` and `claim` are positional only, so
    the field `claim=` (the text) may be passed too."""
    stored = KnownClaim.objects.select_related("unit").get(pk=claim.pk)
    if not rules.can_manage_claim(user, stored):
        raise PermissionDenied
    values = _clean(fields)
    unit = values.get("unit", stored.unit)
    if unit.pk != stored.unit_id:
        _check_unit(user, unit)
    if "product" in values and values["product"] is not None:
        _check_product(user, unit, values["product"])
    changed = [
        name
        for name, value in values.items()
        if (getattr(stored, f"{name}_id") if name in ("unit", "product") else getattr(stored, name))
        != (getattr(value, "pk", value) if name in ("unit", "product") else value)
    ]
    if not changed:
        claim.refresh_from_db()
        return claim
    for name in changed:
        setattr(stored, name, values[name])
    update = list(changed)
    if "claim" in changed:
        stored.embedding = None
        update.append("embedding")
    with transaction.atomic():
        stored.save(update_fields=update)
        action = "monitoring.claim.update"
        if changed == ["active"]:
            action = "monitoring.claim.activate" if stored.active else "monitoring.claim.deactivate"
        audit_record(actor=user, action=action, target=stored, changes={"fields": changed})
    if "claim" in changed:
        _embed(stored)
    _claims_changed()
    claim.refresh_from_db()
    return claim


def deactivate_claim(user: Viewer, claim: KnownClaim) -> KnownClaim:
    """Stop matching items against this claim (kept, with the items it matched)."""
    return update_claim(user, claim, active=False)


def activate_claim(user: Viewer, claim: KnownClaim) -> KnownClaim:
    """Match items against this claim again."""
    return update_claim(user, claim, active=True)
