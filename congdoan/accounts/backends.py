from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from congdoan.accounts.models import User
from congdoan.core.phones import normalize_phone


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
        ident = username.strip()
        query = Q(username=ident) | Q(email__iexact=ident)
        phone = normalize_phone(ident)
        if phone:
            query |= Q(phone=phone)
        user = User.objects.filter(query).first()
        if user is None:
            User().set_password(password)  # same time whether or not the user exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
