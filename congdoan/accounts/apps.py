from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in

from congdoan.accounts.reauth import on_login
from congdoan.core.registry import register_zalo_prefix


class AccountsConfig(AppConfig):
    name = "congdoan.accounts"
    label = "accounts"
    default = True

    def ready(self) -> None:
        from congdoan.accounts import zalo  # lazy: imports models (app loading)

        # A login is a fresh authentication: security changes need none for a while.
        user_logged_in.connect(on_login, dispatch_uid="congdoan.accounts.reauth")
        # "#lienket <code>" sent to the union's Zalo OA links the sender's Zalo account
        # (feedback's Zalo intake reads the registry, in the floor: accounts imports no feedback).
        for prefix in zalo.ZALO_PREFIXES:
            register_zalo_prefix(prefix, zalo.ZALO_HANDLER)


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: no password-only login (see admin_site.py)."""

    default = False
    default_site = "congdoan.accounts.admin_site.SecondFactorAdminSite"
