"""The content app: communication products (news, explainers, posters, events…), their
workflow from draft to publication, their versions and the library shared between units."""

from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "congdoan.content"
    label = "content"
    verbose_name = _("Sản phẩm truyền thông")

    def ready(self) -> None:
        from congdoan.content import bulletin_setup  # lazy: app loading order (AppConfig.ready)
        from congdoan.content.models import (  # lazy: app loading order (AppConfig.ready)
            ContentSettings,
            Product,
            ProductMedia,
            Theme,
        )
        from congdoan.core import page_cache  # lazy: app loading order (AppConfig.ready)
        from congdoan.core.registry import (  # lazy: app loading order (AppConfig.ready)
            register_officer_link,
        )
        from congdoan.orgs.models import (  # lazy: app loading order (AppConfig.ready)
            SiteSettings,
            Unit,
        )
        from congdoan.periodic.registry import (  # lazy: app loading order (AppConfig.ready)
            register_job,
        )

        register_officer_link(
            "content:list",
            _("Sản phẩm truyền thông"),
            15,
            _("Viết tin bài từ điện thoại, gửi duyệt, hẹn giờ đăng; thư viện dùng chung."),
        )

        register_job(
            "content.publish_due",
            every=lambda: timedelta(minutes=settings.CONTENT_PUBLISH_EVERY_MINUTES),
            run="congdoan.content.services.publish_due",
        )
        register_job(
            "content.photo_renditions",
            every=lambda: timedelta(hours=1),
            run="congdoan.content.media.photo_renditions_due",
        )
        bulletin_setup.register()  # the e-bulletin's and the calendar's jobs and links
        page_cache.watch(Product, ProductMedia, Theme, ContentSettings, Unit, SiteSettings)
