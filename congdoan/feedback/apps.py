from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congdoan.core.registry import register_officer_link, register_public_link
from congdoan.feedback import checks  # noqa: F401  (registers SITE_URL's deploy check)
from congdoan.periodic.registry import register_job


class FeedbackConfig(AppConfig):
    name = "congdoan.feedback"
    label = "feedback"
    verbose_name = _("Ý kiến người lao động")

    def ready(self) -> None:
        # Each registers itself on import: the tasks with services.queue, the outcomes with the
        # outbox's signals.
        from congdoan.feedback import tasks  # noqa: F401  # lazy: imports models (app loading)
        from congdoan.feedback.channels import outcomes  # noqa: F401  # lazy: imports models (app loading)

        # The deadline sweep runs on the scheduler's clock, whatever became of its last run.
        register_job(
            "feedback.check_deadlines",
            every=lambda: timedelta(minutes=settings.FEEDBACK_CHECK_EVERY_MINUTES),
            run="congdoan.feedback.deadlines.check_deadlines",
        )

        register_public_link(
            "feedback:submit",
            _("Gửi tâm tư, nguyện vọng"),
            order=10,
            description=_("Gửi ý kiến tới công đoàn, có thể ẩn danh, nhận mã để theo dõi."),
        )
        register_public_link("feedback:track_lookup", _("Tra cứu ý kiến đã gửi"), order=11)
        register_officer_link(
            "feedback:inbox",
            _("Hộp thư ý kiến người lao động"),
            order=10,
            description=_("Tiếp nhận, phân loại, trả lời tâm tư, nguyện vọng."),
        )
        register_officer_link("feedback:dashboard", _("Thống kê ý kiến"), order=11)
        register_officer_link(
            "feedback_channels:import",
            _("Nhập phiếu ý kiến giấy"),
            order=12,
            description=_("Nhập phiếu ý kiến thu trên giấy từ tệp XLSX/CSV."),
        )
