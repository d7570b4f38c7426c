"""Zalo messages other apps claim by their first words ("#baotin …" is a monitoring tip).

The registry lives in the floor (`congdoan.core.registry`), so that accounts, below feedback,
can claim "#lienket …" too; it is named here for the domain apps and the Zalo intake
(`congdoan.feedback.channels.intake`), which reads it. Each entry is (folded prefix, dotted
path of handler(sender_id=, text=, msg_id=) -> reply text), registered in the other app's
AppConfig.ready(): feedback never imports that app.
"""

from __future__ import annotations

from congdoan.core.registry import ZALO_PREFIXES as _ZALO_PREFIXES
from congdoan.core.registry import register_zalo_prefix

__all__ = ["_ZALO_PREFIXES", "register_zalo_prefix"]
