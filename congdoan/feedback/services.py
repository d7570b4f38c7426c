"""Writes to workers' concerns. Each function is atomic; officers' writes are audited.

Intake (`concern_submit`) writes the concern first and only then, on commit, enqueues the
triage task: a concern is never lost because the classifier or the worker is down.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.core.phones import normalize_phone
from congdoan.feedback.models import (
    OPEN_STATUSES,
    Channel,
    Cluster,
    Concern,
    ConcernEvent,
    Sentiment,
    Status,
    Topic,
    Urgency,
)
from congdoan.orgs.models import Unit

log = logging.getLogger("congdoan.feedback")

CLUSTER_THRESHOLD = 0.6
CLUSTER_WINDOW_DAYS = 30
CLUSTER_CANDIDATES = 3000
THROTTLED_CHANNELS = (Channel.WEB.value, Channel.API.value)


class Throttled(Exception):
    """Too many concerns from one address in a minute (the caller answers 429)."""

    message = "Bạn đã gửi quá nhiều ý kiến trong một phút. Xin vui lòng đợi một lát rồi gửi lại."


# -- intake ------------------------------------------------------------------------------------


def _ip_hash(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


def _throttle(ip: str) -> None:
    """Fixed one-minute window per address in the shared cache (Redis in production)."""
    limit = settings.FEEDBACK_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return
    key = f"feedback:rate:{_ip_hash(ip)}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > limit:
        raise Throttled(_(Throttled.message))


def clean_text(text: str) -> str:
    """The concern's text as stored, or a Vietnamese ValidationError."""
    value = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not value:
        raise ValidationError({"text": _("Xin vui lòng viết nội dung ý kiến.")})
    limit = settings.FEEDBACK_TEXT_MAX_CHARS
    if len(value) > limit:
        raise ValidationError(
            {"text": _("Nội dung quá dài (%(n)s ký tự); xin viết ngắn gọn dưới %(limit)s ký tự.")
             % {"n": f"{len(value):,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")}}
        )
    if not any(ch.isalnum() for ch in value):
        raise ValidationError({"text": _("Nội dung cần có chữ để cán bộ công đoàn hiểu được ý kiến của bạn.")})
    return value


