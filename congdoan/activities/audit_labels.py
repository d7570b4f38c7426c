"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "activities.activity.create",
    label=_("Ghi hoạt động"),
    sentence=_("{actor} ghi hoạt động “{object}”"),
    fields={"kind": _("loại"), "held_on": _("ngày")},
)
register_action(
    "activities.activity.update",
    label=_("Sửa hoạt động"),
    sentence=_("{actor} sửa hoạt động “{object}”"),
    fields={"fields": _("trường đã sửa")},
)
register_action(
    "activities.activity.delete",
    label=_("Xóa hoạt động"),
    sentence=_("{actor} xóa hoạt động “{object}”"),
    fields={"title": _("tên"), "attendances": _("số người đã điểm danh")},
)
register_action(
    "activities.attendance.add",
    label=_("Điểm danh hoạt động"),
    sentence=_("{actor} ghi người tham dự hoạt động “{object}”"),
    fields={"added": _("số người thêm"), "source": _("nguồn")},
)
register_action(
    "activities.attendance.tick",
    label=_("Điểm danh trên điện thoại"),
    sentence=_("{actor} điểm danh hoạt động “{object}”"),
    fields={"added": _("số người thêm"), "removed": _("số người bỏ")},
)
register_action(
    "activities.attendance.import",
    label=_("Nhập danh sách tham dự"),
    sentence=_("{actor} nhập danh sách tham dự từ bảng tính"),
)
register_action(
    "activities.press.create",
    label=_("Ghi phối hợp báo chí"),
    sentence=_("{actor} ghi phối hợp báo chí “{object}”"),
    fields={"kind": _("loại"), "outlet": _("cơ quan báo chí")},
)
register_action(
    "activities.press.update",
    label=_("Sửa phối hợp báo chí"),
    sentence=_("{actor} sửa phối hợp báo chí “{object}”"),
    fields={"fields": _("trường đã sửa")},
)
register_action(
    "activities.press.delete",
    label=_("Xóa phối hợp báo chí"),
    sentence=_("{actor} xóa phối hợp báo chí “{object}”"),
)
register_action(
    "activities.example.submit",
    label=_("Gửi gương điển hình, mô hình hay"),
    sentence=_("{actor} gửi “{object}” lên cấp trên"),
)
register_action(
    "activities.example.forward",
    label=_("Chuyển gương, mô hình lên cấp trên"),
    sentence=_("{actor} chuyển “{object}” lên cấp trên"),
    fields={"to": _("đến"), "note": _("ghi chú")},
)
register_action(
    "activities.example.recognise",
    label=_("Ghi nhận gương, mô hình"),
    sentence=_("{actor} ghi nhận “{object}”"),
    fields={"note": _("ghi chú")},
)
register_action(
    "activities.example.return",
    label=_("Trả lại gương, mô hình"),
    sentence=_("{actor} trả lại “{object}”"),
    fields={"note": _("lý do")},
)
register_action(
    "activities.example.resubmit",
    label=_("Gửi lại gương, mô hình"),
    sentence=_("{actor} gửi lại “{object}” sau khi bổ sung"),
)
register_action(
    "activities.course.create",
    label=_("Tạo khóa tập huấn"),
    sentence=_("{actor} tạo khóa tập huấn “{object}”"),
)
register_action(
    "activities.session.create",
    label=_("Ghi buổi tập huấn"),
    sentence=_("{actor} ghi buổi tập huấn “{object}”"),
)
register_action(
    "activities.training.attend",
    label=_("Ghi người dự tập huấn"),
    sentence=_("{actor} ghi người dự buổi tập huấn “{object}”"),
    fields={"member": _("người dự"), "certificate": _("số chứng nhận")},
)
register_action(
    "activities.training.import",
    label=_("Nhập danh sách dự tập huấn"),
    sentence=_("{actor} nhập danh sách dự tập huấn từ bảng tính"),
)
register_action(
    "activities.training.remove",
    label=_("Bỏ người dự tập huấn"),
    sentence=_("{actor} bỏ người dự buổi tập huấn “{object}”"),
    fields={"member": _("người dự")},
)
register_action(
    "activities.channel.create",
    label=_("Đăng ký kênh"),
    sentence=_("{actor} đăng ký kênh “{object}”"),
)
register_action(
    "activities.channel.update",
    label=_("Sửa kênh"),
    sentence=_("{actor} sửa kênh “{object}”"),
)
register_action(
    "activities.presence.log",
    label=_("Ghi số bài đăng"),
    sentence=_("{actor} ghi số bài đăng của “{object}”"),
    fields={"kind": _("kênh"), "day": _("ngày"), "count": _("số bài")},
)
register_action(
    "activities.budget.save",
    label=_("Ghi kinh phí"),
    sentence=_("{actor} ghi kinh phí năm của đơn vị"),
    fields={
        "year": _("năm"),
        "communication_vnd": _("chi tuyên truyền"),
        "total_vnd": _("tổng chi"),
    },
)
