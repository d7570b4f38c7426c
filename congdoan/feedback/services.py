"""Writes to workers' concerns. Each function is atomic; officers' writes are audited.

Intake (`concern_submit`) writes the concern first and only then, on commit, enqueues the
triage task: a concern is never lost because the classifier or the worker is down.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.audit.services import audit_record
from congdoan.core import ratelimit
from congdoan.core.images import ImageRefused, photo_policy
from congdoan.core.images import reencode as reencode_image
from congdoan.core.phones import normalize_phone
from congdoan.core.uploads import format_size
from congdoan.feedback.models import (
    OPEN_STATUSES,
    Channel,
    Cluster,
    Concern,
    ConcernAnswer,
    ConcernEvent,
    Status,
    Topic,
    Urgency,
)
from congdoan.orgs.models import Unit
from congdoan.orgs.site import home_unit

log = logging.getLogger("congdoan.feedback")

CLUSTER_THRESHOLD = 0.6
CLUSTER_WINDOW_DAYS = 30
CLUSTER_CANDIDATES = 3000
THROTTLED_CHANNELS = (Channel.WEB.value, Channel.API.value, Channel.MEMBER.value)


class Throttled(Exception):
    """Too many concerns from one address in a minute (the caller answers 429)."""


THROTTLE_MESSAGES = {
    "rate": gettext_lazy(
        "Bạn đã gửi quá nhiều ý kiến trong một phút. Xin vui lòng đợi một lát rồi gửi lại."
    ),
    "lookup": gettext_lazy(
        "Bạn đã tra cứu quá nhiều lần trong một phút. Xin đợi một lát rồi thử lại."
    ),
}


# -- intake ------------------------------------------------------------------------------------


def _ip_hash(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


LOOKUPS_PER_MINUTE = 30


def throttle_lookup(ip: str) -> None:
    """Tracking-code lookups per address: enough for a person, too few to enumerate codes."""
    _throttle(ip, limit=LOOKUPS_PER_MINUTE, kind="lookup")


def _throttle(ip: str, limit: int | None = None, kind: str = "rate") -> None:
    """Fixed one-minute window per address, counted in the cache that every process shares
    (the database, or Redis when set; `check --deploy` warns when it is process-local)."""
    limit = settings.FEEDBACK_RATE_LIMIT_PER_MINUTE if limit is None else limit
    if limit <= 0 or not ip:
        return
    if not ratelimit.hit(f"feedback:{kind}:{_ip_hash(ip)}", limit=limit, window=60):
        raise Throttled(str(THROTTLE_MESSAGES.get(kind, THROTTLE_MESSAGES["rate"])))


def clean_text(text: str) -> str:
    """The concern's text as stored, or a Vietnamese ValidationError."""
    value = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not value:
        raise ValidationError({"text": _("Xin vui lòng viết nội dung ý kiến.")})
    limit = settings.FEEDBACK_TEXT_MAX_CHARS
    if len(value) > limit:
        raise ValidationError(
            {
                "text": _("Nội dung quá dài (%(n)s ký tự); xin viết ngắn gọn dưới %(limit)s ký tự.")
                % {
                    "n": f"{len(value):,}".replace(",", "."),
                    "limit": f"{limit:,}".replace(",", "."),
                }
            }
        )
    if not any(ch.isalnum() for ch in value):
        raise ValidationError(
            {"text": _("Nội dung cần có chữ để cán bộ công đoàn hiểu được ý kiến của bạn.")}
        )
    return value


def clean_photo(photo: UploadedFile | None) -> File | None:
    """A real image under the size limit, re-encoded by the one image policy (core.images).

    Steps: 1. refuse files over FEEDBACK_PHOTO_MAX_BYTES, reading no more than that;
    2. the header alone must say JPEG/PNG/WebP/GIF of at most IMAGE_MAX_PIXELS (a
    decompression bomb is refused before anything is decoded); 3. decoded, turned upright,
    shrunk to IMAGE_PHOTO_MAX_SIDE and written afresh without EXIF: a phone photo's EXIF
    holds GPS, device and sometimes the owner's name — it would identify an anonymous worker.
    """
    if photo is None:
        return None
    max_bytes = settings.FEEDBACK_PHOTO_MAX_BYTES
    too_large = ValidationError(
        {
            "photo": _("Ảnh quá lớn (hơn %(limit)s); xin gửi ảnh nhỏ hơn.")
            % {"limit": format_size(max_bytes)}
        }
    )
    if photo.size and photo.size > max_bytes:
        raise too_large
    photo.seek(0)
    data = photo.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    try:
        clean = reencode_image(data, name=photo.name or "anh", policy=photo_policy())
    except ImageRefused as exc:
        raise ValidationError({"photo": exc.message}) from exc
    return ContentFile(clean.data, name=f"anh{clean.suffix}")


