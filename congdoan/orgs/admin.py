from __future__ import annotations

from django.contrib import admin

from congdoan.orgs.models import (
    Appointment,
    Level,
    Member,
    Position,
    SiteSettings,
    Unit,
    UnitEvent,
    UnitPeriod,
)


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "rank", "is_grassroots", "is_active"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_leader", "is_standing_committee", "rank"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Read-mostly: tree changes go through the unit pages so that history is kept."""

    list_display = ["name", "code", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "code", "employer_name"]
    ordering = ["sort_key", "id"]  # Vietnamese order ("Điện lực" after "Dương", not last)
    readonly_fields = ["parent", "path", "depth", "merged_into", "dissolved_on"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "unit", "card_number", "gender", "joined_on", "left_on"]
    search_fields = ["full_name", "card_number", "phone"]
    list_filter = ["gender"]
    raw_id_fields = ["unit", "user"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "position",
        "unit",
        "user",
        "manages",
        "is_office",
        "started_on",
        "ended_on",
    ]
    raw_id_fields = ["unit", "member", "user"]


admin.site.register(UnitPeriod)
admin.site.register(UnitEvent)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: the federation that runs this deployment and its hotline (congdoan/orgs/site.py)."""

    list_display = ["__str__", "home_unit", "hotline", "updated_at"]
    autocomplete_fields = ["home_unit"]

    def has_add_permission(self, request: object) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
