"""Online contests ("Tìm hiểu pháp luật lao động"…): rounds, a question bank, attempts timed
by the server, results with the prediction tie-break, certificates (docs/contests.md)."""

from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "congdoan.contests"
    label = "contests"
    verbose_name = _("Cuộc thi trực tuyến")

    def ready(self) -> None:
        from congdoan.core.registry import (  # lazy: app loading order
            register_officer_link,
            register_public_link,
        )
        from congdoan.periodic.registry import (  # lazy: app loading order (AppConfig.ready)
            register_job,
        )

        register_public_link(
            "contests:index",
            _("Cuộc thi"),
            order=14,
            description=_(
                "Cuộc thi trực tuyến tìm hiểu pháp luật, Công đoàn: vào thi trên điện thoại."
            ),
        )
        register_officer_link(
            "contests:manage",
            _("Cuộc thi trực tuyến"),
            47,
            _(
                "Tạo cuộc thi, ngân hàng câu hỏi, kết quả theo đơn vị, giải thưởng, giấy chứng nhận."
            ),
        )
        # Reads expire an attempt whose time is up lazily; this sweep scores the ones nobody
        # comes back to, so results and the plan's evidence need no visit.
        register_job(
            "contests.expire_overdue",
            every=lambda: timedelta(minutes=5),
            run="congdoan.contests.services.attempts.expire_overdue",
        )
