"""How the audit log reads this app's actions (see congdoan/audit/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import register_action

register_action(
    "outbox.message.retry",
    label=_("Gửi lại tin nhắn"),
    sentence=_("{actor} cho gửi lại tin nhắn {object}"),
    fields={"channel": _("kênh"), "purpose": _("mục đích")},
)
