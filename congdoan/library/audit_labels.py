"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "library.document.upload",
    label=_("Tải lên tài liệu"),
    sentence=_("{actor} tải lên tài liệu “{object}”"),
    fields={"name": _("tên tệp")},
)
register_action(
    "library.document.correct",
    label=_("Sửa thông tin tài liệu"),
    sentence=_("{actor} sửa thông tin của tài liệu “{object}”"),
)
register_action(
    "library.document.share",
    label=_("Đổi mức chia sẻ tài liệu"),
    sentence=_("{actor} đổi mức chia sẻ của tài liệu “{object}”"),
)
register_action(
    "library.document.retry",
    label=_("Nhận dạng lại tài liệu"),
    sentence=_("{actor} cho nhận dạng chữ lại tài liệu “{object}”"),
    fields={"pages": _("số trang")},
)
register_action(
    "library.document.reread",
    label=_("Đọc lại lớp chữ của tài liệu"),
    sentence=_("{actor} chọn cách đọc lớp chữ của tài liệu “{object}”"),
    fields={"choice": _("cách đọc")},
)
