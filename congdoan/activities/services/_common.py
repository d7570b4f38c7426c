"""What every write of the app shares: the access check and the checks of amounts and counts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.activities import rules
from congdoan.activities.models import MAX_AMOUNT_VND, MAX_PEOPLE
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer


def user_of(actor: Viewer) -> User | None:
    """The actor as a row to point at (None for the system or an anonymous visitor)."""
    return actor if isinstance(actor, User) and actor.pk else None


def require_unit(actor: Viewer, unit: Unit) -> None:
    """Refuse (403) a write for a unit outside the actor's scope; `actor=None` is the system."""
    if actor is not None and not rules.can_record_for(actor, unit):
        raise PermissionDenied


def clean_amount(value: Any, label: str) -> int:
    """A sum of money in whole VND: not negative, at most `MAX_AMOUNT_VND`."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(f)s phải là số tiền (đồng).") % {"f": label}) from None
    if amount < 0:
        raise ValidationError(_("%(f)s không được âm.") % {"f": label})
    if amount > MAX_AMOUNT_VND:
        raise ValidationError(
            _("%(f)s quá lớn (tối đa 1.000 tỷ đồng): kiểm tra lại số đã nhập.") % {"f": label}
        )
    return amount


def clean_count(value: Any, label: str) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(f)s phải là số.") % {"f": label}) from None
    if count < 0:
        raise ValidationError(_("%(f)s không được âm.") % {"f": label})
    if count > MAX_PEOPLE:
        raise ValidationError(_("%(f)s quá lớn: kiểm tra lại số đã nhập.") % {"f": label})
    return count


_URL = URLValidator(schemes=["http", "https"])


def clean_url(value: Any) -> str:
    """An address shown as a link: http(s) only (never "javascript:"), or empty."""
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) > 500:
        raise ValidationError(_("Đường dẫn quá dài (tối đa 500 ký tự)."))
    try:
        _URL(text)
    except ValidationError:
        raise ValidationError(
            _("Đường dẫn không hợp lệ: “%(u)s” (bắt đầu bằng https://).") % {"u": text[:80]}
        ) from None
    return text


def clean_title(value: str, label: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ValidationError(_("Chưa nhập %(f)s.") % {"f": label})
    return text[:255]
