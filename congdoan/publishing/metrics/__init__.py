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
from django.utils.translation import gettext_lazy as _

from congdoan.core.registry import register_officer_link
from congdoan.periodic.registry import register_job


def register() -> None:
    """Called by publishing's AppConfig.ready: the job, the figures for content's pages, the
    reach panel of the studio's product page and the reach page's link on the dashboard."""
    from congdoan.content import hooks, reach  # lazy: content's models (app loading)
    from congdoan.publishing.metrics import figures  # lazy: models (app loading)

    register_job(
        "publishing.metrics",
        every=lambda: timedelta(minutes=settings.REACH_FETCH_EVERY_MINUTES),
        run="congdoan.publishing.metrics.fetch.metrics_fetch",
    )
    reach.register_channel_figures(figures.channel_figures)
    hooks.register_product_panel("content/_reach.html", reach.product_panel, order=50)
    register_officer_link(
        "bulletin:reach",
        _("Tiếp cận của sản phẩm"),
        order=18,
        description=_(
            "Lượt xem trên trang web, thư bản tin được mở và bấm, số liệu Facebook, YouTube, "
            "Zalo OA của từng sản phẩm."
        ),
    )
