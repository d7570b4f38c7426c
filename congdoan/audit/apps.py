from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "congdoan.audit"
    label = "audit"

    def ready(self) -> None:
        # Each app describes its own actions in `<app>/audit_labels.py` (see audit/registry.py).
        autodiscover_modules("audit_labels")
