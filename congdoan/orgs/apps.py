from __future__ import annotations

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "congdoan.orgs"
    label = "orgs"
