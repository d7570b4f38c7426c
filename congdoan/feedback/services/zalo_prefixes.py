"""Zalo messages other apps claim by their first words ("#baotin …" is a monitoring tip).

The registry lives here, in the services other apps may import (contract "domain" in
pyproject.toml); the Zalo intake (`congdoan.feedback.channels.intake`) reads it. Each entry is
(folded prefix, dotted path of handler(sender_id=, text=, msg_id=) -> reply text), registered in
the other app's AppConfig.ready(): feedback never imports that app.
"""

from __future__ import annotations

from congdoan.text.vietnamese import fold

_ZALO_PREFIXES: list[tuple[str, str]] = []


def register_zalo_prefix(prefix: str, handler_path: str) -> None:
    """Send Zalo messages starting with `prefix` (any case, with or without diacritics) to the
    handler instead of making a concern; the handler must be idempotent (Zalo redelivers)."""
    entry = (fold(prefix.strip()), handler_path)
    if entry not in _ZALO_PREFIXES:
        _ZALO_PREFIXES.append(entry)
