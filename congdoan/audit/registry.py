"""What each audited action means, in words a person reads.

Each app says it in its own `audit_labels.py` (found by `AuditConfig.ready()`):

    register_action(
        "feedback.answer",
        label=_("Trả lời ý kiến"),
        sentence=_("{actor} trả lời ý kiến {object}"),
        fields={"citation": _("căn cứ")},
    )

`sentence` may use `{actor}` (who did it) and `{object}` (what it was done to, as it was
named then). Keys of `changes` are named by `fields`, else by the target model's
`verbose_name`. Values that must never be shown (hashes, secrets) are dropped: the keys in
`HIDDEN_KEYS` for every action, plus an action's own `hidden`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# Never shown, whichever action recorded them.
HIDDEN_KEYS = frozenset(
    {
        "sha256",
        "fingerprint",
        "hash",
        "key",
        "key_hash",
        "token",
        "secret",
        "password",
        "ip",
        "ip_hash",
        "signature",
    }
)

# How a value stored in `changes` is written for people (see `congdoan.audit.log.display`).
VALUE_KINDS = frozenset({"text", "unit_code", "unit_id", "user_id", "list", "yes_no", "count"})


@dataclass(frozen=True)
class ActionLabel:
    action: str
    label: Any
    sentence: Any
    fields: dict[str, Any] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()


ACTIONS: dict[str, ActionLabel] = {}


def register_action(
    action: str,
    *,
    label: Any,
    sentence: Any,
    fields: dict[str, Any] | None = None,
    kinds: dict[str, str] | None = None,
    hidden: Iterable[str] = (),
) -> None:
    """Say how `action` reads. `kinds` names how a key's value is shown (see VALUE_KINDS)."""
    for key, kind in (kinds or {}).items():
        if kind not in VALUE_KINDS:
            raise ValueError(f"audit action {action}: unknown value kind {kind!r} for {key!r}")
    ACTIONS[action] = ActionLabel(
        action=action,
        label=label,
        sentence=sentence,
        fields=dict(fields or {}),
        kinds=dict(kinds or {}),
        hidden=frozenset(hidden),
    )


def action_label(action: str) -> ActionLabel:
    """The registered label, or a plain one for an action nobody described yet."""
    known = ACTIONS.get(action)
    if known is not None:
        return known
    return ActionLabel(
        action=action, label=action, sentence=_("{actor} thực hiện thao tác trên {object}")
    )


def action_choices() -> list[tuple[str, str]]:
    """(action, label) of every registered action, by label: the filter's drop-down."""
    return sorted(
        ((a.action, str(a.label)) for a in ACTIONS.values()), key=lambda c: c[1].casefold()
    )
