"""Messages the code writes to be read later, kept to be put into words when shown, in the
reader's language (a timeline event of a narrative: an alert, an assignment, evidence).

A stored message (JSON) is
- a dict ``{"msgid": "…", "params": {…}}``: the msgid translated when shown, then its
  parameters filled in, each itself a stored message (an error inside a sentence); with
  ``"plural"`` and ``"n"`` it is a count's message (`nmessage`);
- a list: its parts shown one after the other ("Giao cho An" then ", hạn 01/02/2027");
- a string or a number: shown as it is (a name, an address, a count).

The msgid is marked where the message is made (`message(gettext_noop("…"), name=…)`), so the
translations find it. A message that does not fit its translation is shown untranslated.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext

MAX_DEPTH = 6


def _value(value: Any) -> Any:
    """A parameter as JSON keeps it: a number, a string, or a stored message."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | str | dict | list):
        return value
    return str(value)


def message(msgid: str, **params: Any) -> dict[str, Any]:
    """A message to store: its msgid (marked with gettext_noop) and its parameters."""
    stored: dict[str, Any] = {"msgid": str(msgid)}
    if params:
        stored["params"] = {key: _value(value) for key, value in params.items()}
    return stored


def nmessage(singular: str, plural: str, n: int, **params: Any) -> dict[str, Any]:
    """A count's message (ngettext's singular and plural msgids; ``n`` is also a parameter)."""
    return {**message(singular, n=n, **params), "plural": str(plural), "n": int(n)}


def render(stored: Any, *, _depth: int = 0) -> str:
    """A stored message in the active language (the module's docstring)."""
    if _depth > MAX_DEPTH:
        return ""
    if isinstance(stored, list):
        return "".join(render(part, _depth=_depth + 1) for part in stored)
    if not isinstance(stored, dict):
        return "" if stored is None else str(stored)
    msgid = str(stored.get("msgid") or "")
    if not msgid:
        return ""
    plural = stored.get("plural")
    if isinstance(plural, str) and isinstance(stored.get("n"), int):
        translated = ngettext(msgid, plural, stored["n"])
    else:
        translated = gettext(msgid)
    raw = stored.get("params")
    if not isinstance(raw, dict) or not raw:
        return translated
    params = {
        key: value if isinstance(value, int | float) else render(value, _depth=_depth + 1)
        for key, value in raw.items()
    }
    for template in (translated, msgid):
        try:
            return template % params
        except (KeyError, TypeError, ValueError):
            continue
    return msgid
