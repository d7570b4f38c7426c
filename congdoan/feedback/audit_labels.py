"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "feedback.record",
    label=_("Ghi nhận ý kiến"),
    sentence=_("{actor} ghi nhận ý kiến {object} thay người lao động"),
    fields={"anonymous": _("ẩn danh")},
    kinds={"anonymous": "yes_no"},
)
register_action(
    "feedback.import",
    label=_("Nhập ý kiến từ tệp"),
    sentence=_("{actor} nhập ý kiến từ tệp vào {object}"),
    fields={
        "file": _("tệp"),
        "rows": _("số dòng"),
        "created": _("số ý kiến thêm mới"),
        "already": _("số dòng đã nhập từ trước"),
        "skipped_invalid": _("số dòng lỗi bỏ qua"),
        "units": _("các đơn vị"),
    },
    kinds={"units": "list"},
)
register_action(
    "feedback.contact_export",
    label=_("Xuất dữ liệu liên hệ"),
    sentence=_("{actor} xuất dữ liệu liên hệ của người gửi ý kiến"),
    fields={"rows": _("số dòng")},
)
register_action(
    "feedback.correct",
    label=_("Sửa phân loại ý kiến"),
    sentence=_("{actor} sửa phân loại ý kiến {object}"),
)
register_action(
    "feedback.assign",
    label=_("Giao ý kiến"),
    sentence=_("{actor} giao xử lý ý kiến {object}"),
    fields={"assignee": _("cán bộ xử lý"), "unit": _("đơn vị xử lý")},
    kinds={"assignee": "user_id", "unit": "unit_code"},
)
register_action(
    "feedback.forward",
    label=_("Chuyển ý kiến lên cấp trên"),
    sentence=_("{actor} chuyển ý kiến {object} lên cấp trên"),
    fields={"to": _("chuyển tới")},
    kinds={"to": "unit_code"},
)
register_action(
    "feedback.start",
    label=_("Bắt đầu xử lý ý kiến"),
    sentence=_("{actor} bắt đầu xử lý ý kiến {object}"),
)
register_action(
    "feedback.answer",
    label=_("Trả lời ý kiến"),
    sentence=_("{actor} trả lời ý kiến {object}"),
    fields={"citation": _("căn cứ"), "on_time": _("đúng hạn")},
    kinds={"on_time": "yes_no"},
)
register_action(
    "feedback.close",
    label=_("Đóng ý kiến"),
    sentence=_("{actor} đóng ý kiến {object}"),
    fields={"note": _("ghi chú")},
)
register_action(
    "feedback.note",
    label=_("Ghi chú nội bộ"),
    sentence=_("{actor} ghi chú nội bộ vào ý kiến {object}"),
)
register_action(
    "feedback.erase_contact",
    label=_("Xóa thông tin liên hệ"),
    sentence=_("{actor} xóa thông tin liên hệ của người gửi ý kiến {object}"),
)
register_action(
    "feedback.answer_correct",
    label=_("Sửa trả lời đã gửi"),
    sentence=_("{actor} sửa trả lời đã gửi của ý kiến {object}"),
    fields={"version": _("phiên bản")},
)
register_action(
    "feedback.model.retrain",
    label=_("Huấn luyện lại mô hình phân loại"),
    sentence=_("{actor} cho huấn luyện lại mô hình phân loại ý kiến"),
)