def clean_photo(photo: UploadedFile | None) -> UploadedFile | None:
    """Accept only a real image under the size limit (checked with Pillow, not by the name)."""
    if photo is None:
        return None
    if photo.size and photo.size > settings.FEEDBACK_PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("Ảnh quá lớn; xin gửi ảnh dưới %(mb)s MB.")
                               % {"mb": settings.FEEDBACK_PHOTO_MAX_BYTES // (1024 * 1024)}})
    from PIL import Image, UnidentifiedImageError

    try:
        photo.seek(0)
        with Image.open(photo) as img:
            img.verify()
            fmt = (img.format or "").upper()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError({"photo": _("Tệp đính kèm không phải là ảnh (JPEG, PNG, WebP).")}) from exc
    if fmt not in ("JPEG", "PNG", "WEBP", "GIF"):
        raise ValidationError({"photo": _("Tệp đính kèm không phải là ảnh (JPEG, PNG, WebP).")})
    photo.seek(0)
    return photo


def _clean_contact(contact_name: str, contact_phone: str, contact_zalo_id: str) -> tuple[str, str, str]:
    name = " ".join((contact_name or "").split())[:120]
    phone = ""
    if (contact_phone or "").strip():
        normalized = normalize_phone(contact_phone)
        if normalized is None:
            raise ValidationError({"contact_phone": _("Số điện thoại không hợp lệ, ví dụ đúng: 0912 345 678.")})
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
            log.exception("feedback: could not enqueue %s%r; the periodic check will retry", task_name, args)

    transaction.on_commit(run)


@transaction.atomic
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
) -> Concern:
    """Write a concern as it arrived and enqueue its triage.

    Steps: 1. a repeat of (channel, external_id) returns the stored concern (webhooks
    retry); 2. validate text, contact and photo (Vietnamese errors); 3. throttle web/API
    posts per address; 4. insert (a race on the same external id returns the winner);
    5. on commit, enqueue triage.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Kênh tiếp nhận không hợp lệ.")})
    external_id = (external_id or "").strip()[:128]
    if external_id:
        existing = Concern.objects.filter(channel=channel, external_id=external_id).first()
        if existing is not None:
            return existing
    value = clean_text(text)
    name, phone, zalo = _clean_contact(contact_name, contact_phone, contact_zalo_id)
    photo = clean_photo(photo)
    if ip and channel in THROTTLED_CHANNELS:
        _throttle(ip)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    concern = Concern(
        unit=unit, channel=channel, text=value, is_anonymous=bool(is_anonymous), contact_name=name,
        contact_phone=phone, contact_zalo_id=zalo, external_id=external_id, wants_upper_level=bool(wants_upper_level),
        submitted_by=user, ip_hash=_ip_hash(ip) if ip else "",
        hidden_from_unit=bool(wants_upper_level),
        assigned_unit=_upper_unit(unit) if (unit is not None and wants_upper_level) else unit,
    )
    if photo is not None:
        concern.photo = photo  # type: ignore[assignment]
    for attempt in range(5):
        try:
            with transaction.atomic():
                concern.save()
            break
        except IntegrityError:
            if external_id:
                winner = Concern.objects.filter(channel=channel, external_id=external_id).first()
                if winner is not None:
                    return winner
            if attempt == 4:
                raise
            from congdoan.feedback.models import new_code

            concern.pk = None
            concern.code = new_code()
    ConcernEvent.objects.create(concern=concern, kind="submit", to_status=concern.status, actor=user)
    if user is not None and channel == Channel.OFFICER:
        audit_record(actor=user, action="feedback.record", target=concern, unit=unit,
                     changes={"channel": channel, "anonymous": concern.is_anonymous})
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
    """Where a concern with no known union goes: FEEDBACK_FALLBACK_UNIT, else the top of the tree."""
    code = settings.FEEDBACK_FALLBACK_UNIT
    unit = Unit.objects.filter(code=code).first() if code else None
    return unit or Unit.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()


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
    hours = settings.FEEDBACK_DEADLINE_HOURS.get(urgency, settings.FEEDBACK_DEADLINE_HOURS["normal"])
    return (start or timezone.now()) + timedelta(hours=hours)


def _signature_of(text: str) -> bytes:
    from congdoan.text.match import minhash

    return minhash(text).astype(np.uint32).tobytes()


def _cluster(concern: Concern, signature: bytes) -> Cluster | None:
    """Join the most similar recent concern of the same union (its cluster, or a new one)."""
    sig = np.frombuffer(signature, dtype=np.uint32)
    since = timezone.now() - timedelta(days=CLUSTER_WINDOW_DAYS)
    candidates = (
        Concern.objects.filter(unit=concern.unit, created_at__gte=since, signature__isnull=False)
        .exclude(pk=concern.pk)
        .order_by("-created_at")
        .values_list("pk", "signature", "cluster_id")[:CLUSTER_CANDIDATES]
    )
    best: tuple[float, int, int | None] | None = None
    for pk, other, cluster_id in candidates:
        other_sig = np.frombuffer(bytes(other), dtype=np.uint32)
        if other_sig.shape != sig.shape:
            continue
        score = float(np.count_nonzero(other_sig == sig)) / len(sig)
        if score >= CLUSTER_THRESHOLD and (best is None or score > best[0] or (score == best[0] and cluster_id and not best[2])):
            best = (score, pk, cluster_id)
    if best is None:
        return None
    _score, other_pk, cluster_id = best
    if cluster_id is None:
        cluster = Cluster.objects.create(unit=concern.unit, topic=concern.topic, title=concern.display_text[:200], size=0)
        Concern.objects.filter(pk=other_pk, cluster__isnull=True).update(cluster=cluster)
    else:
        cluster = Cluster.objects.get(pk=cluster_id)
    Concern.objects.filter(pk=concern.pk).update(cluster=cluster)
    size = Concern.objects.filter(cluster=cluster).count()
    Cluster.objects.filter(pk=cluster.pk).update(size=size, updated_at=timezone.now())
    cluster.size = size
    return cluster


def concern_triage(*, concern_id: int) -> Concern | None:
    """Restore, classify, route and cluster one concern; a no-op if it was triaged already.

    The slow analysis runs outside the transaction; the result lands with a conditional
    UPDATE (`triaged_at IS NULL`), so two workers triaging the same row never both win.
    """
    from congdoan.feedback.triage import analyse

    concern = Concern.objects.select_related("unit", "unit__level").filter(pk=concern_id).first()
    if concern is None or concern.triaged_at is not None:
        return concern
    result = analyse(concern.text)
    signature = _signature_of(concern.text)
    now = timezone.now()
    with transaction.atomic():
        concern.about_union = result.about_union
        assigned, hidden = route(concern)
        updated = Concern.objects.filter(pk=concern.pk, triaged_at__isnull=True).update(
            restored_text=result.restored,
            topic=F("topic") if concern.topic_corrected else result.topic,
            topic_confidence=result.topic_confidence,
            urgency=F("urgency") if concern.urgency_corrected else result.urgency,
            urgency_reasons=result.urgency_reasons,
            sentiment=result.sentiment,
            about_union=result.about_union,
            assigned_unit=assigned,
            hidden_from_unit=hidden,
            signature=signature,
            triaged_at=now,
            due_at=deadline_for(result.urgency, concern.created_at),
        )
        if updated != 1:
            return Concern.objects.get(pk=concern.pk)
        Concern.objects.filter(pk=concern.pk, status=Status.RECEIVED).update(status=Status.TRIAGED)
        concern.refresh_from_db()
        _cluster(concern, signature)
        ConcernEvent.objects.create(
            concern=concern, kind="triage", from_status=Status.RECEIVED, to_status=concern.status,
            note=f"{concern.topic} / {concern.urgency}",
        )
        if concern.urgency == Urgency.URGENT:
            _enqueue("notify_urgent", concern.pk)
    concern.refresh_from_db()
    return concern


def untriaged(limit: int = 500) -> list[int]:
    """Concerns whose triage never ran (worker down, queue lost), oldest first."""
    return list(Concern.objects.filter(triaged_at__isnull=True).order_by("created_at").values_list("pk", flat=True)[:limit])


__all__ = [
    "OPEN_STATUSES", "Q", "Sentiment", "Throttled", "Topic", "concern_submit", "concern_triage", "route",
]
