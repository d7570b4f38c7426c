"""The admin's read-only view of contests (the officer pages write them: audited, checked)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congdoan.contests.models import Attempt, Certificate, Contest, Question


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Contest)
class ContestAdmin(ReadOnly):
    list_display = ["title", "unit", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]


@admin.register(Question)
class QuestionAdmin(ReadOnly):
    list_display = ["text", "contest", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["text"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnly):
    list_display = ["participant", "round", "status", "score", "max_score", "flagged", "review"]
    list_filter = ["status", "flagged", "review"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnly):
    list_display = ["number", "attempt", "prize", "issued_at"]
    search_fields = ["number"]
