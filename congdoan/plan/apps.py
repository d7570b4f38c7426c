"""The communication plan as data: its targets as indicators computed from live data per unit
and period, stored as per-unit figures and rolled up the tree as it was in that period, and the
targets dashboard."""

from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How often the periodic job recomputes the current half-year, year and month's trend point.
REFRESH_EVERY = timedelta(hours=3)


class PlanConfig(AppConfig):
    name = "congdoan.plan"
    label = "plan"
    verbose_name = _("Kế hoạch và chỉ tiêu")

    def ready(self) -> None:
        from congdoan.core.registry import (  # lazy: app loading order (AppConfig.ready)
            register_officer_link,
        )
        from congdoan.periodic.registry import (  # lazy: app loading order (AppConfig.ready)
            register_job,
        )

        register_officer_link(
            "plan:dashboard",
            _("Chỉ tiêu kế hoạch truyền thông"),
            15,
            _("Các chỉ tiêu, mức đạt, xu hướng và đơn vị còn thấp, xem đến từng bằng chứng."),
        )
        register_job(
            "plan.refresh_figures",
            every=lambda: REFRESH_EVERY,
            run="congdoan.plan.services.refresh_current",
        )
