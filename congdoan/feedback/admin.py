"""Django admin (system administrators only, who see everything anyway): read-mostly views."""

from __future__ import annotations

from django.contrib import admin

from congdoan.feedback.models import Cluster, Concern, ConcernEvent


class ConcernEventInline(admin.TabularInline):
    model = ConcernEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "from_status", "to_status", "actor", "note", "created_at")


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
    inlines = [ConcernEventInline]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "topic", "size", "updated_at")
    raw_id_fields = ("unit",)
