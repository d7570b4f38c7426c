"""Whether a session passed the second factor its user has."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp import devices_for_user


def has_second_factor(user: object) -> bool:
    """True when the user has a confirmed TOTP (or other django-otp) device."""
    return any(True for _device in devices_for_user(user, confirmed=True))


def session_passed_second_factor(request: HttpRequest) -> bool:
    """A session of a user with a device counts only once a code was entered in it."""
    user = request.user
    if not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return True
    return not has_second_factor(user)
