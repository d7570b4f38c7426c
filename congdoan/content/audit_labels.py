"""How the audit log reads content's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "content.product.create",
    label=_("Viết sản phẩm truyền thông"),
    sentence=_("{actor} viết sản phẩm “{object}”"),
    fields={"kind": _("loại sản phẩm")},
)
register_action(
    "content.product.update",
    label=_("Sửa sản phẩm truyền thông"),
    sentence=_("{actor} sửa sản phẩm “{object}”"),
    fields={"fields": _("các trường đã sửa")},
)
register_action(
    "content.product.correct",
    label=_("Đính chính sản phẩm đã đăng"),
    sentence=_("{actor} đính chính sản phẩm đã đăng “{object}”"),
    fields={"fields": _("các trường đã sửa")},
)
register_action(
    "content.product.submit",
    label=_("Gửi duyệt sản phẩm"),
    sentence=_("{actor} gửi duyệt sản phẩm “{object}”"),
)
register_action(
    "content.product.approve",
    label=_("Duyệt sản phẩm"),
    sentence=_("{actor} duyệt sản phẩm “{object}”"),
)
register_action(
    "content.product.reject",
    label=_("Trả lại sản phẩm"),
    sentence=_("{actor} trả lại sản phẩm “{object}” để sửa"),
)
register_action(
    "content.product.schedule",
    label=_("Hẹn giờ đăng sản phẩm"),
    sentence=_("{actor} hẹn giờ đăng sản phẩm “{object}”"),
    fields={"publish_at": _("thời điểm đăng")},
)
register_action(
    "content.product.publish",
    label=_("Đăng sản phẩm"),
    sentence=_("{actor} đăng sản phẩm “{object}”"),
)
register_action(
    "content.product.archive",
    label=_("Lưu trữ sản phẩm"),
    sentence=_("{actor} đưa sản phẩm “{object}” vào lưu trữ"),
)
register_action(
    "content.product.comment",
    label=_("Trao đổi về sản phẩm"),
    sentence=_("{actor} ghi ý kiến về sản phẩm “{object}”"),
)
register_action(
    "content.product.reuse",
    label=_("Dùng lại sản phẩm"),
    sentence=_("{actor} dùng lại một sản phẩm của đơn vị khác thành “{object}”"),
    fields={"source": _("sản phẩm gốc")},
)
register_action(
    "content.settings.update",
    label=_("Đổi cách duyệt sản phẩm truyền thông"),
    sentence=_("{actor} đổi cách duyệt sản phẩm truyền thông của {object}"),
    fields={"approval_by": _("người duyệt"), "allow_self_approval": _("cho phép tự duyệt")},
)
register_action(
    "content.media.add",
    label=_("Thêm tệp vào sản phẩm"),
    sentence=_("{actor} thêm tệp vào sản phẩm “{object}”"),
    fields={"kind": _("loại tệp"), "size": _("dung lượng")},
)
register_action(
    "content.media.remove",
    label=_("Gỡ tệp khỏi sản phẩm"),
    sentence=_("{actor} gỡ một tệp khỏi sản phẩm “{object}”"),
)
# The calendar's private iCalendar link (calendar_ical.py).
register_action(
    "content.calendar_link.create",
    label=_("Tạo đường dẫn lịch riêng"),
    sentence=_("{actor} tạo đường dẫn lịch truyền thông riêng (đường dẫn cũ ngừng hoạt động)"),
)
register_action(
    "content.calendar_link.revoke",
    label=_("Thu hồi đường dẫn lịch riêng"),
    sentence=_("{actor} thu hồi đường dẫn lịch truyền thông riêng"),
    fields={"links": _("số đường dẫn")},
)
register_action(
    "content.audio_render",
    label=_("Tạo bản tin âm thanh"),
    sentence=_("{actor} tạo bản tin âm thanh cho sản phẩm “{object}”"),
    fields={
        "media": _("tệp âm thanh"),
        "seconds": _("thời lượng (giây)"),
        "format": _("định dạng"),
    },
)