def _clean_contact(
    contact_name: str, contact_phone: str, contact_zalo_id: str
) -> tuple[str, str, str]:
    name = " ".join((contact_name or "").split())[:120]
    phone = ""
    if (contact_phone or "").strip():
        normalized = normalize_phone(contact_phone)
        if normalized is None:
            raise ValidationError(
                {"contact_phone": _("Số điện thoại không hợp lệ, ví dụ đúng: 0912 345 678.")}
            )
        phone = normalized
    zalo = (contact_zalo_id or "").strip()[:64]
    return name, phone, zalo


def _enqueue(task_name: str, *args: Any) -> None:
    """Enqueue after commit; a broken queue is logged, never loses the row (a later sweep retries)."""
    from congdoan.feedback import tasks

    def run() -> None:
        try:
            getattr(tasks, task_name).enqueue(*args)
        except Exception:
            log.exception(
                "feedback: could not enqueue %s%r; the periodic check will retry", task_name, args
            )

    transaction.on_commit(run)


def _enqueue_many(task_name: str, ids: list[int]) -> None:
    """One task per id: in the current transaction on the database backend (no commit of
    its own per task), else on commit. A failure in the transaction falls back to on commit."""
    if not ids:
        return
    if _queue_in_same_database(task_name):
        from congdoan.feedback import tasks

        try:
            with transaction.atomic():
                for pk in ids:
                    getattr(tasks, task_name).enqueue(pk)
            return
        except Exception:
            log.warning(
                "feedback: could not enqueue %s in the transaction", task_name, exc_info=True
            )
    for pk in ids:
        _enqueue(task_name, pk)


class _QueueBroken(Exception):
    """The task could not be written in the intake's transaction (rolled back, retried without it)."""


def _queue_in_same_database(task_name: str) -> bool:
    """True when the task backend is the database one: its rows live beside the concern's.

    Then the intake writes the concern and its triage task in one transaction (one commit
    instead of two, and never one without the other). Any other backend (RQ, immediate) is
    called on commit, so that no worker can look for a row that is not committed yet.
    """
    from congdoan.feedback import tasks

    try:
        from django_tasks_db.backend import DatabaseBackend

        return isinstance(getattr(tasks, task_name).get_backend(), DatabaseBackend)
    except Exception:  # misconfigured or not installed: the on-commit path logs the failure
        return False


DEDUPLICATED_CHANNELS = (
    Channel.WEB.value,
    Channel.MEMBER.value,
    Channel.API.value,
    Channel.ZALO.value,
    Channel.SMS.value,
)


def _same_submission(
    *, channel: str, unit: Unit | None, text: str, user: Any, phone: str, zalo: str, same_as: str
) -> Concern | None:
    """The same concern sent again by the same sender within FEEDBACK_DUPLICATE_SECONDS — a
    double tap on "Gửi", a phone resending over a weak connection, a client's retry: the
    stored concern, so the worker gets the same tracking code and the inbox no copy.

    The same words from another sender are another worker's concern: they are kept and join
    the first one's group at triage (clustering). The sender is the logged-in person, else the
    Zalo id or phone number, else — an anonymous browser — the tracking code its session was
    given last (`same_as`). Never the address alone: workers behind one factory Wi-Fi share
    it. Officers' records and paper forms are never merged: two workers may say the same
    thing on the hotline.
    """
    seconds = settings.FEEDBACK_DUPLICATE_SECONDS
    if seconds <= 0 or channel not in DEDUPLICATED_CHANNELS:
        return None
    if user is not None:
        sender = Q(submitted_by=user)
    elif zalo:
        sender = Q(contact_zalo_id=zalo)
    elif phone:
        sender = Q(contact_phone=phone)
    elif same_as:
        sender = Q(code=same_as)
    else:
        return None
    since = timezone.now() - timedelta(seconds=seconds)
    return (
        Concern.objects.filter(sender, channel=channel, unit=unit, text=text, created_at__gte=since)
        .order_by("-created_at", "-pk")
        .first()
    )


