"""Audit entries as sentences: "Nguyễn Văn A trả lời ý kiến YK-…", and each change as
"field: old → new" with readable values.

Steps for one page of entries:
1. the action's registered sentence, filled with the actor's name and the target's name;
2. each key of `changes`, unless hidden (hashes, secrets): named by the action's `fields`,
   else by the target model's `verbose_name`, else left out of the sentence's details
   only when it is hidden — an unknown key is still shown, under its own name;
3. each value by its kind: a pair `[old, new]` as "old → new", a choice by its label, a
   date the Vietnamese way, a unit or person by name (looked up once per page), a number
   with the viewer's separators, yes/no for booleans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.audit.models import AuditEntry
from congdoan.audit.registry import HIDDEN_KEYS, ActionLabel, action_label
from congdoan.core.vndate import vn_number, vn_short_date
from congdoan.orgs.models import Unit

MAX_VALUE = 200


@dataclass(frozen=True)
class Change:
    label: str
    text: str


@dataclass(frozen=True)
class EntryView:
    entry: AuditEntry
    action_label: str
    sentence: str
    changes: list[Change]


class _Names:
    """Names of units and people, looked up once per page."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, str], str] = {}

    def get(self, model: type[models.Model], value: Any, by: str = "pk") -> str:
        key = (model._meta.label_lower, by, str(value))
        if key not in self._cache:
            obj = (
                model._default_manager.filter(**{by: value}).first()
                if value not in (None, "")
                else None
            )
            self._cache[key] = str(obj) if obj is not None else str(value)
        return self._cache[key]


def _target_model(entry: AuditEntry) -> type[models.Model] | None:
    if not entry.object_type or "." not in entry.object_type:
        return None
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def _model_field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int | float):
        return vn_number(value)
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items()) or "—"
    text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _value(value: Any, kind: str, field: models.Field[Any, Any] | None, names: _Names) -> str:
    """One value, written by its kind (registered) or by the model field it belongs to."""
    if value is None or value == "":
        return "—"
    if kind == "unit_code":
        return names.get(Unit, value, by="code")
    if kind == "unit_id":
        return names.get(Unit, value)
    if kind == "user_id":
        return names.get(User, value)
    if kind == "yes_no":
        return _("Có") if value else _("Không")
    if field is not None:
        if (
            field.is_relation
            and field.related_model is not None
            and not isinstance(value, list | dict)
        ):
            return names.get(field.related_model, value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return _("Có") if value in (True, "True", "true", 1) else _("Không")
        if isinstance(field, models.DateField) and isinstance(value, str):
            try:
                return vn_short_date(date.fromisoformat(value[:10]))
            except ValueError:
                return _plain(value)
    return _plain(value)


def _changes(entry: AuditEntry, label: ActionLabel, names: _Names) -> list[Change]:
    if not isinstance(entry.changes, dict):
        return []
    model = _target_model(entry)
    out: list[Change] = []
    for key, value in entry.changes.items():
        if key in HIDDEN_KEYS or key in label.hidden:
            continue
        field = _model_field(model, key)
        name = label.fields.get(key) or (field.verbose_name if field is not None else key)
        kind = label.kinds.get(key, "text")
        if isinstance(value, list) and len(value) == 2 and kind != "list":
            old, new = (_value(v, kind, field, names) for v in value)
            text = f"{old} → {new}"
        elif isinstance(value, list) and kind == "list":
            text = ", ".join(_value(v, "text", None, names) for v in value) or "—"
        else:
            text = _value(value, kind, field, names)
        out.append(Change(label=str(name), text=text))
    return out


def describe(entries: list[AuditEntry]) -> list[EntryView]:
    names = _Names()
    views = []
    for entry in entries:
        label = action_label(entry.action)
        actor = entry.actor_repr or _("Hệ thống")
        target = entry.object_repr or "—"
        sentence = str(label.sentence).format(actor=actor, object=target)
        views.append(
            EntryView(
                entry=entry,
                action_label=str(label.label),
                sentence=sentence,
                changes=_changes(entry, label, names),
            )
        )
    return views
