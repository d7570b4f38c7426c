"""Clustering: concerns of one union that say the same thing join one group (`Cluster`), so
that officers answer them once (`concern_answer_many`) and spikes show on the dashboard.

Each concern has a MinHash signature of its words (`signature_of`, stored as bytes). A new
concern is compared, with numpy, to the union's concerns of the last CLUSTER_WINDOW_DAYS
(at most CLUSTER_CANDIDATES, loaded once per batch) and to the others of its batch; it joins
its most similar match at or above CLUSTER_THRESHOLD (estimated Jaccard similarity). On
PostgreSQL a per-union advisory lock (`lock_clustering`) keeps two workers from each
starting a group for the same words.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from congdoan.feedback.models import Cluster, Concern
from congdoan.feedback.triage.rows import update_rows
from congdoan.text.match import minhash

CLUSTER_THRESHOLD = 0.6
CLUSTER_WINDOW_DAYS = 30
CLUSTER_CANDIDATES = 3000
CLUSTER_LOCK = 0x594B  # "YK": the advisory-lock namespace of clustering


def signature_of(text: str) -> bytes:
    """The MinHash signature of the text's words, as stored on the concern."""
    return minhash(text).astype(np.uint32).tobytes()


def _candidates(unit_id: int | None, exclude: list[int]) -> tuple[list[int], np.ndarray, list[Any]]:
    """The recent triaged concerns of one union: (pks, signature matrix, cluster ids), newest first."""
    since = timezone.now() - timedelta(days=CLUSTER_WINDOW_DAYS)
    same_unit = Q(unit__isnull=True) if unit_id is None else Q(unit_id=unit_id)
    rows = list(
        Concern.objects.filter(same_unit, created_at__gte=since, signature__isnull=False)
        .exclude(pk__in=exclude)
        .order_by("-created_at", "-pk")
        .values_list("pk", "signature", "cluster_id")[:CLUSTER_CANDIDATES]
    )
    pks: list[int] = []
    sigs: list[np.ndarray] = []
    clusters: list[Any] = []
    for pk, raw, cluster_id in rows:
        if raw is None or len(raw) % 4:
            continue
        sig = np.frombuffer(bytes(raw), dtype=np.uint32)
        if sigs and sig.shape != sigs[0].shape:
            continue
        pks.append(pk)
        sigs.append(sig)
        clusters.append(cluster_id)
    matrix = np.vstack(sigs) if sigs else np.empty((0, 0), dtype=np.uint32)
    return pks, matrix, clusters


def _best(scores: np.ndarray, clusters: list[Any]) -> int | None:
    """Index of the best candidate ≥ CLUSTER_THRESHOLD: highest score, then one already in a
    cluster, then the first (newest) — the order the one-by-one scan used to decide."""
    if not len(scores):
        return None
    top = float(scores.max())
    if top < CLUSTER_THRESHOLD:
        return None
    tied = np.flatnonzero(scores == top)
    for index in tied:
        if clusters[int(index)] is not None:
            return int(index)
    return int(tied[0])


