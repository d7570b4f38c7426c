"""The admin's read-only view of monitoring (the officer pages write it: audited, checked)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from congdoan.monitoring.models import Item, KnownClaim, Narrative, Source, Tip


class ReadOnly(admin.ModelAdmin[Any]):
    # Addresses read as https when typed without a scheme (Django 6's default, said now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(ReadOnly):
    list_display = ["name", "unit", "kind", "active", "last_success_at", "consecutive_errors"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "url"]


@admin.register(Item)
class ItemAdmin(ReadOnly):
    list_display = ["__str__", "source", "kind", "relevant", "toxicity", "risk", "fetched_at"]
    list_filter = ["kind", "relevant", "toxicity", "stance"]
    search_fields = ["title", "external_id"]
    exclude = ["signature"]
    raw_id_fields = ["narrative", "claim"]


@admin.register(Narrative)
class NarrativeAdmin(ReadOnly):
    list_display = ["title", "unit", "status", "risk", "item_count", "detected_at"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(KnownClaim)
class KnownClaimAdmin(ReadOnly):
    list_display = ["__str__", "unit", "active", "created_at"]
    list_filter = ["active"]


@admin.register(Tip)
class TipAdmin(ReadOnly):
    list_display = ["__str__", "unit", "channel", "created_at"]
    list_filter = ["channel"]
