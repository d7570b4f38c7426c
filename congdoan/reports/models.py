"""A unit's six-month or annual report: its narrative, its workflow and, once submitted, the
frozen figures it was submitted with.

One row per (unit, period code): the kind (half-year or year) follows from the code. A draft
shows live figures; submitting stores a JSON snapshot of every figure (`snapshot`), which the
report shows from then on, so later data changes never alter a submitted report; a report
returned for correction is submitted again with a fresh snapshot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Unit


class ReportKind(models.TextChoices):
    HALF = "half", _("Báo cáo 6 tháng")
    YEAR = "year", _("Báo cáo năm")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp, chờ cấp trên xem")
    RETURNED = "returned", _("Cấp trên trả lại để sửa")
    ACCEPTED = "accepted", _("Cấp trên đã chấp nhận")


#: Statuses whose figures are frozen (the snapshot is what the report shows).
FROZEN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
#: Statuses in which the unit may still edit and submit.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class Report(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("đơn vị")
    )
    period_code = models.CharField(_("kỳ báo cáo"), max_length=8)
    kind = models.CharField(_("loại báo cáo"), max_length=8, choices=ReportKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = models.CharField(
        _("số văn bản"),
        max_length=20,
        blank=True,
        help_text=_("Số của báo cáo trong sổ văn bản đi, ví dụ 08; để trống để điền tay."),
    )
    results = models.TextField(_("kết quả đạt được"), blank=True)
    limitations = models.TextField(_("hạn chế và nguyên nhân"), blank=True)
    next_tasks = models.TextField(_("nhiệm vụ kỳ tới"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    snapshot_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The snapshot's totals alone (the numbers that add up the tree), kept apart so that a
    # consolidation over hundreds of reports reads a few hundred bytes each, not every table.
    totals = models.JSONField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-period_code", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_code"], name="report_unit_period")
        ]
        indexes = [models.Index(fields=["period_code", "status"])]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.period_code}"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportReminder(models.Model):
    """A reminder sent to a unit's officers before a period's deadline: one per unit and
    period, so the periodic job never sends it twice."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period_code = models.CharField(max_length=8)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_code"], name="report_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_code}"
