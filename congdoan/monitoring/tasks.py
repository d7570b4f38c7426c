"""Background work of monitoring (django-tasks), thin wrappers: services queue them, they run
`services.fetching` (a source, a tip's link), `services.ingest.process_items` (scoring and
grouping) and detection's accurate re-reading; nothing they run imports this module.

New items, once scored by the fast models, are handed to `rescore_accurate_task`, which
re-reads only the candidates among them (relevant and risky: detection.accurate)."""

from __future__ import annotations

from django_tasks import task

from congdoan.monitoring.detection import accurate
from congdoan.monitoring.models import Item, Source
from congdoan.monitoring.services import fetching
from congdoan.monitoring.services.ingest import process_items


@task()
def fetch_source_task(source_id: int) -> None:
    source = Source.objects.filter(pk=source_id).first()
    if source is not None:
        _rescore_later(fetching.fetch_source(source).item_ids)


@task()
def process_items_task(item_ids: list[int]) -> None:
    process_items(item_ids)
    _rescore_later(item_ids)


@task()
def fetch_tip_link_task(tip_id: int) -> None:
    tip = fetching.fetch_tip_link(tip_id)
    if tip is not None and tip.item_id:
        _rescore_later([tip.item_id])


@task()
def rescore_accurate_task(item_ids: list[int]) -> None:
    accurate.rescore(list(Item.objects.filter(pk__in=item_ids).select_related("source")))


def _rescore_later(item_ids: list[int]) -> None:
    if item_ids:
        rescore_accurate_task.enqueue(list(item_ids))
