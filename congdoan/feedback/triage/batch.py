"""The database side of the triage: claim waiting concerns, analyse them in one batch, write
what was found, route and cluster them, and alert on the urgent ones.

Every intake enqueues a `triage_concern` task (tasks.py → `triage_queued`), which triages
its concern together with the others waiting, up to TRIAGE_BATCH at a time, oldest first:
under load one task in ~200 does the work and the others find their concern done (on the
database task backend they are retired in the same transaction). The periodic sweep
(`deadlines.check_deadlines` → `triage_leftovers`) triages what a lost task left behind.
One text the pipeline chokes on cannot hold the others back: a failed batch falls back to
one concern at a time.

Steps of one batch (`_triage_claimed`): 1. claim the rows (PostgreSQL: FOR UPDATE SKIP
LOCKED); 2. analyse their texts (`analysis.analyse_many`) and sign them (MinHash);
3. in one transaction: route (`services.routing`), set the deadline, cluster per union,
write all rows with one UPDATE statement, an event each, alerts for the urgent ones.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from congdoan.feedback.models import Concern, ConcernEvent, Status, Urgency
from congdoan.feedback.services import queue
from congdoan.feedback.services.routing import deadline_for, fallback_unit, route
from congdoan.feedback.triage import analysis
from congdoan.feedback.triage.analysis import TriageResult
from congdoan.feedback.triage.clustering import (
    cluster_batch,
    lock_clustering,
    resize_clusters,
    retitle_clusters,
    signature_of,
)
from congdoan.feedback.triage.rows import update_rows
from congdoan.orgs.models import Unit

log = logging.getLogger("congdoan.feedback")

TRIAGE_BATCH = 200
# The periodic sweep triages at most this many concerns per run.
SWEEP_LIMIT = 500


def _pending_rows(
    queryset: QuerySet[Concern], limit: int, include: int | None, lock: bool
) -> list[Concern]:
    """The oldest `limit` rows of `queryset` (and `include`), locked when `lock` (skipping locked ones)."""
    rows_qs = queryset.select_related("unit", "unit__level", "unit__parent").order_by(
        "created_at", "pk"
    )
    if lock:
        rows_qs = rows_qs.select_for_update(skip_locked=True, of=("self",))
    rows = list(rows_qs[:limit])
    if include is not None and all(c.pk != include for c in rows):
        rows += list(rows_qs.filter(pk=include))
    return rows


def _analyse_rows(rows: list[Concern]) -> tuple[dict[int, TriageResult], dict[int, bytes]]:
    """(what the text analysis found, the MinHash signature) of each row, by pk."""
    results = analysis.analyse_many([c.text for c in rows])
    return (
        {c.pk: r for c, r in zip(rows, results, strict=True)},
        {c.pk: signature_of(c.text) for c in rows},
    )


TRIAGE_FIELDS = [
    "restored_text",
    "search_text",
    "restoration_confidence",
    "restoration_doubts",
    "topic",
    "topic_confidence",
    "urgency",
    "urgency_reasons",
    "sentiment",
    "about_union",
    "assigned_unit",
    "hidden_from_unit",
    "signature",
    "triaged_at",
    "due_at",
    "status",
    "cluster",
]


def _write_triage(
    rows: list[Concern], results: dict[int, TriageResult], signatures: dict[int, bytes]
) -> int:
    """Inside the caller's transaction, on rows read under lock (or re-read as still untriaged)."""
    if not rows:
        return 0
    lock_clustering({c.unit_id for c in rows})
    now = timezone.now()
    fallback: list[Unit | None] = []
    events = []
    for concern in rows:
        result = results[concern.pk]
        concern.about_union = result.about_union
        if concern.unit is None:
            if not fallback:
                fallback.append(fallback_unit())
            assigned, hidden = fallback[0], False
        else:
            assigned, hidden = route(concern)
        concern.restored_text = result.restored
        concern.search_text = concern.folded_text()
        concern.restoration_confidence = result.restoration_confidence
        concern.restoration_doubts = result.restoration_doubts
        if not concern.topic_corrected:
            concern.topic = result.topic
        concern.topic_confidence = result.topic_confidence
        if not concern.urgency_corrected:
            concern.urgency = result.urgency
        concern.urgency_reasons = result.urgency_reasons
        concern.sentiment = result.sentiment
        concern.assigned_unit = assigned
        concern.hidden_from_unit = hidden
        concern.signature = signatures[concern.pk]
        concern.triaged_at = now
        concern.due_at = deadline_for(concern.urgency, concern.created_at)
        if concern.status == Status.RECEIVED:
            concern.status = Status.TRIAGED
    by_unit: dict[int | None, list[Concern]] = {}
    for concern in rows:
        by_unit.setdefault(concern.unit_id, []).append(concern)
    grown: set[int] = set()
    for members in by_unit.values():
        grown |= cluster_batch(members, signatures)
    update_rows(Concern, rows, TRIAGE_FIELDS)
    resize_clusters(grown)
    retitle_clusters(rows)
    for concern in rows:
        events.append(
            ConcernEvent(
                concern=concern,
                kind="triage",
                from_status=Status.RECEIVED,
                to_status=concern.status,
                note=f"{concern.topic} / {concern.urgency}",
                created_at=now,
            )
        )
    ConcernEvent.objects.bulk_create(events)
    queue.enqueue_many("notify_urgent", [c.pk for c in rows if c.urgency == Urgency.URGENT])
    queue.retire_queued("triage_concern", [concern.pk for concern in rows], now)
    return len(rows)


