"""Six-month and annual reports: forms pre-filled from the platform, narrative, submission and
acceptance, consolidation up the tree, frozen once submitted, exported as DOCX, PDF and XLSX in
the Vietnamese administrative format (docs/plan.md, "Reports")."""

from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "congdoan.reports"
    label = "reports"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        from congdoan.core.registry import (  # lazy: app loading order (AppConfig.ready)
            register_officer_link,
        )
        from congdoan.periodic.registry import (  # lazy: app loading order (AppConfig.ready)
            register_job,
        )

        register_officer_link(
            "reports:list",
            _("Báo cáo định kỳ"),
            60,
            _("Báo cáo 6 tháng và năm: số liệu điền sẵn, nộp, duyệt, tổng hợp, tải DOCX/PDF."),
        )
        register_job(
            "reports.remind",
            every=lambda: timedelta(minutes=settings.REPORTS_REMIND_EVERY_MINUTES),
            run="congdoan.reports.deadlines.send_reminders",
        )
