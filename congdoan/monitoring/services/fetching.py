"""What the background tasks run: fetching a source (with its health) and a tip's link.

Kept apart from `services.sources` and `services.tips`, which queue these tasks: the code a
task runs never imports `tasks.py` (docs/DEVELOPING.md).

`fetch_source(source)`:
1. the source's kind reads it (`sources.fetch`: RSS, web page, Facebook, YouTube);
2. the items are ingested (idempotent), the conditional-GET and change-detection fields kept;
3. health: last_fetched_at always; on success last_success_at and the errors-in-a-row count
   back to 0; on failure last_error_at, last_error (a msgid, with last_error_params: shown in
   the reader's language) and one more error in a row. Written with
   an UPDATE of those fields only, so an officer's edit of the source at the same time stays;
4. the new items are scored and grouped. Nothing raises for a broken source.
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from congdoan.monitoring import sources
from congdoan.monitoring.fetch import ExplainedError, FetchError, safe_get
from congdoan.monitoring.models import ItemKind, Snapshot, Source, Tip
from congdoan.monitoring.services.ingest import ingest, process_items, tips_source
from congdoan.monitoring.sources.base import SourceError, sanitise_html
from congdoan.monitoring.sources.web import extract, page_hash
from congdoan.monitoring.types import IngestResult, RawItem

logger = logging.getLogger("congdoan.monitoring")


def _failure(exc: Exception) -> ExplainedError:
    """The error to keep: a source's or the fetcher's own, else an unexpected one by name."""
    if isinstance(exc, ExplainedError):
        return exc
    return ExplainedError(
        gettext_noop("Lỗi không mong đợi khi đọc nguồn (%(error)s)."),
        error=exc.__class__.__name__,
    )


def fetch_source(source: Source) -> IngestResult:
    """Read one source now (steps in the module's docstring)."""
    now = timezone.now()
    result = IngestResult()
    try:
        raw = sources.fetch(source)
        result = ingest(source, raw, process=False)
    except Exception as exc:  # one broken source is recorded, never raised
        if not isinstance(exc, FetchError | SourceError):
            logger.exception("monitoring source %s failed", source.pk)
        else:
            logger.info("monitoring source %s failed: %s", source.pk, exc)
        failure = _failure(exc)
        # The msgid and its parameters: shown in each reader's language (`Source.error_text`).
        Source.objects.filter(pk=source.pk).update(
            last_fetched_at=now,
            last_error_at=now,
            last_error=failure.template,
            last_error_params=failure.params,
            consecutive_errors=F("consecutive_errors") + 1,
        )
        source.refresh_from_db()
        result.errors.append(str(failure))
        return result
    Source.objects.filter(pk=source.pk).update(
        last_fetched_at=now,
        last_success_at=now,
        consecutive_errors=0,
        etag=source.etag,
        last_modified=source.last_modified,
        page_hash=source.page_hash,
    )
    source.refresh_from_db()
    if result.item_ids:
        try:
            process_items(result.item_ids)
        except Exception:  # the items are kept; scoring them again is idempotent
            logger.exception("monitoring: scoring the items of source %s failed", source.pk)
    return result


def _tip_failed(tip: Tip, error: ExplainedError) -> None:
    """Write why the tip's link was not read: its msgid and parameters (`Tip.fetch_error_text`
    shows it in each reader's language)."""
    tip.fetch_error, tip.fetch_error_params = error.template, error.params
    Tip.objects.filter(pk=tip.pk).update(
        fetch_error=tip.fetch_error, fetch_error_params=tip.fetch_error_params
    )


def fetch_tip_link(tip_id: int) -> Tip | None:
    """Read a tip's link: a snapshot of the page as evidence on the tip's item, or the item
    itself when the tip had no pasted text. A refused or failed link is written on the tip
    (`fetch_error`, a msgid with `fetch_error_params`); the tip and its pasted text stay."""
    tip = Tip.objects.select_related("item", "unit").filter(pk=tip_id).first()
    if tip is None or not tip.url:
        return tip
    try:
        got = safe_get(tip.url)
        if got.status >= 400:
            raise SourceError(
                gettext_noop("Máy chủ trả lời lỗi HTTP %(status)s."), status=got.status
            )
    except (FetchError, SourceError) as exc:
        _tip_failed(tip, exc)
        return tip
    html = got.text()
    title, text, author, _date = extract(html, got.url)
    if tip.item is not None:
        clean = sanitise_html(html)
        Snapshot.objects.create(
            item=tip.item,
            url=got.url[:1000],
            status_code=got.status,
            text=text,
            html=clean,
            sha256=page_hash(clean or text),
        )
        return tip
    if not text:
        _tip_failed(tip, SourceError(gettext_noop("Trang không có nội dung chữ.")))
        return tip
    result = ingest(
        tips_source(tip.unit),
        [
            RawItem(
                external_id=f"tip:{tip.pk}",
                url=got.url,
                title=title,
                text=text,
                author=author,
                kind=ItemKind.TIP,
                html=html,
                meta={"tip": tip.pk},
            )
        ],
        process=False,
    )
    if result.item_ids:
        Tip.objects.filter(pk=tip.pk, item__isnull=True).update(item_id=result.item_ids[0])
        tip.item_id = result.item_ids[0]
        process_items(result.item_ids)
    return tip
