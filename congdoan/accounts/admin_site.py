"""The admin site behind the same login as the rest of the application.

Django's own admin login form asks only for a password; ours asks for the TOTP code of an
account that has one. So the admin has no login form of its own (its login URL sends people to
ours), and a session whose user has a confirmed device must have passed that device's code
(django-otp's `is_verified()`) before any admin page opens.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from congdoan.accounts.twofactor import session_passed_second_factor


class SecondFactorAdminSite(admin.AdminSite):
    site_header = _("Công Đoàn Số — quản trị")
    site_title = _("Công Đoàn Số")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and session_passed_second_factor(request)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Send people to the application's login (password, then the code when they have 2FA)."""
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
