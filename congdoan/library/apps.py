from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "congdoan.library"
    label = "library"
    verbose_name = _("Thư viện tài liệu")

    def ready(self) -> None:
        from congdoan.core.registry import (  # lazy: app loading order (AppConfig.ready)
            register_officer_link,
            register_public_link,
        )

        register_officer_link(
            "library:list",
            _("Thư viện tài liệu"),
            20,
            _("Tải lên, số hóa, tìm kiếm và chia sẻ văn bản."),
        )
        register_officer_link(
            "library:indicator",
            _("Chỉ số số hóa tài liệu"),
            21,
            _("Tỷ lệ tài liệu được số hóa, mô tả và chia sẻ so với chỉ tiêu 80–90%."),
        )
        register_public_link(
            "library:public_list",
            _("Tài liệu công khai"),
            30,
            _("Văn bản công đoàn công bố công khai."),
        )