def concern_submit(
    *,
    text: str,
    unit: Unit | None,
    channel: str,
    is_anonymous: bool = True,
    contact_name: str = "",
    contact_phone: str = "",
    contact_zalo_id: str = "",
    external_id: str = "",
    photo: UploadedFile | None = None,
    wants_upper_level: bool = False,
    actor: Any = None,
    ip: str | None = None,
    same_as: str = "",
) -> Concern:
    """Write a concern as it arrived and enqueue its triage.

    `same_as`: the tracking code this browser was given last (the web form keeps it in the
    session), so that a double tap returns that concern instead of a copy.

    Steps: 1. a repeat of (channel, external_id) returns the stored concern (webhooks
    retry), and so does the same text from the same sender within a few seconds
    (`_same_submission`); 2. validate text, contact and photo (Vietnamese errors); 3. throttle web/API
    posts per address; 4. in ONE transaction: insert the concern, its "submit" event and
    (database task backend) the triage task — a race on the same external id, or a code
    that is taken, rolls that transaction back and returns the winner or tries a new code;
    5. other task backends: enqueue triage on commit.

    The transaction is opened here around the writes only (not as a decorator around the
    whole function) so that the usual intake costs one BEGIN … COMMIT and no savepoint;
    inside a caller's transaction (the paper-form import) it is a savepoint, as before.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Kênh tiếp nhận không hợp lệ.")})
    external_id = (external_id or "").strip()[:128]
    if external_id:
        existing = Concern.objects.filter(channel=channel, external_id=external_id).first()
        if existing is not None:
            return existing
    value = clean_text(text)
    if ip and channel in THROTTLED_CHANNELS:
        _throttle(ip)  # before decoding any photo: a flood costs as little as possible
    name, phone, zalo = _clean_contact(contact_name, contact_phone, contact_zalo_id)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    repeat = _same_submission(
        channel=channel, unit=unit, text=value, user=user, phone=phone, zalo=zalo, same_as=same_as
    )
    if repeat is not None:
        return repeat
    clean_image = clean_photo(photo)
    concern = Concern(
        unit=unit,
        channel=channel,
        text=value,
        is_anonymous=bool(is_anonymous),
        contact_name=name,
        contact_phone=phone,
        contact_zalo_id=zalo,
        external_id=external_id,
        wants_upper_level=bool(wants_upper_level),
        submitted_by=user,
        ip_hash=_ip_hash(ip) if ip else "",
    )
    # Routed already at intake, so that an untriaged concern is in the right inbox at once.
    concern.assigned_unit, concern.hidden_from_unit = route(concern)
    if clean_image is not None:
        concern.photo = clean_image  # type: ignore[assignment]
    enqueue_inside = _queue_in_same_database("triage_concern")
    for attempt in range(6):
        try:
            with transaction.atomic():
                concern.save()
                # The history names the officer who recorded it, never a member who wrote it
                # themselves: officers read the history, and the sender may have asked to stay
                # anonymous.
                ConcernEvent.objects.create(
                    concern=concern,
                    kind="submit",
                    to_status=concern.status,
                    actor=user if channel == Channel.OFFICER else None,
                )
                if user is not None and channel == Channel.OFFICER:
                    audit_record(
                        actor=user,
                        action="feedback.record",
                        target=concern,
                        unit=unit,
                        changes={"channel": channel, "anonymous": concern.is_anonymous},
                    )
                if enqueue_inside:
                    try:
                        from congdoan.feedback.tasks import triage_concern

                        triage_concern.enqueue(concern.pk)
                    except Exception as exc:
                        raise _QueueBroken from exc
            break
        except _QueueBroken:
            # A broken queue never loses the concern: write it again without the task (the
            # on-commit enqueue below logs a second failure; the periodic sweep triages it).
            log.exception("feedback: could not enqueue the triage of a new concern")
            enqueue_inside = False
            concern.pk = None
            continue
        except IntegrityError:
            if external_id:
                winner = Concern.objects.filter(channel=channel, external_id=external_id).first()
                if winner is not None:
                    return winner
            if attempt >= 4:
                raise
            from congdoan.feedback.models import new_code

            concern.pk = None
            concern.code = new_code()
    if not enqueue_inside:
        _enqueue("triage_concern", concern.pk)
    return concern


# -- triage and routing ------------------------------------------------------------------------


def _upper_unit(unit: Unit | None) -> Unit | None:
    """The nearest unit above a grassroots union (the district), or the unit itself if it is not grassroots."""
    if unit is None:
        return fallback_unit()
    if not unit.level.is_grassroots:
        return unit
    return unit.parent or unit


def fallback_unit() -> Unit | None:
    """Where a concern with no known union goes: this deployment's home unit.

    The home unit (congdoan.orgs.site: the admin's "Cài đặt hệ thống", else
    CONGDOAN_HOME_UNIT; PX in the demo), whose Office sorts such concerns out. A deployment
    that names none gets the lowest unit above every active grassroots union, found from the
    distinct parents' materialised paths and cached for ten minutes (with a warning: in a
    tree with two districts that is the city federation, where no district officer looks);
    the root as a last resort.
    """
    unit = home_unit()
    if unit is not None:
        return unit
    cached = cache.get("feedback:fallback_unit")
    if cached is not None:
        unit = Unit.objects.filter(pk=cached).first()
        if unit is not None:
            return unit
    paths = list(
        Unit.objects.filter(level__is_grassroots=True, is_active=True, parent__isnull=False)
        .values_list("parent__path", flat=True)
        .distinct()[:5000]
    )
    if paths:
        parts = [p.strip("/").split("/") for p in paths]
        common: list[str] = []
        for column in zip(*parts, strict=False):
            if len(set(column)) != 1:
                break
            common.append(column[0])
        if common:
            unit = Unit.objects.filter(pk=int(common[-1])).first()
    unit = unit or Unit.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()
    if unit is not None:
        log.warning(
            "feedback: no home unit configured (CONGDOAN_HOME_UNIT or the admin's site settings);"
            " concerns without a union go to %s",
            unit.code,
        )
        cache.set("feedback:fallback_unit", unit.pk, timeout=600)
    return unit


def route(concern: Concern) -> tuple[Unit | None, bool]:
    """(unit that handles it, hidden from the grassroots union).

    To the worker's grassroots union; to the upper level (and hidden from the grassroots
    union) when the worker asked for it or the concern is about the union or its officers;
    to the fallback unit when the union is unknown.
    """
    if concern.unit is None:
        return fallback_unit(), False
    if concern.wants_upper_level or concern.about_union:
        return _upper_unit(concern.unit), True
    return concern.unit, False


def deadline_for(urgency: str, start: Any = None) -> Any:
    hours = settings.FEEDBACK_DEADLINE_HOURS.get(
        urgency, settings.FEEDBACK_DEADLINE_HOURS["normal"]
    )
    return (start or timezone.now()) + timedelta(hours=hours)


def _signature_of(text: str) -> bytes:
    from congdoan.text.match import minhash

    return minhash(text).astype(np.uint32).tobytes()


TRIAGE_BATCH = 200


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


def _cluster_batch(members: list[Concern], signatures: dict[int, bytes]) -> set[int]:
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
        _set_rows(
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


def _set_rows(model: Any, objs: list[Any], fields: list[str]) -> None:
    """UPDATE each object's row with these fields: one statement sent for many rows
    (executemany; psycopg pipelines it). Django's bulk_update builds a CASE per field and
    row, which cost more Python time than the whole text analysis of the batch."""
    if not objs:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(meta.db_table)} SET "
        + ", ".join(f"{qn(c.column)} = %s" for c in columns)
        + f" WHERE {qn(meta.pk.column)} = %s"
    )
    params = [
        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _resize(clusters: set[int]) -> None:
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
    _set_rows(
        Cluster,
        [Cluster(pk=pk, size=sizes.get(pk, 0), updated_at=now) for pk in sorted(clusters)],
        ["size", "updated_at"],
    )


def _retitle(members: list[Concern]) -> None:
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
    _set_rows(
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


def _cluster(concern: Concern, signature: bytes) -> Cluster | None:
    """Cluster one stored concern (the demo data writes triaged rows itself)."""
    grown = _cluster_batch([concern], {concern.pk: bytes(signature)})
    if concern.cluster_id is None:
        return None
    Concern.objects.filter(pk=concern.pk).update(cluster_id=concern.cluster_id)
    _resize(grown)
    _retitle([concern])
    return Cluster.objects.get(pk=concern.cluster_id)


def _pending_rows(queryset: Any, limit: int, include: int | None, lock: bool) -> list[Concern]:
    rows_qs = queryset.select_related("unit", "unit__level", "unit__parent").order_by(
        "created_at", "pk"
    )
    if lock:
        rows_qs = rows_qs.select_for_update(skip_locked=True, of=("self",))
    rows = list(rows_qs[:limit])
    if include is not None and all(c.pk != include for c in rows):
        rows += list(rows_qs.filter(pk=include))
    return rows


def _analyse(rows: list[Concern]) -> tuple[dict[int, Any], dict[int, bytes]]:
    from congdoan.feedback.triage import analyse_many

    results = analyse_many([c.text for c in rows])
    return (
        {c.pk: r for c, r in zip(rows, results, strict=True)},
        {c.pk: _signature_of(c.text) for c in rows},
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


CLUSTER_LOCK = 0x594B  # "YK": the advisory-lock namespace of clustering


def _lock_clustering(unit_ids: set[int | None]) -> None:
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


def _write_triage(
    rows: list[Concern], results: dict[int, Any], signatures: dict[int, bytes]
) -> int:
    """Inside the caller's transaction, on rows read under lock (or re-read as still untriaged)."""
    if not rows:
        return 0
    _lock_clustering({c.unit_id for c in rows})
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
        grown |= _cluster_batch(members, signatures)
    _set_rows(Concern, rows, TRIAGE_FIELDS)
    _resize(grown)
    _retitle(rows)
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
    _enqueue_many("notify_urgent", [c.pk for c in rows if c.urgency == Urgency.URGENT])
    _retire_queued_tasks([concern.pk for concern in rows], now)
    return len(rows)


