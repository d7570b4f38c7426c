"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "unit.create",
    label=_("Thành lập đơn vị"),
    sentence=_("{actor} thành lập đơn vị {object}"),
)
register_action(
    "unit.rename",
    label=_("Đổi tên đơn vị"),
    sentence=_("{actor} đổi tên đơn vị {object}"),
)
register_action(
    "unit.move",
    label=_("Chuyển đơn vị sang cấp trên khác"),
    sentence=_("{actor} chuyển đơn vị {object} sang cấp trên khác"),
    fields={"parent": _("cấp trên")},
    kinds={"parent": "unit_id"},
)
register_action(
    "unit.merge",
    label=_("Sáp nhập đơn vị"),
    sentence=_("{actor} sáp nhập đơn vị {object} vào đơn vị khác"),
    fields={"into": _("sáp nhập vào"), "members_moved": _("số đoàn viên chuyển sang")},
    kinds={"into": "unit_code"},
)
register_action(
    "member.create",
    label=_("Thêm đoàn viên"),
    sentence=_("{actor} thêm đoàn viên {object}"),
)
register_action(
    "member.update",
    label=_("Sửa thông tin đoàn viên"),
    sentence=_("{actor} sửa thông tin đoàn viên {object}"),
)
register_action(
    "member.import",
    label=_("Nhập danh sách đoàn viên"),
    sentence=_("{actor} nhập danh sách đoàn viên từ tệp vào {object}"),
    fields={
        "file": _("tệp"),
        "rows": _("số dòng"),
        "created": _("số đoàn viên thêm mới"),
        "skipped": _("số dòng bỏ qua"),
        "skipped_lines": _("các dòng bỏ qua"),
    },
    kinds={"skipped_lines": "list"},
)
register_action(
    "appointment.create",
    label=_("Phân công cán bộ"),
    sentence=_("{actor} phân công {object}"),
)
register_action(
    "member.end",
    label=_("Kết thúc sinh hoạt công đoàn"),
    sentence=_("{actor} ghi nhận đoàn viên {object} thôi sinh hoạt công đoàn"),
    fields={"reason": _("lý do")},
)
register_action(
    "member.rejoin",
    label=_("Đoàn viên sinh hoạt lại"),
    sentence=_("{actor} ghi nhận đoàn viên {object} sinh hoạt lại"),
    kinds={"unit": "unit_code"},
)
register_action(
    "member.export",
    label=_("Xuất danh sách đoàn viên"),
    sentence=_("{actor} xuất danh sách đoàn viên của {object} ra tệp Excel"),
    fields={"rows": _("số dòng"), "filters": _("bộ lọc")},
)
