"""The schedule of periodic work: one row per job, claimed by a conditional UPDATE."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    name = models.CharField(max_length=100, unique=True)
    # Moved forward when a run starts, before the job runs: the next run never depends on
    # this one succeeding (or finishing: a scheduler killed mid-run loses only that run).
    next_run_at = models.DateTimeField(default=timezone.now)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_result = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("việc định kỳ")
        verbose_name_plural = _("việc định kỳ")

    def __str__(self) -> str:
        return self.name
