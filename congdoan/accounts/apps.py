from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in

from congdoan.accounts.reauth import on_login


class AccountsConfig(AppConfig):
    name = "congdoan.accounts"
    label = "accounts"
    default = True

    def ready(self) -> None:
        # A login is a fresh authentication: security changes need none for a while.
        user_logged_in.connect(on_login, dispatch_uid="congdoan.accounts.reauth")


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: no password-only login (see admin_site.py)."""

    default = False
    default_site = "congdoan.accounts.admin_site.SecondFactorAdminSite"
