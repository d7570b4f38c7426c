"""Surveys of members (the plan's standing survey of information needs and others): built on
the page or imported from XLSForm, answered on a phone, charted and exported (docs/surveys.md)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "congdoan.surveys"
    label = "surveys"
    verbose_name = _("Khảo sát")

    def ready(self) -> None:
        from congdoan.core.registry import (  # lazy: app loading order
            register_officer_link,
            register_public_link,
        )

        register_public_link(
            "surveys:index",
            _("Khảo sát"),
            order=30,
            description=_("Cho Công đoàn biết bạn cần thông tin gì, nhận qua kênh nào."),
        )
        register_officer_link(
            "surveys:manage",
            _("Khảo sát"),
            55,
            _("Soạn hoặc nhập khảo sát (XLSForm), mở cho đoàn viên, xem tỉ lệ trả lời và kết quả."),
        )
