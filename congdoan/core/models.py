"""What the core app stores: the background workers' heartbeats, and spreadsheet previews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running `congdoan worker` process, touched every few seconds.

    A row whose `last_seen` is old belongs to a worker that died without saying so (SIGKILL,
    out of memory, a lost machine): the tasks it had claimed are put back in the queue by the
    next live worker (congdoan/core/workers.py). A worker that stops cleanly deletes its row.
    """

    id = models.CharField(primary_key=True, max_length=64)
    host = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("mã tiến trình"))
    # Process ids are compared only between workers that share this (containers on one host
    # with the same host name, e.g. Docker's host network, have separate pid namespaces).
    pid_namespace = models.CharField(max_length=64, blank=True, default="")
    backend = models.CharField(_("hàng đợi"), max_length=16)
    queues = models.CharField(_("các hàng"), max_length=255)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    last_seen = models.DateTimeField(_("lần cuối thấy"), db_index=True)
    task_id = models.CharField(_("công việc đang chạy"), max_length=64, blank=True)
    task_name = models.CharField(_("tên công việc"), max_length=255, blank=True)
    task_started_at = models.DateTimeField(_("công việc bắt đầu lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tiến trình nền")
        verbose_name_plural = _("tiến trình nền")
        ordering = ["host", "started_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class ImportPreview(models.Model):
    """An uploaded spreadsheet waiting for its importer's confirmation (`core.importer`).

    Kept here rather than in the session: the rows are personal data, up to thousands of
    them, and they go when the preview expires (or, emptied, when it is applied). `applied_at`
    is set by the conditional UPDATE that claims it, so it is applied once.
    """

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(_("loại"), max_length=40)  # the importer's Kind.name
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit_code = models.CharField(_("đơn vị"), max_length=64)
    sheet = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bản xem trước nhập tệp")
        verbose_name_plural = _("bản xem trước nhập tệp")

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_code}"