def _retire_queued_tasks(concern_ids: list[int], now: Any) -> int:
    """Mark the queued `triage_concern` tasks of the concerns just triaged as done (returning 0).

    Database task backend only (same database, same transaction as the triage): each intake
    enqueues a task, and without this the worker would still claim, run and record ~199
    tasks per batch of 200 only to find their concern triaged — on PostgreSQL two commits
    each. What they would have done is exactly this: return 0. Tasks already claimed
    (RUNNING) are left to run (they return at once). Any failure leaves the tasks queued
    (they are still correct, only slower); a savepoint keeps the triage itself.
    """
    from congdoan.feedback import tasks

    try:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult

        backend = tasks.triage_concern.get_backend()
        if not isinstance(backend, DatabaseBackend) or not concern_ids:
            return 0
        with transaction.atomic():
            return DBTaskResult.objects.filter(
                status=TaskResultStatus.READY,
                backend_name=backend.alias,
                task_path=tasks.triage_concern.module_path,
                args_kwargs__args__0__in=concern_ids,
            ).update(
                status=TaskResultStatus.SUCCESSFUL,
                started_at=now,
                finished_at=now,
                return_value=0,
            )
    except Exception:
        log.warning("feedback: could not retire the queued triage tasks", exc_info=True)
        return 0