def cluster_batch(members: list[Concern], signatures: dict[int, bytes]) -> set[int]:
    """Cluster the batch's concerns of one union (oldest first) among themselves and with the
    union's recent concerns loaded once; sets their `cluster_id` and returns the ids of the
    clusters that grew.

    Each concern joins its most similar match (Jaccard estimate ≥ CLUSTER_THRESHOLD): that
    match's cluster, or a new cluster of the two. The plan is made in memory; then the older
    concerns that would seed a new cluster are locked (SELECT … FOR UPDATE): one clustered
    by another worker meanwhile makes the plan join that worker's cluster instead. New
    clusters are inserted in one statement.
    """
    unit_id = members[0].unit_id
    pks, matrix, clusters = _candidates(unit_id, [m.pk for m in members])
    # A target is a cluster id (int) or a new, unsaved Cluster (keyed by id() below).
    target_of: dict[int, Any] = {}  # batch concern pk → target
    seeds: dict[int, Cluster] = {}  # older concern pk → the new cluster it would start
    seen: list[Concern] = []  # batch members already placed, newest first
    seen_sigs: list[np.ndarray] = []
    for concern in members:
        sig = np.frombuffer(signatures[concern.pk], dtype=np.uint32)
        batch_scores = (
            (np.vstack(seen_sigs) == sig).sum(axis=1) / len(sig)
            if seen_sigs and seen_sigs[0].shape == sig.shape
            else np.empty(0)
        )
        old_scores = (
            (matrix == sig).sum(axis=1) / len(sig)
            if matrix.size and matrix.shape[1] == len(sig)
            else np.empty(0)
        )
        scores = np.concatenate([batch_scores, old_scores])
        index = _best(scores, [target_of.get(m.pk) for m in seen] + clusters)
        seen.insert(0, concern)
        seen_sigs.insert(0, sig)
        if index is None:
            continue
        if index < len(batch_scores):
            other = seen[index + 1]
            target = target_of.get(other.pk)
            if target is None:
                target = Cluster(
                    unit_id=unit_id,
                    topic=concern.topic,
                    title=concern.display_text[:200],
                    title_confidence=concern.restoration_confidence or 0.0,
                    size=0,
                )
                target_of[other.pk] = target
        else:
            at = index - len(batch_scores)
            target = clusters[at]
            if target is None:
                target = Cluster(
                    unit_id=unit_id,
                    topic=concern.topic,
                    title=concern.display_text[:200],
                    title_confidence=concern.restoration_confidence or 0.0,
                    size=0,
                )
                clusters[at] = target
                seeds[pks[at]] = target
        target_of[concern.pk] = target
    if not target_of:
        return set()
    resolved: dict[int, int | None] = {}  # id(new Cluster) → the cluster id it ends up as
    if seeds:
        free = set(
            Concern.objects.select_for_update()
            .filter(pk__in=list(seeds), cluster__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        taken = [pk for pk in seeds if pk not in free]
        if taken:  # clustered by another worker meanwhile: join its cluster
            current = dict(Concern.objects.filter(pk__in=taken).values_list("pk", "cluster_id"))
            for pk in taken:
                resolved[id(seeds.pop(pk))] = current.get(pk)
    fresh: dict[int, Cluster] = {}
    for target in target_of.values():
        if isinstance(target, Cluster) and id(target) not in resolved:
            fresh[id(target)] = target
    if fresh:
        created = list(fresh.values())
        if connection.features.can_return_rows_from_bulk_insert:
            Cluster.objects.bulk_create(created)
        else:
            for cluster in created:
                cluster.save()
        for key, cluster in fresh.items():
            resolved[key] = cluster.pk
    if seeds:
        update_rows(
            Concern, [Concern(pk=pk, cluster_id=c.pk) for pk, c in seeds.items()], ["cluster"]
        )
    grown: set[int] = set()
    for concern in members:
        target = target_of.get(concern.pk)
        if target is None:
            continue
        cluster_id = resolved.get(id(target)) if isinstance(target, Cluster) else target
        concern.cluster_id = cluster_id
        if cluster_id is not None:
            grown.add(cluster_id)
    return grown


def resize_clusters(clusters: set[int]) -> None:
    """Store the size of the clusters that grew (counted, not incremented: races cannot skew it)."""
    if not clusters:
        return
    now = timezone.now()
    sizes = dict(
        Concern.objects.filter(cluster_id__in=clusters)
        .values("cluster_id")
        .annotate(n=Count("pk"))
        .values_list("cluster_id", "n")
    )
    update_rows(
        Cluster,
        [Cluster(pk=pk, size=sizes.get(pk, 0), updated_at=now) for pk in sorted(clusters)],
        ["size", "updated_at"],
    )


def retitle_clusters(members: list[Concern]) -> None:
    """A cluster's title is its clearest member's text: typed with diacritics, or restored
    with the highest confidence (and shown restored only when sure, see
    `Concern.display_text`); a clearer member that joins gives the cluster its title."""
    best: dict[int, Concern] = {}
    for concern in members:
        if concern.cluster_id is None:
            continue
        held = best.get(concern.cluster_id)
        if held is None or (concern.restoration_confidence or 0.0) > (
            held.restoration_confidence or 0.0
        ):
            best[concern.cluster_id] = concern
    if not best:
        return
    current = dict(Cluster.objects.filter(pk__in=best).values_list("pk", "title_confidence"))
    update_rows(
        Cluster,
        [
            Cluster(
                pk=pk,
                title=concern.display_text[:200],
                title_confidence=concern.restoration_confidence or 0.0,
            )
            for pk, concern in best.items()
            if pk in current and (concern.restoration_confidence or 0.0) > current[pk]
        ],
        ["title", "title_confidence"],
    )


def cluster_one(concern: Concern, signature: bytes) -> Cluster | None:
    """Cluster one stored concern (the demo data writes triaged rows itself)."""
    grown = cluster_batch([concern], {concern.pk: bytes(signature)})
    if concern.cluster_id is None:
        return None
    Concern.objects.filter(pk=concern.pk).update(cluster_id=concern.cluster_id)
    resize_clusters(grown)
    retitle_clusters([concern])
    return Cluster.objects.get(pk=concern.cluster_id)


def lock_clustering(unit_ids: set[int | None]) -> None:
    """PostgreSQL: hold until the commit a lock per union whose concerns this triage clusters
    (taken in id order, so two workers never wait on each other in a circle).

    Without it, two workers triaging the same words at the same moment each looked for
    similar concerns while the other's row was not committed, and neither started a group.
    With it the second waits, then (READ COMMITTED: each statement sees the latest commit)
    finds the first. SQLite writes one transaction at a time and needs none.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for unit_id in sorted(u or 0 for u in unit_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CLUSTER_LOCK, unit_id])
