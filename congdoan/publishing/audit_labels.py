"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "publishing.account.connect",
    label=_("Kết nối kênh"),
    sentence=_("{actor} kết nối kênh {object}"),
    fields={"kind": _("loại kênh"), "name": _("tên"), "reconnected": _("kết nối lại")},
)
register_action(
    "publishing.account.disconnect",
    label=_("Bỏ kết nối kênh"),
    sentence=_("{actor} bỏ kết nối kênh {object}"),
    fields={"kind": _("loại kênh"), "name": _("tên")},
)
register_action(
    "publishing.publication.enqueue",
    label=_("Đăng lên kênh"),
    sentence=_("{actor} đăng {object}"),
    fields={"product": _("sản phẩm"), "account": _("kênh"), "version": _("phiên bản")},
)
register_action(
    "publishing.publication.retry",
    label=_("Đăng lại lên kênh"),
    sentence=_("{actor} cho đăng lại {object}"),
    fields={"account": _("kênh")},
)
register_action(
    "publishing.choices.set",
    label=_("Chọn kênh đăng"),
    sentence=_("{actor} chọn kênh đăng cho {object}"),
    fields={"accounts": _("kênh")},
)
