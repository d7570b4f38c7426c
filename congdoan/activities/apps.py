"""What units do beyond publishing: direct communication activities and their attendance, press
coordination, good examples forwarded up the tree, training courses and who attended, each
unit's channels (fanpage, Zalo, union room, bulletin board) and its communication budget."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "congdoan.activities"
    label = "activities"
    verbose_name = _("Hoạt động, tập huấn, kênh và kinh phí")

    def ready(self) -> None:
        from congdoan.core.registry import (  # lazy: app loading order (AppConfig.ready)
            register_officer_link,
        )

        register_officer_link(
            "activities:list",
            _("Hoạt động truyền thông trực tiếp"),
            40,
            _(
                "Hội nghị, đối thoại, tọa đàm, điểm danh; báo chí, gương điển hình, tập huấn, "
                "fanpage và kinh phí."
            ),
        )