def _triage_claimed(queryset: QuerySet[Concern], *, limit: int, include: int | None = None) -> int:
    """Claim up to `limit` untriaged concerns of `queryset` (oldest first, plus `include`),
    analyse them in one batch and write them in one transaction. Returns how many.

    PostgreSQL: the rows are claimed with SELECT … FOR UPDATE SKIP LOCKED and held until
    the commit, so two workers never take the same concern (each skips the other's rows).
    Databases without SKIP LOCKED (SQLite): the analysis runs outside the transaction, then
    the write transaction (SQLite's is exclusive) re-reads which rows are still untriaged
    and writes only those — the winner of a race triages, the loser wasted a little work.
    """
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            rows = _pending_rows(queryset, limit, include, lock=True)
            if not rows:
                return 0
            results, signatures = _analyse_rows(rows)
            return _write_triage(rows, results, signatures)
    rows = _pending_rows(queryset, limit, include, lock=False)
    if not rows:
        return 0
    results, signatures = _analyse_rows(rows)
    with transaction.atomic():
        fresh = {
            c.pk: c
            for c in Concern.objects.select_related("unit", "unit__level", "unit__parent").filter(
                pk__in=[c.pk for c in rows], triaged_at__isnull=True
            )
        }
        return _write_triage([fresh[c.pk] for c in rows if c.pk in fresh], results, signatures)


def triage_pending(*, limit: int = TRIAGE_BATCH, include: int | None = None) -> int:
    """Triage up to `limit` waiting concerns in one batch, oldest first; returns how many.

    With `include` (the triage task of one concern): nothing to do when that concern is
    triaged already (a batch took it) — one cheap query; otherwise it is in the batch
    whatever its age, so the task of a concern always ends with it triaged or held by
    another worker's batch.
    """
    if (
        include is not None
        and not Concern.objects.filter(pk=include, triaged_at__isnull=True).exists()
    ):
        return 0
    return _triage_claimed(
        Concern.objects.filter(triaged_at__isnull=True), limit=limit, include=include
    )


def triage_one(*, concern_id: int) -> int:
    """Triage this concern alone (1), or nothing (0: triaged already, or held by a batch)."""
    return _triage_claimed(Concern.objects.filter(pk=concern_id, triaged_at__isnull=True), limit=1)


def concern_triage(*, concern_id: int) -> Concern | None:
    """Restore, classify, route and cluster one concern; a no-op if it was triaged already.

    The same code as the batch (`triage_pending`) over one row: the periodic sweep falls
    back to it, concern by concern, when a batch fails.
    """
    triage_one(concern_id=concern_id)
    return Concern.objects.select_related("unit", "unit__level").filter(pk=concern_id).first()


def untriaged(limit: int = SWEEP_LIMIT) -> list[int]:
    """Concerns whose triage never ran (worker down, queue lost), oldest first."""
    return list(
        Concern.objects.filter(triaged_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def triage_queued(*, concern_id: int) -> int:
    """The work of the `triage_concern` task: this concern, with the others waiting, in one
    batch; how many the batch triaged (0 when an earlier task's batch took it already, the
    usual case under load). A batch that fails (one text the pipeline chokes on) falls back
    to this concern alone; the periodic sweep retries the rest.
    """
    try:
        return triage_pending(include=concern_id)
    except Exception:
        log.exception("feedback: batch triage failed; triaging concern %s alone", concern_id)
    return triage_one(concern_id=concern_id)


def triage_leftovers(limit: int = SWEEP_LIMIT) -> int:
    """The periodic sweep's step: triage what was never triaged (a worker down, a queue
    lost), batch by batch; after a failed batch, one by one, so that one bad concern cannot
    hold back the others. Returns how many were triaged."""
    triaged, failed = 0, False
    while triaged < limit:
        try:
            done = triage_pending(limit=min(TRIAGE_BATCH, limit - triaged))
        except Exception:
            log.exception("feedback: batch triage failed; triaging one by one")
            failed = True
            break
        if done == 0:
            break
        triaged += done
    if failed:
        for pk in untriaged(limit - triaged):
            try:
                triaged += triage_one(concern_id=pk)
            except Exception:
                log.exception("feedback: triage of concern %s failed; will retry next sweep", pk)
    return triaged
