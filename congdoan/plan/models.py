"""The plan as data and the figures its indicators produce.

- `Plan`: a communication plan issued by a unit for a span of years (Phú Xuyên's 2023–2028),
  with its document in the library (`document_id`, read through `library.selectors`);
- `Target`: what the plan asks of one indicator (its code in `plan.indicators`), in one year or
  every year, for a level and/or unit kinds, optionally marked as a priority (non-state
  enterprises first);
- `IndicatorFigure`: one unit's own figure (numerator, denominator) for one indicator and one
  period ("2026H1", "2026", or a month "2026-03", the year to the end of that month), computed
  from live data (`live`) or imported from the paper years (`imported`). Roll-ups sum these
  rows over a subtree; nothing scans members on a page view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Level, Unit


class Plan(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("đơn vị ban hành")
    )
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    document_id = models.PositiveIntegerField(_("văn bản trong thư viện"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year_from", "title"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_to__gte=models.F("year_from")), name="plan_years_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year_from}–{self.year_to})"

    def covers(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to


class Target(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("kế hoạch")
    )
    indicator = models.CharField(_("chỉ tiêu"), max_length=40)
    value = models.DecimalField(_("mức phải đạt"), max_digits=8, decimal_places=2)
    year = models.PositiveSmallIntegerField(
        _("năm"), null=True, blank=True, help_text=_("Để trống: áp dụng mọi năm của kế hoạch.")
    )
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("áp dụng cho cấp"),
    )
    unit_kinds = models.JSONField(_("áp dụng cho loại hình"), default=list, blank=True)
    is_priority = models.BooleanField(_("ưu tiên"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["plan", "indicator", "year"]
        verbose_name = _("chỉ tiêu của kế hoạch")
        verbose_name_plural = _("chỉ tiêu của kế hoạch")

    def __str__(self) -> str:
        return f"{self.indicator} ≥ {self.value} ({self.year or '*'})"


class Source(models.TextChoices):
    LIVE = "live", _("tính từ dữ liệu")
    IMPORTED = "imported", _("nhập từ số liệu cũ")


class IndicatorFigure(models.Model):
    indicator = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="plan_figures")
    period = models.CharField(max_length=8)  # "2026H1", "2026", "2026-03"
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LIVE)
    computed_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"], name="plan_figure_one_per_period"
            )
        ]
        # A roll-up reads one period's rows of a subtree's units (unit_id IN …): one index
        # range per unit, not a scan of the period's rows for the whole country.
        indexes = [models.Index(fields=["period", "unit"], name="plan_figure_period_unit")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit_id} {self.period}: {self.numerator}/{self.denominator}"
