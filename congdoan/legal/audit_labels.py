"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "legal.law.import",
    label=_("Nhập văn bản pháp luật"),
    sentence=_("{actor} nhập văn bản “{object}”"),
    fields={
        "articles": _("số điều"),
        "new_versions": _("số điều có nội dung mới"),
        "flagged_answers": _("số câu trả lời cần rà soát"),
    },
)
register_action(
    "legal.answer.create",
    label=_("Viết câu trả lời pháp luật"),
    sentence=_("{actor} viết câu trả lời “{object}”"),
)
register_action(
    "legal.answer.update",
    label=_("Sửa câu trả lời pháp luật"),
    sentence=_("{actor} sửa câu trả lời “{object}”"),
    fields={"fields": _("trường đã sửa")},
)
register_action(
    "legal.answer.publish",
    label=_("Đăng câu trả lời pháp luật"),
    sentence=_("{actor} đăng câu trả lời “{object}”"),
)
register_action(
    "legal.answer.unpublish",
    label=_("Gỡ câu trả lời pháp luật"),
    sentence=_("{actor} gỡ câu trả lời “{object}” khỏi trang hỏi đáp"),
)
register_action(
    "legal.answer.review",
    label=_("Rà soát câu trả lời pháp luật"),
    sentence=_("{actor} rà soát câu trả lời “{object}” theo điều luật mới"),
)
register_action(
    "legal.answer.delete",
    label=_("Xóa câu trả lời pháp luật"),
    sentence=_("{actor} xóa câu trả lời “{object}”"),
)
register_action(
    "legal.citation.add",
    label=_("Dẫn điều luật"),
    sentence=_("{actor} dẫn điều luật cho “{object}”"),
    fields={"article": _("điều luật")},
)
register_action(
    "legal.citation.remove",
    label=_("Bỏ dẫn điều luật"),
    sentence=_("{actor} bỏ một điều luật đã dẫn khỏi “{object}”"),
    fields={"article": _("điều luật")},
)