def _triage(queryset: Any, *, limit: int, include: int | None = None) -> int:
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
            results, signatures = _analyse(rows)
            return _write_triage(rows, results, signatures)
    rows = _pending_rows(queryset, limit, include, lock=False)
    if not rows:
        return 0
    results, signatures = _analyse(rows)
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
    return _triage(Concern.objects.filter(triaged_at__isnull=True), limit=limit, include=include)


def triage_one(*, concern_id: int) -> int:
    """Triage this concern alone (1), or nothing (0: triaged already, or held by a batch)."""
    return _triage(Concern.objects.filter(pk=concern_id, triaged_at__isnull=True), limit=1)


def concern_triage(*, concern_id: int) -> Concern | None:
    """Restore, classify, route and cluster one concern; a no-op if it was triaged already.

    The same code as the batch (`triage_pending`) over one row: the periodic sweep falls
    back to it, concern by concern, when a batch fails.
    """
    triage_one(concern_id=concern_id)
    return Concern.objects.select_related("unit", "unit__level").filter(pk=concern_id).first()


def untriaged(limit: int = 500) -> list[int]:
    """Concerns whose triage never ran (worker down, queue lost), oldest first."""
    return list(
        Concern.objects.filter(triaged_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


# -- officers' work on a concern ---------------------------------------------------------------


def _transition(
    concern: Concern,
    *,
    to: str,
    allowed_from: tuple[str, ...],
    actor: Any,
    kind: str,
    note: str = "",
    **extra: Any,
) -> Concern:
    """Conditional UPDATE on the status: of two people acting at once, only one wins."""
    old = concern.status
    updated = Concern.objects.filter(pk=concern.pk, status__in=allowed_from).update(
        status=to, **extra
    )
    if updated != 1:
        raise ValidationError(
            _("Ý kiến này vừa được cập nhật hoặc không ở trạng thái phù hợp; xin tải lại trang.")
        )
    concern.refresh_from_db()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    ConcernEvent.objects.create(
        concern=concern, kind=kind, from_status=old, to_status=to, actor=user, note=note
    )
    return concern


def _audit(actor: Any, action: str, concern: Concern, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=concern,
        unit=concern.assigned_unit or concern.unit,
        changes=changes,
    )


@transaction.atomic
def concern_correct(*, actor: Any, concern: Concern, topic: str, urgency: str) -> Concern:
    """An officer corrects topic and/or urgency; corrections become training data for `retrain`."""
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Chủ đề không hợp lệ.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Mức độ không hợp lệ.")})
    # Saving the form is an officer's label even when it confirms the classifier's guess:
    # confirmed labels are training data for `retrain` too.
    changes: dict[str, Any] = {}
    fields: dict[str, Any] = {
        "topic": topic,
        "topic_corrected": True,
        "urgency": urgency,
        "urgency_corrected": True,
    }
    if topic != concern.topic:
        changes["topic"] = [concern.topic, topic]
    if urgency != concern.urgency:
        changes["urgency"] = [concern.urgency, urgency]
        if concern.is_open:
            fields["due_at"] = deadline_for(urgency, concern.created_at)
    Concern.objects.filter(pk=concern.pk).update(**fields)
    concern.refresh_from_db()
    # Codes, not labels: the history shows them in the viewer's language (note_display).
    ConcernEvent.objects.create(
        concern=concern, kind="correct", actor=actor, note=json.dumps(changes)
    )
    _audit(actor, "feedback.correct", concern, changes)
    return concern


@transaction.atomic
def concern_assign(
    *, actor: Any, concern: Concern, assignee: Any = None, unit: Unit | None = None
) -> Concern:
    """Give the concern to an officer (and/or another unit the viewer manages)."""
    extra: dict[str, Any] = {"assignee": assignee}
    if unit is not None:
        extra["assigned_unit"] = unit
    allowed = (
        Status.RECEIVED,
        Status.TRIAGED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.REOPENED,
    )
    concern = _transition(
        concern,
        to=Status.ASSIGNED,
        allowed_from=allowed,
        actor=actor,
        kind="assign",
        note=str(assignee or unit or ""),
        **extra,
    )
    _audit(
        actor,
        "feedback.assign",
        concern,
        {"assignee": getattr(assignee, "pk", None), "unit": getattr(unit, "code", None)},
    )
    return concern


@transaction.atomic
def concern_forward_up(*, actor: Any, concern: Concern, note: str = "") -> Concern:
    """A grassroots officer hands the concern to the level above (the district)."""
    target = concern.assigned_unit
    if target is None or not target.level.is_grassroots:
        raise ValidationError(_("Ý kiến đã ở cấp trên."))
    upper = _upper_unit(target)
    concern = _transition(
        concern,
        to=Status.ASSIGNED,
        allowed_from=OPEN_STATUSES,
        actor=actor,
        kind="forward",
        note=(note or "").strip()[:2000],
        assigned_unit=upper,
        assignee=None,
    )
    _audit(actor, "feedback.forward", concern, {"to": getattr(upper, "code", None)})
    return concern


def _handler(actor: Any, concern: Concern) -> dict[str, Any]:
    """The officer who starts or answers a concern nobody was given becomes its handler."""
    if concern.assignee_id is None and getattr(actor, "is_authenticated", False):
        return {"assignee": actor}
    return {}


@transaction.atomic
def concern_start(*, actor: Any, concern: Concern) -> Concern:
    allowed = (Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.REOPENED)
    concern = _transition(
        concern,
        to=Status.IN_PROGRESS,
        allowed_from=allowed,
        actor=actor,
        kind="start",
        **_handler(actor, concern),
    )
    _audit(actor, "feedback.start", concern, {})
    return concern


# A blank of an answer template: "…" after a space ("trả lương tháng … trước ngày …."), never
# an ellipsis closing a word ("rất khó khăn…").
TEMPLATE_BLANK = re.compile(r"(?:^|\s)…")


def _clean_answer(text: str, citation: str, citation_url: str) -> tuple[str, str, str]:
    answer = (text or "").replace("\x00", "").strip()
    if not answer:
        raise ValidationError({"text": _("Xin viết nội dung trả lời.")})
    if TEMPLATE_BLANK.search(answer):
        raise ValidationError(
            {"text": _("Trả lời còn chỗ trống “…” của mẫu: xin điền vào trước khi gửi.")}
        )
    if len(answer) > 10000:
        raise ValidationError({"text": _("Nội dung trả lời quá dài (tối đa 10.000 ký tự).")})
    url = (citation_url or "").strip()
    if url and not url.startswith(("http://", "https://", "/")):
        raise ValidationError(
            {"citation_url": _("Đường dẫn căn cứ phải bắt đầu bằng http:// hoặc https://.")}
        )
    return answer, (citation or "").strip()[:255], url[:200]


def _answer_version(
    concern: Concern, *, author: Any, is_correction: bool = False, reason: str = ""
) -> ConcernAnswer:
    """Write the concern's current answer as its next version (the rows are locked by the
    caller's conditional UPDATE, so two writers never take the same number)."""
    last = concern.answers.order_by("-version").values_list("version", flat=True).first() or 0
    return ConcernAnswer.objects.create(
        concern=concern,
        version=last + 1,
        text=concern.answer_text,
        citation=concern.answer_citation,
        url=concern.answer_url,
        is_correction=is_correction,
        reason=reason,
        author=author,
        created_at=timezone.now(),
    )


@transaction.atomic
def concern_answer(
    *,
    actor: Any,
    concern: Concern,
    text: str,
    citation: str = "",
    citation_url: str = "",
    note: str = "",
) -> Concern:
    """Publish the answer the worker reads with the code; push it back on Zalo/SMS after commit."""
    answer, citation, url = _clean_answer(text, citation, citation_url)
    now = timezone.now()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    on_time = concern.due_at is None or now <= concern.due_at
    concern = _transition(
        concern,
        to=Status.ANSWERED,
        allowed_from=OPEN_STATUSES,
        actor=actor,
        kind="answer",
        answer_text=answer,
        answer_citation=citation,
        answer_url=url,
        answered_by=user,
        answered_at=now,
        answered_on_time=on_time,
        internal_note=(concern.internal_note + "\n" + note).strip()
        if note
        else concern.internal_note,
        **_handler(actor, concern),
    )
    version = _answer_version(concern, author=user)
    _audit(
        actor,
        "feedback.answer",
        concern,
        {"citation": concern.answer_citation, "on_time": on_time, "version": version.version},
    )
    _enqueue("deliver_answer", concern.pk)
    return concern


ANSWERED_STATUSES = (Status.ANSWERED, Status.CLOSED)


@transaction.atomic
def concern_answer_correct(
    *,
    actor: Any,
    concern: Concern,
    text: str,
    citation: str = "",
    citation_url: str = "",
    reason: str = "",
) -> Concern:
    """Correct an answer already sent: a new version (the old ones stay for officers and the
    audit), the worker reads the latest with a word that it changed, and Zalo/SMS workers get
    it again. The answer's first date and its on-time mark stay those of the first answer.

    Steps: 1. validate like an answer; 2. conditional UPDATE of the answer fields while the
    concern is still answered or closed (a concern reopened meanwhile gets a fresh answer
    instead); 3. version 1 is written from the old answer when it predates versions;
    4. the new version, an event, an audit entry with old → new; 5. deliver on commit.
    """
    answer, citation, url = _clean_answer(text, citation, citation_url)
    reason = " ".join((reason or "").split())[:500]
    row = (
        Concern.objects.filter(pk=concern.pk)
        .values("answer_text", "answer_citation", "answer_url")
        .first()
    )
    if row is None:
        raise ValidationError(_("Không tìm thấy ý kiến."))
    old = {
        "answer_text": row["answer_text"],
        "answer_citation": row["answer_citation"],
        "answer_url": row["answer_url"],
    }
    new = {"answer_text": answer, "answer_citation": citation, "answer_url": url}
    if all(old[k] == v for k, v in new.items()):
        raise ValidationError({"text": _("Trả lời mới giống hệt trả lời đã gửi.")})
    updated = (
        Concern.objects.filter(pk=concern.pk, status__in=ANSWERED_STATUSES)
        .exclude(answer_text="")
        .update(**new)
    )
    if updated != 1:
        raise ValidationError(_("Chỉ sửa được trả lời đã gửi; xin tải lại trang."))
    user = actor if getattr(actor, "is_authenticated", False) else None
    if not concern.answers.exists():
        ConcernAnswer.objects.create(
            concern=concern,
            version=1,
            text=old["answer_text"],
            citation=old["answer_citation"],
            url=old["answer_url"],
            author_id=concern.answered_by_id,
            created_at=concern.answered_at or timezone.now(),
        )
    concern.refresh_from_db()
    version = _answer_version(concern, author=user, is_correction=True, reason=reason)
    ConcernEvent.objects.create(concern=concern, kind="answer_correct", actor=user, note=reason)
    changes = {k: [old[k], v] for k, v in new.items() if old[k] != v}
    _audit(actor, "feedback.answer_correct", concern, {**changes, "version": version.version})
    _enqueue("deliver_answer", concern.pk)
    return concern


def concern_answer_many(
    *, actor: Any, concerns: list[Concern], text: str, citation: str = "", citation_url: str = ""
) -> int:
    """The same answer to many concerns (a cluster); each in its own transaction, a concern
    that someone else answered meanwhile is skipped. Returns how many were answered."""
    done = 0
    for concern in concerns:
        try:
            concern_answer(
                actor=actor,
                concern=concern,
                text=text,
                citation=citation,
                citation_url=citation_url,
            )
        except ValidationError:
            continue
        done += 1
    return done


@transaction.atomic
def concern_close(*, actor: Any, concern: Concern, note: str = "") -> Concern:
    allowed = (*OPEN_STATUSES, Status.ANSWERED)
    concern = _transition(
        concern,
        to=Status.CLOSED,
        allowed_from=allowed,
        actor=actor,
        kind="close",
        note=note,
        closed_at=timezone.now(),
    )
    _audit(actor, "feedback.close", concern, {"note": note})
    return concern


@transaction.atomic
def concern_add_note(*, actor: Any, concern: Concern, note: str) -> Concern:
    note = (note or "").strip()[:2000]
    if not note:
        raise ValidationError({"note": _("Xin viết ghi chú.")})
    ConcernEvent.objects.create(concern=concern, kind="note", actor=actor, note=note)
    _audit(actor, "feedback.note", concern, {})
    return concern


# -- the worker, with the tracking code ---------------------------------------------------------


@transaction.atomic
def concern_rate(*, concern: Concern, rating: int, comment: str = "") -> Concern:
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"rating": _("Xin chọn mức hài lòng từ 1 đến 5.")})
    updated = Concern.objects.filter(
        pk=concern.pk, status__in=(Status.ANSWERED, Status.CLOSED)
    ).update(rating=value, rating_comment=(comment or "").strip()[:500])
    if updated != 1:
        raise ValidationError(_("Chỉ đánh giá được khi ý kiến đã có trả lời."))
    concern.refresh_from_db()
    ConcernEvent.objects.create(concern=concern, kind="rate", note=str(value))
    return concern


