from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from congdoan.accounts.models import User
from congdoan.core.phones import normalize_phone


def canonical_login(raw: str) -> str:
    """The one spelling of what someone typed to log in: a phone number in E.164 form
    ("0912 345 678", "0912.345.678" and "+84912345678" are one number), anything else
    stripped and case-folded (e-mail addresses are not case-sensitive in practice)."""
    ident = (raw or "").strip()
    return normalize_phone(ident) or ident.casefold()


def user_for_login(raw: str) -> User | None:
    """The account an identity names: its username, e-mail or phone, in any spelling."""
    ident = canonical_login(raw)
    if not ident:
        return None
    query = Q(username__iexact=ident) | Q(email__iexact=ident)
    if ident.startswith("+"):
        query |= Q(phone=ident)
    return User.objects.filter(query).order_by("pk").first()


def lockout_identity(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """What django-axes counts failures against (AXES_USERNAME_CALLABLE): the account itself
    when the identity names one, so that no spelling of it (letter case, spaces, the e-mail
    instead of the phone) gets a fresh count; else the canonical spelling."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    user = user_for_login(str(raw or ""))
    return user.username if user is not None else canonical_login(str(raw or ""))


class EmailOrPhoneBackend(ModelBackend):
    """Authenticate with an e-mail address, a phone number (any Vietnamese form) or the username."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            User().set_password(password)  # same time whether or not the user exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
