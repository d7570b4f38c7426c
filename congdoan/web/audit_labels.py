"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "tasks.retry",
    label=_("Chạy lại công việc nền bị lỗi"),
    sentence=_("{actor} cho chạy lại một công việc nền bị lỗi"),
    fields={
        "task": _("mã công việc"),
        "name": _("công việc"),
        "queue": _("hàng đợi"),
        "error": _("lỗi"),
    },
)
