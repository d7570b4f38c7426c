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
