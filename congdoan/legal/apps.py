"""Labour law for workers: laws and decrees with their structure and versions, the union's
curated answers, and questions answered from a worker's own words (docs/legal.md)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "congdoan.legal"
    label = "legal"
    verbose_name = _("Hỏi đáp pháp luật")

    def ready(self) -> None:
        from congdoan.core import page_cache  # lazy: app loading order
        from congdoan.core.registry import (  # lazy: app loading order
            register_officer_link,
            register_public_link,
        )
        from congdoan.legal import hooks_content  # lazy: imports models (app loading)
        from congdoan.legal.models import (  # lazy: app loading order (AppConfig.ready)
            AnswerCitation,
            Article,
            ArticleVersion,
            Citation,
            CuratedAnswer,
            Law,
        )

        register_public_link(
            "legal:ask",
            _("Hỏi đáp pháp luật"),
            order=12,
            description=_("Hỏi về quyền lợi khi đi làm: nghỉ phép, làm thêm giờ, tiền lương…"),
        )
        register_officer_link(
            "legal:manage",
            _("Hỏi đáp pháp luật"),
            45,
            _("Câu trả lời pháp luật của Công đoàn, câu hỏi chưa có câu trả lời, nhập văn bản."),
        )
        # The public law pages are kept for anonymous visitors: a new text or answer leaves
        # them behind at once. Not AskedQuestion: it is written on every question.
        page_cache.watch(Law, Article, ArticleVersion, CuratedAnswer, AnswerCitation)
        # Content's product pages show the articles a product cites (hooks_content: the
        # studio's panel, "Căn cứ pháp lý" on the public page); a citation changes them.
        hooks_content.register()
        page_cache.watch(Citation)
