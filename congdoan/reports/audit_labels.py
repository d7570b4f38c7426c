"""How the audit log reads the actions of periodic reports (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "reports.report.save",
    label=_("Soạn báo cáo định kỳ"),
    sentence=_("{actor} soạn báo cáo định kỳ “{object}”"),
    fields={"fields": _("các trường đã sửa")},
)
register_action(
    "reports.report.submit",
    label=_("Nộp báo cáo định kỳ"),
    sentence=_("{actor} nộp báo cáo định kỳ “{object}”"),
)
register_action(
    "reports.report.return",
    label=_("Trả lại báo cáo định kỳ"),
    sentence=_("{actor} trả lại báo cáo định kỳ “{object}”"),
    fields={"reason": _("lý do")},
)
register_action(
    "reports.report.accept",
    label=_("Chấp nhận báo cáo định kỳ"),
    sentence=_("{actor} chấp nhận báo cáo định kỳ “{object}”"),
)
