from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congdoan.core.registry import register_officer_link
from congdoan.periodic.registry import register_job


class OutboxConfig(AppConfig):
    name = "congdoan.outbox"
    label = "outbox"
    verbose_name = _("Hộp thư đi")

    def ready(self) -> None:
        register_officer_link(
            "outbox:health",
            _("Tình trạng kênh gửi tin"),
            order=90,
            description=_("Thư điện tử, SMS, Zalo: lần gửi được gần nhất, lỗi, tin đang chờ."),
        )
        register_job(
            "outbox.flush",
            every=lambda: timedelta(seconds=settings.OUTBOX_FLUSH_EVERY_SECONDS),
            run="congdoan.outbox.delivery.outbox_flush",
        )
        register_job(
            "outbox.prune",
            every=lambda: timedelta(days=1),
            run="congdoan.outbox.delivery.outbox_prune",
        )
