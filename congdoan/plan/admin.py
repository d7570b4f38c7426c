"""The admin's view of plans and their targets (an administrator loads a new plan here), and
of the stored figures (read-only: they are computed or imported)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from congdoan.plan import indicators
from congdoan.plan.models import IndicatorFigure, Plan, Target


class TargetForm(forms.ModelForm[Target]):
    indicator = forms.ChoiceField(choices=())

    class Meta:
        model = Target
        fields = ["indicator", "value", "year", "level", "unit_kinds", "is_priority", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            (i.code, str(i.name)) for i in indicators.all_indicators()
        ]


class TargetInline(admin.TabularInline[Target, Plan]):
    model = Target
    form = TargetForm
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["title", "number", "unit", "year_from", "year_to"]
    search_fields = ["title", "number"]
    raw_id_fields = ["unit"]
    inlines = [TargetInline]


@admin.register(IndicatorFigure)
class IndicatorFigureAdmin(admin.ModelAdmin[IndicatorFigure]):
    list_display = [
        "indicator",
        "unit",
        "period",
        "numerator",
        "denominator",
        "source",
        "computed_at",
    ]
    list_filter = ["source", "indicator"]
    search_fields = ["unit__code", "period"]
    raw_id_fields = ["unit", "imported_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
