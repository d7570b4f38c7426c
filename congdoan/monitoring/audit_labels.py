"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "monitoring.narrative.transition",
    label=_("Chuyển tình trạng luồng thông tin"),
    sentence=_("{actor} chuyển tình trạng luồng thông tin “{object}”"),
    fields={
        "from": _("từ"),
        "to": _("sang"),
        "reason": _("lý do"),
        "response_kind": _("hình thức xử lý"),
        "product": _("sản phẩm truyền thông"),
    },
)
register_action(
    "monitoring.narrative.assign",
    label=_("Phân công xử lý luồng thông tin"),
    sentence=_("{actor} phân công xử lý luồng thông tin “{object}”"),
    fields={"assignee": _("người phụ trách"), "previous": _("người trước"), "deadline": _("hạn")},
    kinds={"assignee": "user_id", "previous": "user_id"},
)
register_action(
    "monitoring.narrative.note",
    label=_("Ghi chú luồng thông tin"),
    sentence=_("{actor} ghi chú vào luồng thông tin “{object}”"),
    fields={"length": _("số ký tự")},
    kinds={"length": "count"},
)
register_action(
    "monitoring.item.snapshot",
    label=_("Lưu bằng chứng"),
    sentence=_("{actor} lưu bằng chứng của tin “{object}”"),
    fields={"url": _("địa chỉ"), "kept": _("đã lưu"), "error": _("lỗi")},
    kinds={"kept": "yes_no"},
)
register_action(
    "monitoring.claim.create",
    label=_("Thêm thông tin sai sự thật đã biết"),
    sentence=_("{actor} thêm thông tin sai sự thật “{object}”"),
)
register_action(
    "monitoring.claim.update",
    label=_("Sửa thông tin sai sự thật đã biết"),
    sentence=_("{actor} sửa thông tin sai sự thật “{object}”"),
    fields={"fields": _("trường đã sửa")},
    kinds={"fields": "list"},
)
register_action(
    "monitoring.claim.deactivate",
    label=_("Ngừng đối chiếu thông tin sai sự thật"),
    sentence=_("{actor} ngừng đối chiếu thông tin sai sự thật “{object}”"),
)
register_action(
    "monitoring.claim.activate",
    label=_("Dùng lại thông tin sai sự thật để đối chiếu"),
    sentence=_("{actor} dùng lại thông tin sai sự thật “{object}” để đối chiếu"),
)
# Sources and tips (written by services/sources.py and services/tips.py).
register_action(
    "monitoring.source.create",
    label=_("Thêm nguồn theo dõi"),
    sentence=_("{actor} thêm nguồn theo dõi “{object}”"),
    fields={"kind": _("loại nguồn"), "url": _("địa chỉ"), "external_ref": _("mã trang, mã video")},
)
register_action(
    "monitoring.source.update",
    label=_("Sửa nguồn theo dõi"),
    sentence=_("{actor} sửa nguồn theo dõi “{object}”"),
    fields={"fields": _("trường đã sửa")},
    kinds={"fields": "list"},
)
register_action(
    "monitoring.tip.submit",
    label=_("Gửi tin báo"),
    sentence=_("{actor} gửi tin báo “{object}”"),
    fields={"channel": _("kênh"), "url": _("đường dẫn")},
)
