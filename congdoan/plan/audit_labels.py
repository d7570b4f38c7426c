"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "plan.plan.create",
    label=_("Tạo kế hoạch"),
    sentence=_("{actor} tạo kế hoạch “{object}”"),
    fields={"title": _("tên kế hoạch"), "years": _("giai đoạn")},
)
register_action(
    "plan.target.set",
    label=_("Đặt chỉ tiêu"),
    sentence=_("{actor} đặt chỉ tiêu cho kế hoạch “{object}”"),
    fields={"indicator": _("chỉ tiêu"), "value": _("mức phải đạt"), "year": _("năm")},
)
register_action(
    "plan.figures.import",
    label=_("Nhập số liệu chỉ tiêu các kỳ trước"),
    sentence=_("{actor} nhập số liệu chỉ tiêu các kỳ trước cho “{object}”"),
    fields={"file": _("tệp"), "rows": _("số dòng"), "created": _("đã nhập")},
)
register_action(
    "plan.figures.replace_imported",
    label=_("Thay số liệu nhập tay bằng số liệu trên hệ thống"),
    sentence=_("{actor} thay số liệu nhập tay bằng số liệu trên hệ thống cho “{object}”"),
    fields={"period": _("kỳ"), "written": _("số dòng tính lại")},
)
