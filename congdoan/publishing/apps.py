from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congdoan.core.registry import register_officer_link
from congdoan.periodic.registry import register_job


class PublishingConfig(AppConfig):
    name = "congdoan.publishing"
    label = "publishing"
    verbose_name = _("Xuất bản lên các kênh")

    def ready(self) -> None:
        from congdoan.content import hooks  # lazy: imports models (app loading)
        from congdoan.outbox.channels import accounts  # lazy: imports models (app loading)
        from congdoan.publishing import backend, metrics, publications, zalo  # lazy: app loading

        # The outbox's Facebook and YouTube channels read credentials here; its signals bring
        # each post's outcome back (publications.py registers its receivers on import).
        accounts.register_backend(backend.BACKEND)
        # Zalo OA: the outbox's token source (the units' accounts) and the refresh job.
        zalo.register()
        metrics.register()  # reach figures: the job, and the figures for content's pages
        from congdoan.publishing import presence  # lazy: imports models (app loading)

        presence.register()  # fanpage activity: posts a day from the Graph API → activities
        hooks.register_on_published(publications.publish_to_chosen)
        from congdoan.publishing.rules import can_manage_channels  # lazy: app loading

        hooks.register_product_link(  # the studio's product page → choosing its channels
            _("Chọn kênh đăng"),
            "publishing:product",
            visible=lambda viewer, product: can_manage_channels(viewer, product.unit),
        )
        register_job(
            "publishing.refresh",
            every=lambda: timedelta(minutes=settings.CHANNEL_REFRESH_EVERY_MINUTES),
            run="congdoan.publishing.refresh.channels_refresh",
        )
        register_officer_link(
            "publishing:accounts",
            _("Kênh xuất bản"),
            order=60,
            description=_(
                "Trang Facebook, kênh YouTube, Zalo OA của đơn vị: kết nối, hạn dùng, bài đã đăng."
            ),
        )
