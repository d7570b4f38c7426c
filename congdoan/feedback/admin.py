"""Django admin (system administrators only): read-mostly views.

Anonymity holds here too: for a concern sent anonymously, the admin shows nothing that says
who sent it (name, phone, Zalo id, the member's account, the provider's message id, the address
hash). Only the Office's audited view (`can_see_anonymous_contact`) reaches the identity.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congdoan.feedback.models import AnswerTemplate, Cluster, Concern, ConcernAnswer, ConcernEvent

# Every field that identifies the sender of a concern.
IDENTITY_FIELDS = (
    "contact_name",
    "contact_phone",
    "contact_zalo_id",
    "submitted_by",
    "external_id",
    "ip_hash",
)


def _is_anonymous(obj: Concern | None) -> bool:
    return obj is not None and obj.is_anonymous


class ConcernEventInline(admin.TabularInline):
    model = ConcernEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "from_status", "to_status", "actor", "note", "created_at")


class ConcernAnswerInline(admin.TabularInline):
    """Every version of the answer (kept: a correction never erases what the worker read)."""

    model = ConcernAnswer
    extra = 0
    can_delete = False
    readonly_fields = (
        "version",
        "text",
        "citation",
        "url",
        "is_correction",
        "reason",
        "author",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "created_at",
        "unit",
        "assigned_unit",
        "channel",
        "topic",
        "urgency",
        "status",
    )
    list_filter = ("status", "topic", "urgency", "channel")
    search_fields = ("code", "text")
    readonly_fields = ("code", "signature", "ip_hash", "created_at", "triaged_at")
    raw_id_fields = ("unit", "assigned_unit", "assignee", "submitted_by", "answered_by", "cluster")
    inlines = [ConcernAnswerInline, ConcernEventInline]

    def get_fields(self, request: HttpRequest, obj: Concern | None = None) -> Any:
        fields = super().get_fields(request, obj)
        if _is_anonymous(obj):
            return [f for f in fields if f not in IDENTITY_FIELDS]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Concern | None = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        if _is_anonymous(obj):
            # "is_anonymous" itself stays as sent: unticking it must not reveal the sender.
            return [*(f for f in fields if f not in IDENTITY_FIELDS), "is_anonymous"]
        return fields

    def get_exclude(self, request: HttpRequest, obj: Concern | None = None) -> Any:
        if _is_anonymous(obj):
            return [*(super().get_exclude(request, obj) or ()), *IDENTITY_FIELDS]
        return super().get_exclude(request, obj)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "topic", "size", "updated_at")
    raw_id_fields = ("unit",)


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    """Answers officers pick for a topic and adapt (feedback detail page, "Mẫu trả lời")."""

    list_display = ("title", "topic", "unit", "is_active")
    list_filter = ("topic", "is_active")
    search_fields = ("title", "text", "citation")
    raw_id_fields = ("unit",)
