"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "account.2fa_enable",
    label=_("Bật xác thực hai lớp"),
    sentence=_("{actor} bật xác thực hai lớp cho tài khoản {object}"),
    fields={"tokens_revoked": _("số mã API bị thu hồi")},
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
register_action(
    "account.password_change",
    label=_("Đổi mật khẩu"),
    sentence=_("{actor} đổi mật khẩu của tài khoản {object}"),
    fields={"tokens_revoked": _("số mã API bị thu hồi")},
)
register_action(
    "account.password_reset_email",
    label=_("Đặt lại mật khẩu qua e-mail"),
    sentence=_("{actor} đặt lại mật khẩu của tài khoản {object} qua e-mail"),
    fields={"tokens_revoked": _("số mã API bị thu hồi")},
)
register_action(
    "account.password_reset_sms",
    label=_("Đặt lại mật khẩu qua SMS"),
    sentence=_("{actor} đặt lại mật khẩu của tài khoản {object} bằng mã SMS"),
    fields={"tokens_revoked": _("số mã API bị thu hồi")},
)
register_action(
    "account.reset_code_sent",
    label=_("Gửi mã đặt lại mật khẩu"),
    sentence=_("Hệ thống gửi mã đặt lại mật khẩu qua SMS cho tài khoản {object}"),
)
register_action(
    "account.reset_link_by_officer",
    label=_("Cán bộ tạo đường dẫn đặt lại mật khẩu"),
    sentence=_("{actor} tạo đường dẫn đặt lại mật khẩu cho tài khoản {object}"),
)
register_action(
    "account.zalo_link",
    label=_("Kết nối Zalo"),
    sentence=_("{actor} kết nối tài khoản {object} với một tài khoản Zalo"),
    fields={
        "replaced": _("thay tài khoản Zalo đã kết nối"),
        "moved_from_user": _("chuyển từ tài khoản số"),
    },
)
register_action(
    "account.zalo_unlink",
    label=_("Ngắt kết nối Zalo"),
    sentence=_("{actor} ngắt kết nối Zalo của tài khoản {object}"),
    fields={"moved_to_user": _("tài khoản Zalo chuyển sang tài khoản số")},
)
