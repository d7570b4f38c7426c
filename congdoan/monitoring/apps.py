"""Information monitoring: sources watched on a schedule, items scored for relevance, toxicity,
stance and known false claims, copies grouped into narratives, the handling workflow, alerts
and the plan's "80 % handled" figure (docs/monitoring.md)."""

from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "congdoan.monitoring"
    label = "monitoring"
    verbose_name = _("Theo dõi thông tin")

    def ready(self) -> None:
        from congdoan.audit.registry import (  # lazy: app loading order (AppConfig.ready)
            register_action,
        )
        from congdoan.core.registry import (  # lazy: app loading order (AppConfig.ready)
            register_officer_link,
            register_public_link,
        )
        from congdoan.feedback.services import (  # lazy: app loading order (AppConfig.ready)
            register_zalo_prefix,
        )
        from congdoan.monitoring.services import (  # lazy: app loading order (AppConfig.ready)
            tips,
        )
        from congdoan.periodic.registry import (  # lazy: app loading order (AppConfig.ready)
            register_job,
        )
        from congdoan.text.eval_registry import (  # lazy: app loading order (AppConfig.ready)
            register as register_evaluation,
        )

        register_officer_link(
            "monitoring:index",
            _("Theo dõi thông tin"),
            48,
            _(
                "Tin sai sự thật, độc hại về người lao động và Công đoàn: phát hiện, gom luồng, "
                "xác minh, xử lý, tỷ lệ xử lý so với chỉ tiêu 80 %."
            ),
        )
        # Officers and members (the form asks to log in first).
        register_public_link(
            "monitoring:tip",
            _("Báo tin sai sự thật"),
            order=35,
            description=_(
                "Thấy tin sai, xúc phạm về người lao động, Công đoàn? Báo cho Công đoàn."
            ),
        )
        # A Zalo message to the OA starting "#baotin …" is a tip, not a concern.
        for prefix in tips.ZALO_PREFIXES:
            register_zalo_prefix(prefix, tips.ZALO_HANDLER)
        # `congdoan nlp eval --only stance claim-match toxicity-pipeline`: on the project's
        # labelled sets (imported only when the command runs them).
        register_evaluation("stance", "congdoan.monitoring.stance_eval.eval_stance")
        register_evaluation("claim-match", "congdoan.monitoring.claim_eval.eval_claim_match")
        register_evaluation(
            "toxicity-pipeline", "congdoan.monitoring.pipeline_eval.eval_toxicity_pipeline"
        )
        register_job(
            "monitoring.fetch_due",
            every=lambda: timedelta(minutes=settings.MONITORING_FETCH_DUE_EVERY_MINUTES),
            run="congdoan.monitoring.services.sources.fetch_due",
        )
        register_job(
            "monitoring.send_alerts",
            every=lambda: timedelta(minutes=10),
            run="congdoan.monitoring.alerts.send_alerts",
        )
        register_job(
            "monitoring.clear_personal_data",
            every=lambda: timedelta(days=1),
            run="congdoan.monitoring.services.retention.clear_personal_data",
        )
        # The plan's "false_info_handled" figure is `selectors.handled_figures`; the plan, a layer
        # above, names it itself (congdoan/plan/indicators/monitoring.py), as it does the
        # other apps' sources: a domain app never imports the plan.
        # The pages' own audited actions (the services' words: audit_labels.py).
        register_action(
            "monitoring.report.export",
            label=_("Xuất báo cáo theo dõi thông tin"),
            sentence=_("{actor} xuất báo cáo theo dõi thông tin"),
            fields={"year": _("năm"), "rows": _("số dòng"), "format": _("định dạng")},
        )
        register_action(
            "monitoring.source.upload",
            label=_("Tải tệp xuất lên nguồn theo dõi"),
            sentence=_("{actor} tải tệp xuất lên nguồn {object}"),
            fields={
                "file": _("tệp"),
                "new": _("tin mới"),
                "duplicate": _("tin trùng"),
                "refused": _("tin bị từ chối"),
            },
        )
