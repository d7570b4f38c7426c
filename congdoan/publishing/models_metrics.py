"""Reach figures of each publication, as the platform reports them (imported at the end of
models.py; fetched by `congdoan.publishing.metrics`).

- `PublicationMetrics`: the latest figures of one publication (one row, rewritten at each
  fetch), with the platform's raw answer and, when the last fetch failed, why in words;
- `PublicationMetricsDay`: the figures as they stood at the end of each day they were fetched
  (one row per publication and local day), for a curve over time.

A figure the platform does not report for that channel is None ("—" on the page), never 0.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

FIGURES = ("reach", "views", "reactions", "comments", "shares", "clicks")


class _Figures(models.Model):
    # People reached (Facebook: post_impressions_unique).
    reach = models.PositiveBigIntegerField(_("tiếp cận"), null=True, blank=True)
    # Views (YouTube: viewCount; Zalo OA: total_view).
    views = models.PositiveBigIntegerField(_("lượt xem"), null=True, blank=True)
    # Reactions or likes (Facebook: reactions; YouTube: likeCount).
    reactions = models.PositiveBigIntegerField(_("cảm xúc, thích"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("bình luận"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("chia sẻ"), null=True, blank=True)
    # Clicks on the post (Facebook: post_clicks).
    clicks = models.PositiveBigIntegerField(_("lượt bấm"), null=True, blank=True)

    class Meta:
        abstract = True


class PublicationMetrics(_Figures):
    publication = models.OneToOneField(
        "publishing.Publication", on_delete=models.CASCADE, related_name="metrics"
    )
    # When the figures above were read (None: never read successfully yet).
    fetched_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    # The last attempt's problem in words (an expired token, a rate limit…); "" when it worked.
    error = models.TextField(blank=True)
    tried_at = models.DateTimeField(null=True, blank=True)
    # The platform says the post no longer exists: kept, and no longer asked for.
    gone = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("số liệu tiếp cận")
        verbose_name_plural = _("số liệu tiếp cận")

    def __str__(self) -> str:
        return f"{self.publication_id} @ {self.fetched_at}"


class PublicationMetricsDay(_Figures):
    publication = models.ForeignKey(
        "publishing.Publication", on_delete=models.CASCADE, related_name="metrics_days"
    )
    day = models.DateField()

    class Meta:
        ordering = ["publication_id", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "day"], name="publishing_metrics_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.day}"
