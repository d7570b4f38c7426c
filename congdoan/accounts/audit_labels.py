"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "account.2fa_enable",
    label=_("Bật xác thực hai lớp"),
    sentence=_("{actor} bật xác thực hai lớp cho tài khoản {object}"),
)
register_action(
    "account.2fa_disable",
    label=_("Tắt xác thực hai lớp"),
    sentence=_("{actor} tắt xác thực hai lớp của tài khoản {object}"),
)
register_action(
    "api_token.create",
    label=_("Tạo mã API"),
    sentence=_("{actor} tạo mã API {object}"),
    fields={"name": _("tên mã")},
)
register_action(
    "api_token.revoke",
    label=_("Thu hồi mã API"),
    sentence=_("{actor} thu hồi mã API {object}"),
    fields={"name": _("tên mã")},
)
