from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from congdoan.periodic.models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "next_run_at",
        "last_success_at",
        "last_finished_at",
        "runs",
        "failures",
    )
    readonly_fields = [f.name for f in PeriodicJob._meta.fields if f.name != "next_run_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
