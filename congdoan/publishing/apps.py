from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "congdoan.publishing"
    label = "publishing"
    verbose_name = _("Xuất bản lên các kênh")

    def ready(self) -> None:
        from congdoan.publishing import zalo  # lazy: imports models (app loading)

        # Zalo OA: the outbox's token source (the units' accounts) and the refresh job.
        zalo.register()
