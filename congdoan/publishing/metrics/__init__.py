"""Reach figures of the publications, as Facebook, YouTube and Zalo OA report them.

- `clients.py`: one post's figures from each platform (documented requests and answers);
- `fetch.py`: the periodic job that reads them for recent posts and keeps them
  (models_metrics.py), marking an account whose token was refused;
- `figures.py`: what officers see, per product and summed, scoped to their units; given to
  content's reach page and product page through `congdoan.content.reach` (content cannot
  import publishing: the dependency is turned round there).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from congdoan.periodic.registry import register_job


def register() -> None:
    """Called by publishing's AppConfig.ready: the job, and the figures for content's pages."""
    from congdoan.content import reach  # lazy: content's models (app loading)
    from congdoan.publishing.metrics import figures  # lazy: models (app loading)

    register_job(
        "publishing.metrics",
        every=lambda: timedelta(minutes=settings.REACH_FETCH_EVERY_MINUTES),
        run="congdoan.publishing.metrics.fetch.metrics_fetch",
    )
    reach.register_channel_figures(figures.channel_figures)