MAX_REOPENS = 3


@transaction.atomic
def concern_reopen(*, concern: Concern, reason: str) -> Concern:
    """The worker is not satisfied: back to the same unit, with a fresh deadline."""
    reason = (reason or "").strip()[:2000]
    if not reason:
        raise ValidationError({"reason": _("Xin cho biết vì sao bạn chưa hài lòng với trả lời.")})
    if concern.reopen_count >= MAX_REOPENS:
        raise ValidationError(
            _("Ý kiến đã được mở lại %(n)s lần; xin gửi một ý kiến mới.") % {"n": MAX_REOPENS}
        )
    return _transition(
        concern,
        to=Status.REOPENED,
        allowed_from=(Status.ANSWERED, Status.CLOSED),
        actor=None,
        kind="reopen",
        note=reason,
        reopen_count=F("reopen_count") + 1,
        due_at=deadline_for(concern.urgency),
        reminded_at=None,
        escalated_at=None,
        closed_at=None,
    )


@transaction.atomic
def concern_erase_contact(*, concern: Concern, actor: Any = None) -> Concern:
    """Forget who sent it (the worker asked, with the code, or an officer of the Office did)."""
    Concern.objects.filter(pk=concern.pk).update(
        contact_name="",
        contact_phone="",
        contact_zalo_id="",
        ip_hash="",
        submitted_by=None,
        contact_erased_at=timezone.now(),
    )
    concern.refresh_from_db()
    ConcernEvent.objects.create(
        concern=concern,
        kind="erase_contact",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if actor is not None and getattr(actor, "is_authenticated", False):
        _audit(actor, "feedback.erase_contact", concern, {})
    return concern
