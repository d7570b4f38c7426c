"""Background work of monitoring (django-tasks), thin wrappers: services queue them, they run
`services.fetching` (a source, a tip's link), `services.ingest.process_items` (scoring and
grouping) and detection's accurate re-reading; nothing they run imports this module."""

from __future__ import annotations

from django_tasks import task

from congdoan.monitoring.models import Item, Source
from congdoan.monitoring.services import fetching
from congdoan.monitoring.services.ingest import process_items

try:  # DETECT's accurate mode (the toolkit's slower models on the candidates)
    from congdoan.monitoring.detection import accurate
except ImportError:  # pragma: no cover
    accurate = None  # type: ignore[assignment]


@task()
def fetch_source_task(source_id: int) -> None:
    source = Source.objects.filter(pk=source_id).first()
    if source is not None:
        fetching.fetch_source(source)


@task()
def process_items_task(item_ids: list[int]) -> None:
    process_items(item_ids)


@task()
def fetch_tip_link_task(tip_id: int) -> None:
    fetching.fetch_tip_link(tip_id)


@task()
def rescore_accurate_task(item_ids: list[int]) -> None:
    rescore = getattr(accurate, "rescore", None)
    if rescore is None:
        return
    rescore(list(Item.objects.filter(pk__in=item_ids).select_related("source")))
