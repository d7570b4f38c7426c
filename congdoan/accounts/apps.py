from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "congdoan.accounts"
    label = "accounts"
    default = True


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: no password-only login (see admin_site.py)."""

    default = False
    default_site = "congdoan.accounts.admin_site.SecondFactorAdminSite"
